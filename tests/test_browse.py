"""The archive in the tools archivists use: Datasette (in-process), sqlite-utils, a browser."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.archive_builder import add_sample_archive
from crawler.cli import cli
from storage import browse
from storage.db import ArchiveError, open_archive
from storage.models import Post

datasette_app = pytest.importorskip("datasette.app", reason="Datasette is not installed (browse extra)")
sqlite_utils = pytest.importorskip("sqlite_utils", reason="sqlite-utils is not installed (test extra)")


@pytest.fixture
def sample(tmp_path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "archive.db"
    archive = open_archive(str(path))
    with archive.Session.begin() as session:
        ids = add_sample_archive(session)
        session.get(Post, ids["budget"]).authors = ["Siobhán Murphy", "Bob Jones"]
    archive.dispose()
    return path, ids


def _get(path: Path, *urls: str) -> list:
    """Datasette's own test client on the archive with the shipped metadata."""
    async def fetch():
        ds = datasette_app.Datasette([str(path)], metadata=browse.datasette_metadata(path.stem))
        await ds.invoke_startup()
        return [await ds.client.get(url) for url in urls]
    return asyncio.run(fetch())


def test_datasette_searches_posts_and_comments(sample):
    path, ids = sample
    posts, comments, view = _get(
        path, "/archive/posts.json?_search=sundays&_shape=objects&_col=title",
        "/archive/comments.json?_search=library&_shape=objects",
        "/archive/post_summaries.json?_search=council+glass&_shape=objects")
    assert posts.status_code == 200 and comments.status_code == 200 and view.status_code == 200
    assert {row["id"] for row in posts.json()["rows"]} == {ids["library"], ids["copy"]}
    assert [row["text"] for row in comments.json()["rows"]] == ["Great news for the library!"]
    assert {row["id"] for row in view.json()["rows"]} == {ids["recycling"]}


def test_datasette_table_page_has_a_search_box(sample):
    path, _ids = sample
    page, view = _get(path, "/archive/posts", "/archive/post_summaries")
    assert 'name="_search"' in page.text
    assert 'name="_search"' in view.text


def test_readable_view_has_no_html_or_binary_and_readable_authors(sample):
    path, ids = sample
    (response,) = _get(path, f"/archive/post_summaries.json?id={ids['budget']}&_shape=objects")
    row = response.json()["rows"][0]
    assert not {"html", "text", "signature", "paragraph_hashes"} & set(row)
    assert row["authors"] == "Siobhán Murphy; Bob Jones"
    assert row["site"] == "harrow" and row["url"] == "https://harrow.example/budget-notes/"
    (library,) = _get(path, f"/archive/post_summaries.json?id={ids['library']}&_shape=objects")
    assert library.json()["rows"][0]["copies"] == 1 and row["copies"] == 0


def test_database_page_offers_the_readable_view_and_queries_first(sample):
    path, _ids = sample
    (page,) = _get(path, "/archive")
    first_link = re.search(r'href="/archive/([a-z_]+)"', page.text).group(1)
    assert first_link == browse.READABLE_VIEW
    for query in ("repeated_stories", "posts_per_author_and_year", "text_reuse", "gone_posts"):
        assert f'href="/archive/{query}"' in page.text


def test_canned_queries_answer_archivists_questions(sample):
    path, ids = sample
    stories, per_author, reuse, gone = (r.json()["rows"] for r in _get(
        path, "/archive/repeated_stories.json?_shape=objects",
        "/archive/posts_per_author_and_year.json?_shape=objects",
        "/archive/text_reuse.json?_shape=objects", "/archive/gone_posts.json?_shape=objects"))
    assert len(stories) == 1 and stories[0]["posts"] == 2
    assert stories[0]["canonical_url"] == "https://harrow.example/library-hours/"
    assert "https://pinner.example/2023/03/library-hours/" in stories[0]["copies"]
    assert {"author": "Chloe Khan", "year": "2021", "posts": 1} in per_author
    assert {"author": "Chloe Khan", "year": "2023", "posts": 1} in per_author
    assert [(r["post_id"], r["source_id"], r["shared_percent"]) for r in reuse] \
        == [(ids["recycling"], ids["budget"], 40.0)]
    assert [r["post_id"] for r in gone] == [ids["flood"]]


def test_datasette_labels_foreign_keys(sample):
    path, ids = sample
    (response,) = _get(path, "/archive/clusters.json?_labels=on&_shape=objects")
    canonical = response.json()["rows"][0]["canonical_post_id"]
    assert canonical == {"value": ids["library"], "label": "Library opening hours extended"}


def test_sqlite_utils_detects_and_searches(sample):
    path, ids = sample
    database = sqlite_utils.Database(path)
    assert database["posts"].detect_fts() == "posts_fts"
    assert database["comments"].detect_fts() == "comments_fts"
    found = {row["id"] for row in database["posts"].search("sundays")}
    assert found == {ids["library"], ids["copy"]}
    assert database["posts"].get(ids["budget"])["authors"] == '["Siobhán Murphy", "Bob Jones"]'
    foreign = {(fk.column, fk.other_table) for fk in database["clusters"].foreign_keys}
    assert foreign == {("canonical_post_id", "posts")}
    database.close()


def test_metadata_names_the_database_datasette_uses(tmp_path):
    metadata = browse.datasette_metadata("harrow")
    assert list(metadata["databases"]) == ["harrow"]
    assert "/harrow/post_summaries" in metadata["databases"]["harrow"]["description_html"]
    assert "{database}" not in json.dumps(metadata)


def test_browse_refuses_postgresql():
    with pytest.raises(ArchiveError, match="SQLite files only"):
        browse.sqlite_path("postgresql+psycopg://u:secret@localhost/civic")


def test_browse_command_serves_on_loopback_with_metadata(sample, monkeypatch):
    path, _ids = sample
    seen = {}

    def fake_serve(arguments):
        seen["arguments"] = arguments
        metadata_file = Path(arguments[arguments.index("--metadata") + 1])
        seen["metadata"] = json.loads(metadata_file.read_text(encoding="utf-8"))

    monkeypatch.setattr("crawler.cli.browse._serve", fake_serve)
    result = CliRunner().invoke(cli, ["--db", str(path), "browse", "--port", "0", "--no-open"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    arguments = seen["arguments"]
    assert arguments[0] == str(path)
    assert arguments[arguments.index("--host") + 1] == "127.0.0.1"
    assert arguments[arguments.index("--port") + 1] == "0"
    assert "--open" not in arguments
    assert "archive" in seen["metadata"]["databases"]


def test_browse_serves_datasette_on_loopback(sample):
    """The real command: a Datasette server answering a search on 127.0.0.1."""
    path, _ids = sample
    with _browse_server(path) as base:
        with urllib.request.urlopen(f"{base}/archive/post_summaries.json?_search=sundays"
                                    "&_shape=objects&_col=title", timeout=10) as response:
            rows = json.load(response)["rows"]
    assert [row["title"] for row in rows] == ["Library opening hours extended"] * 2


@contextmanager
def _browse_server(path: Path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", str(path), "browse",
                                "--port", str(port), "--no-open"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/-/versions.json", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, attempts: int = 300) -> None:
    for _ in range(attempts):
        if process.poll() is not None:
            raise AssertionError(f"datasette exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"datasette did not answer at {url}")


def test_headless_browser_searches_the_archive(sample, tmp_path):
    chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                                 shutil.which("chromium") or "", shutil.which("google-chrome") or "")
                     if p and Path(p).exists()), None)
    if chromium is None:
        print("skipped: no headless browser (install Debian's chromium to run this test)")
        pytest.skip("no headless browser installed (/usr/bin/chromium absent)")
    path, _ids = sample
    with _browse_server(path) as base:
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", f"{base}/archive/post_summaries?_search=sundays"],
            capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Library opening hours extended" in dom
    assert "Budget meeting notes" not in dom
    assert 'name="_search"' in dom
