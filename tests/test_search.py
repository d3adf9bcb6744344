"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector): ranking, operators,
filters, story clusters, index upkeep and the migration that builds the index."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, delete, select, text

from tests.support.archive_builder import SamplePost, add_sample_archive, day
from storage import db, repo
from storage.db import ArchiveError
from storage.models import Base, Comment, Post, Site
from storage.search import search, sql_text, prepare
from storage.search_filters import DEFAULT_FILTERS, Filters, parse_date


@pytest.fixture
def sample(archive):
    """A sample archive of the test's own, for tests that change it."""
    with archive.Session.begin() as session:
        ids = add_sample_archive(session)
    return archive, ids


def found(sample, query, filters=DEFAULT_FILTERS, **options):
    archive, ids = sample
    names = {v: k for k, v in ids.items()}
    with archive.Session() as session:
        return [names.get(h.id, h.id) for h in search(session, query, filters, **options)]


def test_title_match_ranks_above_body_match(sample_archive):
    assert found(sample_archive, "allotment") == ["allotment-title", "allotment-body"]


@pytest.mark.parametrize("query, expected", [
    ("library sundays", {"library"}),
    ("library parking", {"budget"}),
    ('"library was mentioned"', {"budget", "recycling"}),
    ('"mentioned library"', set()),
    ("parking OR tuesdays", {"budget", "recycling"}),
    ("library -parking", {"library", "recycling"}),
    ('library -"was mentioned"', {"library"}),
    ("tuesd*", {"recycling"}),
    ('"opening hou"*', {"library"}),
    ("collection", {"recycling"}),  # stemmed: matches "collections"
    ("café", {"recycling"}),
    ("LIBRARY Sundays", {"library"}),
])
def test_query_operators(sample_archive, query, expected):
    assert set(found(sample_archive, query)) == expected


@pytest.mark.parametrize("filters, expected", [
    (Filters(sites=("pinner",)), {"copy", "recycling"}),
    (Filters(sites=("https://harrow.example/",)), {"library", "budget"}),
    (Filters(authors=("ann hale",)), {"library"}),
    (Filters(tags=("Library",)), {"library"}),
    (Filters(categories=("council",)), {"budget", "recycling"}),
    (Filters(since=parse_date("2023")), {"library", "recycling"}),
    (Filters(until=parse_date("2022-12-31", end=True)), {"budget"}),
    (Filters(since=parse_date("2023-03"), until=parse_date("2023-03", end=True)), {"library"}),
])
def test_filters(sample_archive, filters, expected):
    assert set(found(sample_archive, "library", filters)) == expected


def test_status_filter(sample_archive):
    assert found(sample_archive, "bridge") == []
    assert found(sample_archive, "bridge", Filters(status="gone")) == ["flood"]
    assert found(sample_archive, "bridge", Filters(status="all")) == ["flood"]


def test_pages_only_when_asked(sample_archive):
    assert "about" not in found(sample_archive, "residents")
    assert "about" in found(sample_archive, "residents", Filters(include_pages=True))


def test_one_hit_per_story_unless_all_copies(sample_archive):
    archive, ids = sample_archive
    with archive.Session() as session:
        (hit,) = search(session, "sundays")
        assert (hit.id, hit.copies, hit.cluster) == (ids["library"], 1, hit.cluster)
        both = search(session, "sundays", all_copies=True)
    assert {h.id for h in both} == {ids["library"], ids["copy"]}


def test_story_shown_by_member_when_canonical_is_filtered_out(sample_archive):
    assert found(sample_archive, "sundays", Filters(sites=("pinner",))) == ["copy"]


def test_sorting_and_paging(sample_archive):
    assert found(sample_archive, "library", sort="newest") == ["recycling", "library", "budget"]
    assert found(sample_archive, "library", sort="oldest") == ["budget", "library", "recycling"]
    assert found(sample_archive, "library", sort="oldest", limit=1, offset=1) == ["library"]


def test_snippet_highlights_matches(sample_archive):
    archive, _ = sample_archive
    with archive.Session() as session:
        (hit,) = search(session, "parking")
        assert "[Parking]" in hit.snippet
        (hit,) = search(session, "parking", highlight=("<b>", "</b>"))
        assert "<b>Parking</b>" in hit.snippet


def test_comment_search(sample_archive):
    archive, ids = sample_archive
    with archive.Session() as session:
        hits = search(session, "sundays", target="comments")
        assert [(h.post_id, h.author) for h in hits] == [(ids["library"], "Edith")]
        assert hits[0].parent_id is not None and "[Sundays]" in hits[0].snippet
        assert search(session, "library", Filters(authors=("dev",)), target="comments")
        assert not search(session, "library", Filters(authors=("edith",)), target="comments")


def test_index_follows_edits_and_deletes(sample):
    archive, ids = sample
    with archive.Session.begin() as session:
        post = session.get(Post, ids["budget"])
        post.title, post.text = "Parking permits", "Permit prices for residents."
    assert found(sample, "permit") == ["budget"]
    assert found(sample, "charges") == []
    with archive.Session.begin() as session:
        session.execute(delete(Post).where(Post.id == ids["budget"]))
    assert found(sample, "permit") == []


def test_index_follows_site_removal_and_comment_edits(sample):
    archive, ids = sample
    with archive.Session.begin() as session:
        comment = session.scalar(select(Comment).where(Comment.author == "Dev"))
        comment.text = "Marvellous."
    with archive.Session() as session:
        assert [h.author for h in search(session, "marvellous", target="comments")] == ["Dev"]
    with archive.Session.begin() as session:
        repo.remove_site(session, session.scalar(select(Site).where(Site.name == "harrow")))
    with archive.Session() as session:
        assert search(session, "marvellous", target="comments") == []
        assert search(session, "allotment") == []


def test_upserted_post_is_searchable_at_once(sample):
    archive, _ = sample
    with archive.Session.begin() as session:
        site = repo.find_site(session, "harrow")
        repo.upsert_post(session, site, SamplePost("https://harrow.example/new/", "Zebra crossing",
                                                   "A new crossing by the school.",
                                                   published=day("2024-02-01")))
        assert [h.title for h in search(session, "zebra")] == ["Zebra crossing"]


def test_unknown_site_is_an_archive_error(sample_archive):
    with pytest.raises(ArchiveError, match="no site 'nowhere'"):
        found(sample_archive, "library", Filters(sites=("nowhere",)))


def test_bad_options_are_value_errors(sample_archive):
    with pytest.raises(ValueError, match="sort must be"):
        found(sample_archive, "library", sort="random")
    with pytest.raises(ValueError, match="limit"):
        found(sample_archive, "library", limit=0)
    with pytest.raises(ValueError, match="empty date range"):
        Filters(since=parse_date("2024"), until=parse_date("2023", end=True))


def test_sql_keeps_user_text_in_parameters(sample_archive):
    archive, _ = sample_archive
    with archive.Session() as session:
        sql, params = sql_text(session, prepare(session, "'; DROP TABLE posts; --"))
    assert "DROP" not in sql and "DROP" in params["query"]


def test_models_and_migrations_agree_past_search_objects(archive_url):
    engine = db.make_engine(archive_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_object": db.include_object}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    engine.dispose()
    assert diff == []



def test_migration_indexes_existing_rows_and_downgrades(archive_url):
    engine = db.make_engine(archive_url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO sites (id, url, name, aliases, settings, added_at) "
                          "VALUES (1, 'https://a.example/', 'a', '[]', '{}', '2024-01-01')"))
        conn.execute(text(
            "INSERT INTO posts (id, site_id, canonical_url, kind, title, authors, text, html, "
            "word_count, links, images, content_hash, status, first_seen, last_seen) VALUES "
            "(1, 1, 'https://a.example/1/', 'post', 'Old heron', '[]', 'Seen by the lake', '', "
            "4, '[]', '[]', 'x', 'live', '2024-01-01', '2024-01-01')"))
    archive = db.open_archive(archive_url)
    with archive.Session() as session:
        assert [h.id for h in search(session, "heron lake")] == [1]
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0001")
    with engine.connect() as conn:
        opts = {"compare_type": True}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    # Nothing of the search index is left (what later revisions add is missing too).
    assert diff and not [d for d in diff if "_fts" in str(d) or "search_vector" in str(d)]
    assert not [t for t in inspect(engine).get_table_names() if t.endswith("_fts")]
    archive.dispose()
    engine.dispose()


def test_ranking_only_the_best_candidates_gives_the_same_pages(archive, monkeypatch):
    """The fast path (rank a few best matches, then filter and collapse) must agree with
    ranking every match, including when it has to fall back."""
    from tests.support.archive_builder import BuildSpec, Words, build_archive
    from storage import search as search_module

    build_archive(archive, BuildSpec(posts=300, sites=3, words=30, cluster_every=4, gone_every=5))
    vocab = Words(7).vocab
    queries = [vocab[5], vocab[40], f"{vocab[3]} OR {vocab[9]}", f"{vocab[2]} -{vocab[6]}"]
    with archive.Session() as session:
        def pages(slack):
            monkeypatch.setattr(search_module, "CANDIDATE_SLACK", slack)
            return [[h.id for h in search(session, q, limit=limit, offset=offset)]
                    for q in queries for limit, offset in ((1, 0), (5, 0), (5, 7), (40, 0))]
        full = pages(10_000)
        assert any(len(page) > 1 for page in full)
        assert pages(0) == full


@pytest.mark.parametrize("query, target", [("tuesd*", "posts"), ('"opening hou"*', "posts"),
                                           ("sund*", "comments"), ("libr* -parking", "posts")])
def test_prefix_snippets_from_one_scan_match_per_hit_probes(sample_archive, monkeypatch, query, target):
    """SQLite cuts a prefix query's snippets in one scan of the matches; the hits must be
    exactly those of one probe per hit (PostgreSQL runs the same code path both times)."""
    from storage import search_sql

    archive, _ = sample_archive
    with archive.Session() as session:
        scanned = search(session, query, target=target)
        monkeypatch.setattr(search_sql._Backend, "scans_for_snippets", lambda self: False)
        probed = search(session, query, target=target)
    assert scanned and scanned == probed


def test_short_page_of_a_rare_query_is_ranked_once(sample_archive, monkeypatch):
    """When fewer posts match than the candidates ranked, the short page is already the
    answer: no second search ranking every match."""
    from storage import search as search_module

    statements = []
    rows = search_module._rows
    monkeypatch.setattr(search_module, "_rows",
                        lambda session, request: statements.append(request) or rows(session, request))
    assert found(sample_archive, "library") == ["library", "budget", "recycling"]
    assert len(statements) == 1 and statements[0].candidates is not None
