"""Shared fixtures: a fresh archive per test on SQLite and, when one answers, PostgreSQL, and
the sample archive that read-only test modules share."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from storage.db import Archive, open_archive
from tests.support.archive_builder import add_sample_archive, scratch_archive
from tests.support.blogs import crawl
from tests.support.postgres import PG_URL, pg_schema, pg_unavailable
from tests.support.requisite_site import MAX_BYTES, RequisiteSite

# Tests talk only to servers on this machine; a proxy variable must not reroute them.
for _name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with end-to-end crawls (marked ``slow``) first, in their own order, so that the
    parallel processes (``-n``) start on the long files and finish with the short ones."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.fixture
def pg_server() -> str:
    """The machine's PostgreSQL server (tests make their own schemas on it), or a skip."""
    problem = pg_unavailable()
    if problem:
        pytest.skip(problem)
    return PG_URL


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    with pg_schema(pg_server) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def archive_url(request) -> str:
    """Each test using this runs on SQLite and on PostgreSQL (skipped with a reason if absent)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def archive(archive_url) -> Iterator[Archive]:
    opened = open_archive(archive_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def sample_archive(request, tmp_path_factory) -> Iterator[tuple[Archive, dict[str, int]]]:
    """The hand-written sample archive (``add_sample_archive``) and its post ids by name, built
    once per module and backend: for tests that only read it, or that add to it in a module
    fixture of their own."""
    if request.param == "postgres" and pg_unavailable():
        pytest.skip(pg_unavailable())
    with scratch_archive(request.param, tmp_path_factory.mktemp("sample"), PG_URL) as opened:
        with opened.Session.begin() as session:
            ids = add_sample_archive(session)
        yield opened, ids


@pytest.fixture(scope="session")
def requisite_crawl(tmp_path_factory):
    """The two-post blog with page requisites (``RequisiteSite``) crawled once, for the tests
    that read the archive it leaves: (archive path, the site, the crawl's result)."""
    db = str(tmp_path_factory.mktemp("requisites") / "archive.db")
    with RequisiteSite() as site:
        result = crawl(db, site.base + "/", "-s", f"CIVIC_ARCHIVE_REQUISITE_MAX_BYTES={MAX_BYTES}")
    assert result.returncode == 0, result.stderr[-3000:]
    return db, site, result
