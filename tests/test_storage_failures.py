"""Owed URLs in the archive: recorded per site, counted per failed run, cleared on success."""

from __future__ import annotations

from crawler.freshness import Freshness
from storage import repo
from storage.crawl_state import clear_failure, load_site_state, owed_failures, record_failure


def _fail(session, site, run, key="http://b.example/a/", reason="http_503"):
    return record_failure(session, site.id, run.id, key=key, url=key, kind="post",
                          callback="parse_page", meta={"route": "sitemap"}, reason=reason)


def test_a_url_failing_on_three_runs_counts_three_and_then_waits(archive):
    with archive.Session.begin() as session:
        site = repo.add_site(session, "http://b.example/")
        for _ in range(3):
            run = repo.start_run(session, site)
            _fail(session, site, run)
            _fail(session, site, run, reason="timeout")  # twice in one run counts once
        session.flush()
        state = load_site_state(session, site.id)
    owed = state.owed["http://b.example/a/"]
    assert (owed.failures, owed.reason, owed.runs_since, owed.meta) == (3, "timeout", 0, {"route": "sitemap"})
    freshness = Freshness(state)
    # Three failed runs in a row: still asked on the next run; it is no known page either.
    assert "http://b.example/a/" in freshness.owed_due() and freshness.page_needs_fetch("http://b.example/a/")
    with archive.Session.begin() as session:
        site = repo.find_site(session, "http://b.example/")
        _fail(session, site, repo.start_run(session, site))
        session.flush()
        state = load_site_state(session, site.id)
    # After a fourth, it sits the next run out (backoff), but is not forgotten.
    assert Freshness(state).waiting("http://b.example/a/")
    assert Freshness(state, full=True).owed_due()


def test_an_answer_clears_what_was_owed(archive):
    with archive.Session.begin() as session:
        site = repo.add_site(session, "http://b.example/")
        run = repo.start_run(session, site)
        _fail(session, site, run)
        _fail(session, site, run, key="http://b.example/b/")
        session.flush()
        assert clear_failure(session, site.id, "http://b.example/a/")
        assert not clear_failure(session, site.id, "http://b.example/a/")
        session.flush()
        assert [row.url for row in owed_failures(session)] == ["http://b.example/b/"]
