"""Real crawls of a loopback blog that misbehaves: errors, stalls, bad bodies, traps, a dead site.

Each crawl runs in its own process (the Twisted reactor starts once per process) against a
:class:`fault_server.FaultServer`; several faults share one crawl to keep this quick.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from crawler.demo import generate_blog
from tests.support.fault_server import (
    HTML,
    PDF,
    FaultServer,
    content,
    empty,
    error,
    followed_by,
    garbage,
    huge,
    meta_refresh,
    redirect,
    reset,
    rewrite,
    slow,
    truncated,
)
from crawler.cli import EXIT_OWED
from storage.db import open_archive
from storage.models import CrawlRun, Post

pytestmark = pytest.mark.slow

# Low limits so timeouts and oversize answers show up in seconds, not minutes.
FAST = ("DOWNLOAD_TIMEOUT=2", "DOWNLOAD_MAXSIZE=1000000")


def crawl(db: str, *urls: str, settings: tuple[str, ...] = FAST) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", *urls, "--loopback"]
    for setting in settings:
        args += ["-s", setting]
    return subprocess.run(args, check=False, capture_output=True, text=True, timeout=120)


# Linux counts in a child's ru_maxrss the resident size of the process that started it (exec
# keeps the old address space's high-water mark), and a test process that has run many tests
# is big. The crawl is therefore started by this small launcher, whose wait4 sees the crawl's
# own peak; it writes the crawl's pid first, then its exit code and peak in kilobytes.
LAUNCHER = """
import os, subprocess, sys
report, out, err, *args = sys.argv[1:]
with open(out, "wb") as stdout, open(err, "wb") as stderr, open(report, "w") as said:
    crawl = subprocess.Popen(args, stdout=stdout, stderr=stderr)
    said.write(f"{crawl.pid}\\n")
    said.flush()
    _pid, status, usage = os.wait4(crawl.pid, 0)
    said.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}\\n")
"""


def measured_crawl(db: str, url: str, tmp_path, settings: tuple[str, ...],
                   *extra: str, limit: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """A crawl in its own process, and that process's peak resident memory in MB.

    A crawl still running after ``limit`` seconds is killed (exit -9): it did not end.
    """
    args = [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", url, "--loopback", *extra]
    for setting in settings:
        args += ["-s", setting]
    out, err, report = tmp_path / "crawl.out", tmp_path / "crawl.err", tmp_path / "crawl.rusage"
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(report), str(out), str(err), *args])

    def kill_the_crawl() -> None:
        lines = report.read_text().split() if report.exists() else []
        if lines:
            os.kill(int(lines[0]), signal.SIGKILL)

    killer = threading.Timer(limit, kill_the_crawl)
    killer.start()
    launcher.wait()
    killer.cancel()
    _pid, code, peak_kb = report.read_text().split()
    result = subprocess.CompletedProcess(args, int(code), out.read_text(), err.read_text())
    return result, int(peak_kb) / 1024  # Linux reports kilobytes


def cli(db: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", db, *args],
                          check=True, capture_output=True, text=True, timeout=60)
    return done.stdout


def archived(db: str) -> tuple[Counter[str], dict[str, Post], CrawlRun]:
    """Posts per canonical URL, the posts themselves, and the last crawl run."""
    archive = open_archive(db)
    try:
        with archive.Session() as session:
            posts = list(session.scalars(select(Post)).unique())
            run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            session.expunge_all()
    finally:
        archive.dispose()
    return Counter(p.canonical_url for p in posts), {p.canonical_url: p for p in posts}, run


def summary(stderr: str) -> str:
    """The end-of-crawl summary: per-site lines (``URL: run #N …``) and ``civic-archive crawl: …``."""
    lines = [line for line in stderr.splitlines()
             if line.startswith("civic-archive crawl: ") or re.match(r"\S+: run #\d+ ", line)]
    assert lines, f"no summary line on stderr:\n{stderr[-3000:]}"
    return "\n".join(lines)


def latin1(body: bytes) -> bytes:
    """The page as Latin-1 bytes (characters beyond Latin-1 as entities); the labels stay."""
    return body.decode("utf-8").encode("latin-1", errors="xmlcharrefreplace")


def latin1_unlabelled(body: bytes) -> bytes:
    """Latin-1 bytes and no charset anywhere (sent as plain ``text/html``)."""
    return latin1(body).replace(b'<meta charset="UTF-8" />', b"")


def unclosed(body: bytes) -> bytes:
    """Optional end tags left out (``</p>``, ``</li>``) and junk, a control character and
    stray end tags included, just before the post's body."""
    junk = b"<<<>>> &&#; \x01 <b><i <div =x> </span></em>"
    text = re.sub(rb"</(p|li)>", b"", body)
    return text.replace(b'<div class="entry-content">', junk + b'<div class="entry-content">', 1)


def byline_unclosed(body: bytes) -> bytes:
    """The byline's ``</div>`` missing (a common theme slip), so the body nests inside it."""
    start = body.index(b'<div class="entry-meta">')
    end = body.index(b"</div>", start)
    return body[:end] + body[end + len(b"</div>"):]


GARBAGE = b"<html><body><div><p>\x01\x02 <<<>>> <b><i><table><tr><td>" + bytes(range(1, 32)) * 20 + b"&#xZZ;</html"


def test_transient_faults_are_retried_and_every_post_archived(tmp_path):
    db = str(tmp_path / "archive.db")
    with FaultServer(generate_blog(n_posts=14, seed=3)) as server:
        posts = server.blog.posts
        bursts = {
            posts[0].path: error(500, times=2),
            posts[1].path: error(502, times=1),
            posts[2].path: error(503, times=2),
            posts[3].path: error(429, times=1, retry_after=1),
            posts[4].path: error(503, times=1, retry_after=1),
            posts[5].path: reset(times=1),
            posts[6].path: truncated(times=1),
            posts[7].path: slow(3, times=1),
            "/wp-sitemap.xml": error(500, times=1),
            "/feed/": error(502, times=1),
        }
        for path, fault in bursts.items():
            server.fail(path, fault)
        result = crawl(db, server.url)
        hits = {path: server.hits(path) for path in bursts}
        waits = [server.times(posts[i].path) for i in (3, 4)]
    assert result.returncode == 0, result.stderr[-3000:]
    counts, _, run = archived(db)
    assert counts == Counter(p.permalink for p in posts), "every post exactly once"
    assert run.status == "finished"
    # Each broken answer was asked again, and only as often as needed.
    assert hits == {path: fault.times + 1 for path, fault in bursts.items()}
    # Twisted itself resends a GET whose pooled connection was reset; Scrapy retries the rest.
    assert run.stats["retry/count"] >= sum(f.times for f in bursts.values() if f.kind != "reset")
    # Retry-After: 1 is believed: the second request comes a second after the first.
    for first, second in waits:
        assert second - first >= 0.9, "Retry-After was not honoured"
    assert "14 new" in summary(result.stderr)


def test_broken_pages_are_skipped_and_counted(tmp_path):
    db = str(tmp_path / "archive.db")
    with (FaultServer(generate_blog(n_posts=14, seed=3)) as server,
          FaultServer(host="127.0.0.2") as other_host, FaultServer() as other_port):
        posts = server.blog.posts
        broken = {
            posts[0].path: error(500),
            posts[1].path: slow(3),
            posts[2].path: reset(),
            posts[3].path: truncated(),
            posts[4].path: huge(3_000_000),
            posts[11].path: huge(3_000_000, announce=False),
            posts[5].path: redirect(other_host.url + "/elsewhere/"),
            posts[6].path: redirect(other_port.url + "/elsewhere/"),
        }
        odd_but_fine = {
            posts[7].path: rewrite(latin1),
            posts[8].path: rewrite(latin1_unlabelled, "text/html"),
            posts[9].path: rewrite(unclosed),
            posts[10].path: rewrite(byline_unclosed),
        }
        extra = {
            "/report/": content(PDF, "application/pdf"),
            "/report-as-html/": content(PDF, "text/html; charset=UTF-8"),
            "/garbage/": content(GARBAGE, "text/html"),
            "/loop-a/": redirect("/loop-b/"),
            "/loop-b/": redirect("/loop-a/"),
            "/moved/": redirect(other_host.url + "/moved/"),
            "/moved-port/": redirect(other_port.url + "/moved/"),
        }
        for path, fault in {**broken, **odd_but_fine, **extra}.items():
            server.fail(path, fault)
        server.link("/", *extra)
        result = crawl(db, server.url)
        hits = {path: server.hits(path) for path in {**broken, **extra}}
        elsewhere = {w.url: [target for _t, target, _k in w.log] for w in (other_host, other_port) if w.log}
        base = server.url
    # Every site crawled, but URLs were left owed: cron hears it from the exit code.
    assert result.returncode == EXIT_OWED, result.stderr[-3000:]
    counts, stored, run = archived(db)
    assert elsewhere == {}, "an off-site redirect was followed"
    assert not [url for url in counts if not url.startswith(server.url)], "an off-site page was archived"
    assert server.url + "/garbage/" not in counts, "a garbage page was archived as a post"
    reachable = [p for p in posts if p.path not in broken]
    assert counts == Counter(p.permalink for p in reachable), "each reachable post exactly once"
    for post in posts[7:11]:  # wrong or missing charset and broken markup still give the post
        assert post.permalink in stored, f"{post.path} was not archived"
        assert stored[post.permalink].title == post.title
        assert stored[post.permalink].text.split("\n\n") == post.paragraphs, post.path
    # Retries are bounded: 1 + RETRY_TIMES (3) tries, each sent twice at most when Twisted
    # resends a GET over a reset keep-alive connection.
    assert all(n <= 8 for n in hits.values()), hits
    stats = run.stats
    assert run.status == "finished"
    # Each URL whose answer was no use is owed, with its reason; off-scope redirects too.
    assert stats["owed_urls"] == {
        **{base + path: reason for path, reason in zip(broken, (
            "http_500", "timeout", "connection_lost", "truncated", "too_large", "too_large",
            "redirect_internal_address", "redirect_port"))},
        base + "/report-as-html/": "garbage_body", base + "/garbage/": "garbage_body",
        base + "/moved/": "redirect_internal_address", base + "/moved-port/": "redirect_port"}
    # One failed fetch per broken post, by kind (the reset is a DownloadFailedError).
    assert {k: v for k, v in stats.items() if k.startswith("errors/")} == {
        "errors/HttpError": 1, "errors/DownloadTimeoutError": 1, "errors/DownloadFailedError": 1,
        "errors/ResponseDataLossError": 1, "errors/DownloadCancelledError": 2}
    assert stats["refused/port"] == 2 and stats["refused/internal_address"] == 2
    # A PDF is not a page; served as text/html it is garbage where a page was expected.
    assert stats["skipped/non_html"] == 1
    shown = summary(result.stderr)
    assert re.search(r"\b6 errors\b", shown), shown
    assert re.search(r"skipped .*non_html 1", shown), shown
    assert "12 URLs owed (connection_lost 1, garbage_body 2, http_500 1, " in shown, shown


def test_link_traps_are_capped_and_a_hostile_crawl_with_date_traps_ends(tmp_path):
    """Trap parameters, calendars and endless pages; and post-like pages chained through
    ever-new dates or numbers, under any parameter name. One crawl of one trap-laden blog."""
    db = str(tmp_path / "archive.db")
    with FaultServer(generate_blog(n_posts=12, seed=5), traps=True) as server, FaultServer() as canary:
        posts = server.blog.posts
        first, second = posts[0], posts[1]
        server.link("/", "/events/2024-01/", "/calendar/2024-01/", "/?m=20240105", "/about/?sid=a1b2c3",
                    "/category/uncategorized/?orderby=date&order=asc", "/archive/page/1/",
                    f"{first.path}?replytocom=7", "/?s=library")
        server.link(second.path, *(f"{second.path}?replytocom={n}#respond" for n in range(1, 6)))
        server.link("/", "/diary/?date=2024-03-01", "/board/?thread=1")
        server.link("/diary/", canary.url + "/diary/")
        server.link("/board/", canary.url + "/board/", "http://[::1]:9/")
        # A crawl still going after 120 s is killed: it did not end.
        result, _peak = measured_crawl(db, server.url, tmp_path, FAST, limit=120)
        trap_hits = {
            name: server.hits(where=lambda t, pattern=pattern: re.search(pattern, t) is not None)
            for name, pattern in {"calendar days": r"[?&]m=", "session ids": r"[?&]sid=",
                                  "sort orders": r"[?&](orderby|order|sort)=", "search": r"[?&]s=",
                                  "comment replies": r"replytocom", "calendar pages": r"^/calendar/",
                                  "next months": r"^/events/", "endless pages": r"^/archive/page/"}.items()
        }
        hostile_hits = {name: server.hits(where=lambda t, name=name: t.startswith(f"/{name}/"))
                        for name in ("diary", "board")}
        post_hits = [server.hits(p.path) for p in posts]
        canary_hits = canary.log
    assert result.returncode == 0, result.stderr[-3000:]
    counts, _, run = archived(db)
    assert counts == Counter(p.permalink for p in posts), "every post exactly once, no trap page"
    assert post_hits == [1] * len(posts)
    assert {k: v for k, v in trap_hits.items() if k not in ("next months", "endless pages")} == {
        "calendar days": 0, "session ids": 0, "sort orders": 0, "search": 0, "comment replies": 0,
        "calendar pages": 0}
    # Endless chains of look-alike pages (/events/2024-02/…, /archive/page/N/, /diary/…,
    # /board/…) stop after CIVIC_ARCHIVE_MAX_CHAIN (5) pages in a row, and the cut is counted.
    assert trap_hits["next months"] <= 5 and trap_hits["endless pages"] <= 5, trap_hits
    assert hostile_hits["diary"] <= 5 and hostile_hits["board"] <= 5, hostile_hits
    assert canary_hits == []
    stats = run.stats
    # Each of the two kinds of chain was cut at least twice (they were separate crawls once).
    assert stats["skipped/url_chain"] >= 4 and stats["pages/not_a_post/url_chain"] >= 2, stats
    assert stats["skipped/trap_params"] >= 5 and stats["skipped/not_content"] >= 1
    shown = summary(result.stderr)
    assert re.search(r"skipped .*not_content \d+.*trap_params \d+", shown), shown


def test_site_down_fails_clearly(tmp_path):
    db = str(tmp_path / "archive.db")
    with FaultServer() as server:
        url = server.url
    result = crawl(db, url)  # the server has stopped: its port is closed
    assert result.returncode == 3, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    shown = summary(result.stderr)
    assert "civic-archive crawl: 0/1 sites ok · 0 pages" in shown
    assert re.search(rf"^{url}/: run #1 failed · 0 pages .*· \d+ errors · (\d+) URLs owed "
                     r"\(connection_refused \1\)$", shown, re.MULTILINE), shown
    counts, _, run = archived(db)
    assert not counts
    assert run.status == "failed" and run.finished_at is not None
    assert any(k.startswith("errors/") for k in run.stats)


def test_a_blog_with_an_invalid_tls_certificate_is_still_archived(tmp_path):
    # Small civic blogs often run on lapsed or self-made certificates; the archive keeps
    # them (like a browser click-through) rather than losing the blog.
    db = str(tmp_path / "archive.db")
    with FaultServer(generate_blog(n_posts=12, seed=17), tls=True) as server:
        assert server.url.startswith("https://")
        result = crawl(db, server.url)
        posts = server.blog.posts
    assert result.returncode == 0, result.stderr[-3000:]
    counts, _, _ = archived(db)
    assert counts == Counter(p.permalink for p in posts)


# Three runs under faults need small numbers: 1 + RETRY_TIMES = 2 tries per URL and run (for
# 5xx answers and for empty or garbage bodies alike), so a fault lasting 3 tries outlives a run.
RUNS = ("DOWNLOAD_TIMEOUT=3", "RETRY_TIMES=1", "RETRY_AFTER_MAX=2", "DOWNLOAD_MAXSIZE=5000000")


def test_three_runs_under_faults_lose_nothing_and_never_leave_the_site(tmp_path):
    """Faults, faults, clean: every post ends up archived once; the canaries hear nothing."""
    db = str(tmp_path / "archive.db")
    blog = generate_blog(n_posts=30, seed=3)
    edited_blog = blog.mutate(added=0, edited=2, deleted=0, seed=1)
    edited_ids = set(edited_blog.changes.edited)
    with (FaultServer(blog, traps=True) as server, FaultServer() as canary,
          FaultServer(host="::1") as canary6):
        base = server.url
        p = [post for post in server.blog.posts if post.id not in edited_ids]
        secret = canary.url + "/secret-admin/"
        run1 = {
            p[0].path: error(503, times=1, retry_after=1),
            p[1].path: error(429, times=1, retry_after=1),
            p[2].path: error(500, times=1),
            p[3].path: error(500, times=3),                     # outlives run 1
            p[4].path: empty(times=3),
            p[5].path: garbage(times=3),
            p[6].path: truncated(times=1),
            p[7].path: reset(times=1),
            p[8].path: slow(4, times=1),                        # over DOWNLOAD_TIMEOUT
            p[9].path: empty(times=1),
            p[10].path: error(500, times=6),                    # outlives runs 1 and 2
            # The hostile ones: a retried (dont_filter) request that then redirects to
            # another service on this machine, [::1], file:, a meta refresh.
            p[11].path: followed_by(error(503, times=1), redirect(secret, 302)),
            p[12].path: redirect(canary6.url + "/", 302),
            p[13].path: redirect("file:///etc/passwd", 302),
            p[14].path: meta_refresh(secret),
            "/page/2/": empty(times=3),
            "/feed/": garbage(times=3),
            "/wp-sitemap-posts-post-1.xml": error(500, times=3),
            "/wp-sitemap-taxonomies-category-1.xml": content(b"<html><body>Oops</body></html>", HTML, 3),
            "/huge/": huge(50_000_000, announce=False),
            "/go/": redirect("/go-on/", 302),                   # a chain: on-site, then off
            "/go-on/": redirect(secret, 307),
        }
        for path, fault in run1.items():
            server.fail(path, fault)
        server.link("/", "/huge/", "/go/", secret, canary6.url + "/", "file:///etc/passwd",
                    "/diary/?date=2024-01-01", "/events/2024-01/")
        server.link("/diary/", secret, canary6.url + "/diary/")

        first, peak1 = measured_crawl(db, base, tmp_path, RUNS)
        counts1, _, run_1 = archived(db)
        status1 = cli(db, "status")
        runs1 = cli(db, "runs", "--format", "json")

        # Run 2, still faulty: two posts were edited and their pages now fail for good.
        server.swap(edited_blog)
        edited = [post for post in server.blog.posts if post.id in edited_ids]
        for post in edited:
            server.fail(post.path, error(500))
        second, peak2 = measured_crawl(db, base, tmp_path, RUNS)
        counts2, stored2, run_2 = archived(db)

        server.heal()
        third, peak3 = measured_crawl(db, base, tmp_path, RUNS)
        counts3, stored3, run_3 = archived(db)
        canary_hits = canary.log + canary6.log
        diary_hits = server.hits(where=lambda t: t.startswith("/diary/"))
        posts = server.blog.posts

    permalinks = {post.permalink for post in posts}
    recall = [len(permalinks & set(c)) / len(permalinks) for c in (counts1, counts2, counts3)]
    print(f"recall after runs 1-3: {recall}; peak memory MB: {peak1:.0f} {peak2:.0f} {peak3:.0f}; "
          f"canary hits: {len(canary_hits)}")
    # Every crawl ended by itself; the first two left URLs owed, and said so.
    assert first.returncode == EXIT_OWED, first.stderr[-3000:]
    assert second.returncode == EXIT_OWED, second.stderr[-3000:]
    assert third.returncode == 0, third.stderr[-3000:]
    assert canary_hits == [], "a request left the site"

    owed1 = {
        **{base + p[i].path: reason for i, reason in (
            (3, "http_500"), (4, "empty_body"), (5, "garbage_body"), (10, "http_500"),
            (11, "redirect_port"), (12, "redirect_internal_address"), (13, "http_302"),
            (14, "redirect_port"))},
        base + "/page/2/": "empty_body", base + "/feed/": "garbage_body",
        base + "/wp-sitemap-posts-post-1.xml": "http_500",
        base + "/wp-sitemap-taxonomies-category-1.xml": "not_a_sitemap",
        base + "/huge/": "too_large", base + "/go/": "redirect_port"}
    assert run_1.stats["owed_urls"] == owed1
    missing1 = {base + p[i].path for i in (3, 4, 5, 10, 11, 12, 13, 14)}
    assert set(counts1) == permalinks - missing1
    assert f"{len(owed1)} URLs owed (" in summary(first.stderr)
    assert f"owed      {len(owed1)}" in status1 and f"{base}/feed/  garbage_body  (1 run, " in status1
    assert json.loads(runs1)[0]["owed"] == len(owed1)
    assert json.loads(runs1)[0]["owed_urls"] == owed1
    # Nothing off-scope was fetched; each refusal was counted by its reason.
    stats1 = run_1.stats
    assert stats1["refused/port"] >= 3 and stats1["refused/internal_address"] >= 1, stats1
    assert stats1["skipped/offsite_port"] >= 1 and stats1["skipped/offsite_scheme"] >= 1
    # The date trap was cut by its shape, and none of its pages became a post.
    assert diary_hits <= 5 and stats1["skipped/url_chain"] >= 1
    assert not [url for url in counts3 if "diary" in url or "events" in url]
    # The 50 MB page was cut at DOWNLOAD_MAXSIZE (5 MB here) without holding it all.
    assert peak1 < 400, f"peak memory {peak1:.0f} MB"

    # Run 2 asked for every owed URL again (incremental, no --full): the ones whose faults
    # were over are archived; edited posts whose pages now fail keep their last good version.
    owed2 = {base + p[i].path: reason for i, reason in (
        (10, "http_500"), (11, "redirect_port"), (12, "redirect_internal_address"),
        (13, "http_302"), (14, "redirect_port"))}
    owed2 |= {base + "/huge/": "too_large", base + "/go/": "redirect_port"}
    owed2 |= {post.permalink: "http_500" for post in edited}
    assert run_2.stats["owed_urls"] == owed2
    assert set(counts2) == permalinks - {base + p[i].path for i in (10, 11, 12, 13, 14)}
    old = {post.id: post for post in blog.posts}
    for post in edited:
        kept = stored2[post.permalink]
        assert kept.status == "live", "a post that failed to answer was marked gone"
        assert kept.text.split("\n\n") == old[post.id].paragraphs

    # Run 3, clean: everything owed is paid; every post archived exactly once, edits included.
    assert run_3.stats["owed"] == 0 and run_3.stats["owed_urls"] == {}
    assert recall == [22 / 30, 25 / 30, 1.0]
    assert counts3 == Counter(permalinks), "every post exactly once"
    for post in edited:
        assert stored3[post.permalink].text.split("\n\n") == post.paragraphs
