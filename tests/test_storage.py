"""The storage API on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from storage import repo
from storage.db import ArchiveError, mask_url, resolve_url
from crawler.items import Comment as C
from crawler.items import Post
from storage.models import Capture, Comment, PostUrl, PostVersion, Term
from storage.models import Post as StoredPost
from storage.urls import normalize_url, site_root

UTC = timezone.utc


def P(url: str, **fields) -> Post:  # noqa: N802 - reads like the dataclass it builds
    """An extracted post as the crawler hands it to storage, with realistic defaults."""
    defaults = dict(
        title="Library hours cut again",
        text="The council plans to close the branch on Sundays.\n\nResidents object.",
        html="<p>The council plans…</p>", authors=["Ann Example"],
        published=datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        categories=["Libraries"], tags=["budget", "sundays"], platform_id="101",
        language="en-GB")
    return Post(url=url, **{**defaults, **fields})


@pytest.fixture
def site(archive):
    with archive.Session.begin() as session:
        return repo.add_site(session, "http://blog.example/", "blog").id


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_new_post_with_aliases_terms_and_threaded_comments(archive, site):
    post = P(url="http://blog.example/2024/03/01/library/?utm_source=x",
             canonical_url="http://blog.example/2024/03/01/library/",
             comments=[C("Shame.", "Bo", platform_id="comment-1"),
                       C("Agreed.", "Cy", platform_id="comment-2", parent_id="comment-1")])
    with archive.Session.begin() as session:
        result = repo.upsert_post(session, session.get_one(repo.Site, site), post, found_via="sitemap",
                                  aliases=[("http://blog.example/?p=101", "shortlink")])
        assert result.outcome == "new"
    with archive.Session() as session:
        stored = session.scalar(select(StoredPost))
        assert stored.canonical_url == "http://blog.example/2024/03/01/library/"
        assert stored.published == datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
        assert stored.published.tzinfo is not None
        assert stored.word_count == 11
        urls = {u.url: u.found_via for u in stored.urls}
        assert urls == {"http://blog.example/2024/03/01/library/": "canonical,sitemap",
                        "http://blog.example/?p=101": "shortlink"}
        assert sorted((t.taxonomy, t.name) for t in stored.terms) == [
            ("category", "Libraries"), ("tag", "budget"), ("tag", "sundays")]
        reply = session.scalar(select(Comment).where(Comment.platform_id == "comment-2"))
        parent = session.scalar(select(Comment).where(Comment.platform_id == "comment-1"))
        assert reply.parent_id == parent.id
        assert _count(session, PostVersion) == 1


def test_same_post_seen_again_is_one_post_and_an_edit_is_a_version(archive, site):
    with archive.Session.begin() as session:
        s = session.get_one(repo.Site, site)
        repo.upsert_post(session, s, P(url="http://blog.example/a/"))
        # The same post reached through its shortlink, with no canonical: still one post.
        again = repo.upsert_post(session, s, P(url="http://blog.example/?p=101"), found_via="listing")
        assert again.outcome == "unchanged"
        edited = repo.upsert_post(session, s, P(url="http://blog.example/a/", text="Now reopened."))
        assert edited.outcome == "changed"
    with archive.Session() as session:
        assert _count(session, StoredPost) == 1
        assert [v.text for v in session.scalars(select(PostVersion).order_by(PostVersion.number))][-1] == "Now reopened."
        assert _count(session, PostVersion) == 2
        assert _count(session, Term) == 3


def test_comments_are_added_once(archive, site):
    comments = [C("First!", "Dee", platform_id="comment-9")]
    with archive.Session.begin() as session:
        s = session.get_one(repo.Site, site)
        repo.upsert_post(session, s, P(url="http://blog.example/a/", comments=comments))
        repo.upsert_post(session, s, P(url="http://blog.example/a/",
                                       comments=comments + [C("Second", "Ed")]))
    with archive.Session() as session:
        assert _count(session, Comment) == 2


def test_failed_unit_of_work_leaves_nothing(archive, site):
    with pytest.raises(RuntimeError):
        with archive.Session.begin() as session:
            repo.upsert_post(session, session.get_one(repo.Site, site), P(url="http://blog.example/a/"))
            raise RuntimeError("crash mid-item")
    with archive.Session() as session:
        assert _count(session, StoredPost) == 0 and _count(session, PostUrl) == 0


def test_capture_round_trip_and_runs(archive, site):
    body = "<html><p>Café council</p></html>".encode()
    with archive.Session.begin() as session:
        run = repo.start_run(session, session.get_one(repo.Site, site))
        repo.record_capture(session, url="http://blog.example/a/", status=200, body=body,
                            headers={"Content-Type": ["text/html; charset=utf-8"]},
                            site_id=site, run_id=run.id)
        repo.finish_run(session, run, "finished", {"pages": 1})
    with archive.Session() as session:
        capture = session.scalar(select(Capture))
        assert repo.capture_body(capture) == body and capture.size == len(body)
        assert capture.fetched_at.tzinfo is not None
        assert repo.summary(session)["last_run"]["status"] == "finished"


def test_naive_datetimes_are_refused(archive, site):
    with pytest.raises(Exception, match="timezone-aware"):
        with archive.Session.begin() as session:
            repo.upsert_post(session, session.get_one(repo.Site, site),
                             P(url="http://blog.example/a/", published=datetime(2024, 1, 1)))


def test_sites_are_unique_and_found_by_name_url_or_id(archive, site):
    with archive.Session.begin() as session:
        with pytest.raises(ArchiveError, match="already"):
            repo.add_site(session, "HTTP://Blog.Example")
        assert repo.find_site(session, "blog").id == site
        assert repo.find_site(session, str(site)).id == site
        assert repo.find_site(session, "http://blog.example").id == site
        with pytest.raises(ArchiveError, match="http"):
            repo.add_site(session, "ftp://blog.example/")


def test_mark_gone_keeps_the_post(archive, site):
    with archive.Session.begin() as session:
        post = repo.upsert_post(session, session.get_one(repo.Site, site), P(url="http://blog.example/a/")).post
        repo.mark_gone(session, post)
    with archive.Session() as session:
        assert session.scalar(select(StoredPost)).status == "gone"
        assert session.scalar(select(StoredPost)).gone_at is not None


def test_normalize_url_folds_aliases():
    assert normalize_url("HTTP://Blog.Example:80/a/?utm_source=t&b=2&a=1&fbclid=z#comments") == \
        "http://blog.example/a/?a=1&b=2"
    assert normalize_url("http://blog.example/a/?replytocom=12") == "http://blog.example/a/"
    assert site_root("http://127.0.0.1:8123/blog") == "http://127.0.0.1:8123/blog/"


def test_resolve_url_and_masking(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CIVIC_ARCHIVE_DB", raising=False)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'civic-archive' / 'archive.db'}"
    monkeypatch.setenv("CIVIC_ARCHIVE_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")
    with pytest.raises(ArchiveError, match="does not exist"):
        resolve_url(str(tmp_path / "missing" / "x.db"))
    assert "s3cret" not in mask_url("postgresql+psycopg://me:s3cret@db.example/civic")


def test_a_cross_post_naming_another_blog_as_canonical_keeps_its_own_address(archive, site):
    with archive.Session.begin() as session:
        s = session.get_one(repo.Site, site)
        copy = P(url="http://blog.example/2024/03/02/library-again/",
                 canonical_url="https://sister-blog.example/2024/03/01/library/", platform_id="7")
        stored = repo.upsert_post(session, s, copy).post
        assert stored.canonical_url == "http://blog.example/2024/03/02/library-again/"
