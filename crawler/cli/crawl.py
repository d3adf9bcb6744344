"""``civic-archive crawl`` and ``civic-archive runs``."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import Any

import click
from sqlalchemy import func, select

from crawler.cli import EXIT_INTERRUPTED, EXIT_OWED, EXIT_PARTIAL
from crawler.cli.context import AppContext, pass_app
from crawler.cli.logs import log_to_file
from crawler.cli.output import output_options, render
from storage import repo
from storage.db import ArchiveError
from storage.lock import crawl_lock
from storage.models import CrawlRun, Site



@click.command()
@click.argument("urls", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site in the archive.")
@click.option("--full", is_flag=True,
              help="Re-walk everything instead of fetching only what may have changed.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting for this crawl, as `scrapy crawl -s` does.")
@click.option("--loopback", is_flag=True,
              help="No politeness delay (for blogs served on this machine, e.g. tests).")
@click.option("--log-file", type=click.Path(dir_okay=False), metavar="PATH",
              help="Also write the crawl's log (info level) to this file.")
@pass_app
def crawl(app: AppContext, urls: tuple[str, ...], all_sites: bool, full: bool,
          settings: tuple[str, ...], loopback: bool, log_file: str | None) -> None:
    """Crawl blogs into the archive (new sites are added first). A recrawl fetches only what
    may have changed; one failing site does not stop the others.

    Exit codes: 0 every site crawled, 1 fatal error, 2 usage error, 3 some sites failed,
    4 another crawl holds the archive's lock, 5 interrupted (SIGINT/SIGTERM), 6 every site
    crawled but some URLs failed and are owed (asked for again on the next run).

    Example:

        civic-archive crawl https://harrow-residents.example/

        civic-archive -q crawl --all --log-file ~/civic-archive.log
    """
    from crawler.crawl import LOOPBACK_SETTINGS, CrawlTarget, project_settings, run_crawls

    if not urls and not all_sites:
        raise click.UsageError("give one or more blog URLs, or --all")
    overrides: dict[str, Any] = dict(LOOPBACK_SETTINGS) if loopback else {}
    overrides.update(_parse_settings(settings))
    if log_file:
        log_to_file(log_file)
    archive = app.archive
    with crawl_lock(archive):
        with archive.Session.begin() as session:
            sites = ([repo.get_or_add_site(session, u) for u in urls] if urls
                     else repo.list_sites(session))
            if not sites:
                raise ArchiveError("no sites in the archive: add one with `civic-archive site add URL`")
            targets = [CrawlTarget(s.url, dict(s.settings), tuple(s.aliases)) for s in sites]
            last_run = session.scalar(select(func.max(CrawlRun.id))) or 0
        if sys.stderr.isatty() and not app.quiet:
            overrides.setdefault("CIVIC_ARCHIVE_PROGRESS", True)
        run_crawls(project_settings(archive.url, overrides), targets, full=full)
    with archive.Session() as session:
        runs = list(session.scalars(select(CrawlRun).where(CrawlRun.id > last_run)
                                    .order_by(CrawlRun.id)))
        names = {s.id: s.url for s in session.scalars(select(Site))}
    _report(app, runs, names)
    sys.exit(_exit_code(runs, len(targets)))


def _exit_code(runs: list[CrawlRun], expected: int) -> int:
    if any(run.status == "interrupted" for run in runs):
        return EXIT_INTERRUPTED
    finished = [run for run in runs if run.status == "finished"]
    if len(finished) != expected:
        return EXIT_PARTIAL
    return EXIT_OWED if any(_owed(run) for run in runs) else 0


def _owed(run: CrawlRun) -> int:
    return int((run.stats or {}).get("owed", 0))


def _report(app: AppContext, runs: list[CrawlRun], names: dict[int, str]) -> None:
    """A line per site on a terminal; one summary line otherwise (cron mails only that)."""
    failed = [run for run in runs if run.status != "finished" or _owed(run)]
    if sys.stderr.isatty() or failed:
        for run in runs if sys.stderr.isatty() else failed:
            if not app.quiet or run in failed:
                click.echo(summary_line(run, names.get(run.site_id, "?")), err=True)
    if not sys.stderr.isatty() and not app.quiet:
        stats = [run.stats or {} for run in runs]
        total = {k: sum(st.get(k, 0) for st in stats)
                 for k in ("posts_new", "posts_changed", "posts_gone", "downloader/response_count")}
        ok = sum(1 for run in runs if run.status == "finished")
        parts = [f"civic-archive crawl: {ok}/{len(runs)} sites ok",
                 f"{total['downloader/response_count']} pages", f"{total['posts_new']} new",
                 f"{total['posts_changed']} changed", f"{total['posts_gone']} gone",
                 *_skips_and_errors(stats), *_owed_part(stats)]
        click.echo(" · ".join(parts), err=True)


def _skips_and_errors(stats: list[dict[str, Any]]) -> list[str]:
    """``skipped <reason> N, …`` and ``N errors`` parts of a summary, summed over runs."""
    skipped: Counter[str] = Counter()
    errors = 0
    for run_stats in stats:
        for key, value in run_stats.items():
            if key.startswith("skipped/"):
                skipped[key.split("/", 1)[1]] += value
            elif key.startswith("errors/"):
                errors += value
    parts = ["skipped " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items()))] if skipped else []
    return parts + ([f"{errors} errors"] if errors else [])


def _owed_part(stats: list[dict[str, Any]]) -> list[str]:
    """``N URLs owed (http_503 2, empty_body 1)``: failed fetches left for the next run."""
    reasons: Counter[str] = Counter()
    for run_stats in stats:
        reasons.update(run_stats.get("owed_reasons") or {})
    if not reasons:
        return []
    detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
    return [f"{sum(reasons.values())} URLs owed ({detail})"]


def _refusals(stats: dict[str, Any]) -> list[str]:
    refused = {k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("refused/")}
    return ["refused " + ", ".join(f"{k} {v}" for k, v in sorted(refused.items()))] if refused else []


def summary_line(run: CrawlRun, site: str) -> str:
    stats = run.stats or {}
    parts = [f"{site}: run #{run.id} {run.status}",
             f"{stats.get('downloader/response_count', 0)} pages",
             f"{stats.get('posts_new', 0)} new", f"{stats.get('posts_changed', 0)} changed",
             f"{stats.get('posts_unchanged', 0)} unchanged", f"{stats.get('posts_gone', 0)} gone"]
    if stats.get("duplicates"):
        parts.append(f"{stats['duplicates']} duplicates")
    return " · ".join(parts + _skips_and_errors([stats]) + _refusals(stats) + _owed_part([stats]))


def _parse_settings(items: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-s")
        parsed[name.strip()] = value
    return parsed


@click.command()
@click.option("--last", "last", type=int, default=20, show_default=True, help="How many runs.")
@output_options
@pass_app
def runs(app: AppContext, last: int, fmt: str) -> None:
    """List recorded crawl runs, newest first.

    Example:

        civic-archive runs --last 5 --format json
    """
    with app.archive.Session() as session:
        names = {s.id: s.url for s in session.scalars(select(Site))}
        rows = [{"id": r.id, "site": names.get(r.site_id), "status": r.status,
                 "started_at": r.started_at, "finished_at": r.finished_at,
                 "pages": (r.stats or {}).get("downloader/response_count", 0),
                 "new": (r.stats or {}).get("posts_new", 0),
                 "changed": (r.stats or {}).get("posts_changed", 0),
                 "gone": (r.stats or {}).get("posts_gone", 0), "owed": _owed(r),
                 "owed_urls": (r.stats or {}).get("owed_urls", {}), "stats": r.stats}
                for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(last))]
    render(rows, fmt, ["id", "site", "status", "started_at", "finished_at", "pages", "new",
                       "changed", "gone", "owed"])


@click.command()
@click.option("--site", "site_ref", metavar="SITE", help="Only this site (id, URL or name).")
@pass_app
def reextract(app: AppContext, site_ref: str | None) -> None:
    """Rebuild posts from stored captures with the current extractors (no network).

    Example:

        civic-archive reextract --site harrow
    """
    from crawler.reextract import latest_capture_ids, reextract as run_reextract

    site_id = None
    if site_ref:
        with app.archive.Session() as session:
            found = repo.find_site(session, site_ref)
            if found is None:
                raise ArchiveError(f"no such site: {site_ref}")
            site_id = found.id
    total = len(latest_capture_ids(app.archive, site_id))
    show = sys.stderr.isatty() and not app.quiet
    with crawl_lock(app.archive), click.progressbar(
            length=total, label="re-extracting", file=sys.stderr, hidden=not show) as bar:
        counts = run_reextract(app.archive, site_id, progress=bar.update)
    app.info("re-extracted {} captures: ".format(total)
             + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
