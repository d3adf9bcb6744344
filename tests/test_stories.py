"""Repeated stories stored in the archive: incremental linking, edits, re-clustering."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import dedupe
from crawler.demo import generate_blog
from crawler import matching
from storage import repo, story_rows
from storage.models import Cluster, Post, Relation
from tests.support.blogs import archive_blog, post_item


@pytest.fixture(scope="module")
def blog():
    return generate_blog(n_posts=30, seed=11, base_url="http://blog.example")


def _groups(session, ids) -> list[list[int]]:
    back = {v: k for k, v in ids.items()}
    groups = []
    for cluster in session.scalars(select(Cluster)):
        members = sorted(back[p.id] for p in session.scalars(select(Post).where(Post.cluster_id == cluster.id)))
        canonical = back[cluster.canonical_post_id]
        groups.append((canonical, members))
    return sorted(groups)


def test_planted_repeats_cluster_and_reuse_is_related(archive, blog):
    ids = archive_blog(archive, blog)
    expected = sorted((g[0], sorted(g)) for g in blog.duplicate_groups())
    with archive.Session() as session:
        assert _groups(session, ids) == expected
        back = {v: k for k, v in ids.items()}
        related = {(back[r.post_id], back[r.source_id]) for r in session.scalars(select(Relation))}
        assert related == {(a, b) for a, b, _ in blog.related_pairs()}
        for post in session.scalars(select(Post)):
            assert post.signature and post.dedupe_params == dedupe.Params().fingerprint()


def test_recluster_agrees_with_incremental(archive, blog):
    ids = archive_blog(archive, blog)
    with archive.Session() as session:
        before = _groups(session, ids)
    with archive.Session.begin() as session:
        result = matching.recluster(session, dedupe.Params(), force=True)
    assert result["clusters"] == len(blog.duplicate_groups())
    with archive.Session() as session:
        assert _groups(session, ids) == before


def test_an_edit_is_a_version_never_its_own_duplicate(archive, blog):
    ids = archive_blog(archive, blog)
    original = next(p for p in blog.posts if p.kind == "original"
                    and p.id not in {i for g in blog.duplicate_groups() for i in g})
    edited = post_item(original)
    edited.text = edited.text.replace(".", ";", 2) + "\n\nUpdate: the council replied today."
    with archive.Session.begin() as session:
        index = matching.load_index(session, dedupe.Params())
        site = repo.find_site(session, blog.base_url)
        saved = matching.save_post(session, site, edited, index)
        assert saved.outcome == "changed" and saved.links.duplicates == 0
    with archive.Session() as session:
        post = session.get_one(Post, ids[original.id])
        assert post.cluster_id is None and len(post.versions) == 2


def test_changed_parameters_force_new_fingerprints(archive, blog):
    archive_blog(archive, blog)
    other = dedupe.Params(seed=2)
    with archive.Session.begin() as session:
        assert matching.refresh_stale(session, other) == len(blog.posts)
        assert matching.refresh_stale(session, other) == 0
        index = matching.load_index(session, other)
        assert len(index) == len(blog.posts)


# --- a republished copy is not an alias ---------------------------------------------------

from datetime import datetime, timedelta, timezone  # noqa: E402

from crawler.items import Post as Item  # noqa: E402
from storage.post_identity import Identity, same_post  # noqa: E402

_BODY = ("The council will close the Wealdstone library on Sundays from April, saving "
         "forty thousand pounds a year, officers told the cabinet on Tuesday night.\n\n"
         "Residents have collected more than two thousand signatures against the plan, "
         "and the ward councillors have asked for the decision to be called in.")
_DAY = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)


def _page(url: str, **fields) -> Item:
    defaults = dict(title="Library to close on Sundays", text=_BODY, html="<p>…</p>",
                    authors=["Ann"], published=_DAY, platform_id=None)
    return Item(url=url, **{**defaults, **fields})


def test_same_post_needs_the_platform_id_or_the_date_and_body():
    known = Identity("101", _DAY, _BODY)
    assert same_post(known, Identity("101", _DAY + timedelta(days=3), "other"))
    assert not same_post(known, Identity("202", _DAY, _BODY))
    bare = Identity(None, _DAY, _BODY)
    # An AMP or print form: same date, same body (spacing and case aside).
    assert same_post(bare, Identity(None, _DAY, _BODY.upper().replace("\n\n", "\n")))
    assert same_post(bare, Identity(None, None, _BODY))
    # Republished later, or edited: a post of its own.
    assert not same_post(bare, Identity(None, _DAY + timedelta(days=30), _BODY))
    assert not same_post(bare, Identity(None, _DAY, _BODY + "\n\nUpdate: reversed."))
    assert not same_post(Identity(None, None, ""), Identity(None, None, "Some text."))


def _save(archive, site_id, page) -> int:
    with archive.Session.begin() as session:
        index = matching.load_index(session, dedupe.Params())
        saved = matching.save_post(session, session.get_one(repo.Site, site_id), page, index)
        return saved.post.id


@pytest.mark.parametrize("copy_first", [False, True])
def test_a_republished_copy_naming_the_original_as_canonical_is_its_own_post(archive, copy_first):
    with archive.Session.begin() as session:
        site_id = repo.add_site(session, "http://blog.example/").id
    original = _page("http://blog.example/2024/03/01/library/")
    copy = _page("http://blog.example/2024/06/01/library-republished/",
                 canonical_url="http://blog.example/2024/03/01/library/",
                 title="Library to close on Sundays (republished)", published=_DAY + timedelta(days=92))
    pages = [copy, original] if copy_first else [original, copy]
    ids = [_save(archive, site_id, page) for page in pages]
    assert ids[0] != ids[1]
    with archive.Session() as session:
        stored = {p.canonical_url: p for p in session.scalars(select(Post))}
        first = stored["http://blog.example/2024/03/01/library/"]
        second = stored["http://blog.example/2024/06/01/library-republished/"]
        # Neither page overwrote the other's fields; each keeps its own address.
        assert (first.title, first.published) == ("Library to close on Sundays", _DAY)
        assert second.title.endswith("(republished)")
        assert {u.url for u in first.urls} == {"http://blog.example/2024/03/01/library/"}
        # The same story: one cluster, the original (earliest published) canonical.
        assert first.cluster_id is not None and first.cluster_id == second.cluster_id
        assert session.get_one(Cluster, first.cluster_id).canonical_post_id == first.id


def test_an_amp_form_of_the_same_post_is_an_alias(archive):
    with archive.Session.begin() as session:
        site_id = repo.add_site(session, "http://blog.example/").id
    post_id = _save(archive, site_id, _page("http://blog.example/2024/03/01/library/"))
    amp = _page("http://blog.example/2024/03/01/library/amp/",
                canonical_url="http://blog.example/2024/03/01/library/")
    assert _save(archive, site_id, amp) == post_id
    with archive.Session() as session:
        post = session.get_one(Post, post_id)
        assert "http://blog.example/2024/03/01/library/amp/" in {u.url for u in post.urls}
        assert session.scalar(select(Post.id).where(Post.id != post_id)) is None


def test_shared_sentences_are_recorded_with_the_relation(archive):
    with archive.Session.begin() as session:
        site_id = repo.add_site(session, "http://blog.example/").id
    notice = ("Any resident who wishes to object must write to the planning department "
              "within twenty one days of this notice. Objections must give the full address "
              "of the site and the reference number shown on the application. The committee "
              "will consider every written objection received before the closing date.")
    first = _page("http://blog.example/a/", text=(
        "The old police station on Station Road could become forty flats under plans lodged "
        "this week by a developer from Watford. " + notice + "\n\nLocal councillors say the "
        "building should stay in community use and have asked for a site visit."))
    second = _page("http://blog.example/b/", published=_DAY + timedelta(days=40), text=(
        "A second scheme, for a supermarket on the Kenton Lane car park, has now been "
        "submitted by the same agent with a transport study. " + notice + "\n\nTraders on "
        "the parade fear the loss of short stay parking for their customers."))
    a, b = _save(archive, site_id, first), _save(archive, site_id, second)
    with archive.Session() as session:
        relation = session.scalar(select(Relation))
        # The notice makes most of its paragraph here, so the paragraph counts as reused
        # too; either way the sentences both posts hold are kept with the relation.
        assert (relation.post_id, relation.source_id) == (b, a)
        assert relation.method in ("paragraphs", "sentences")
        assert len(relation.shared_sentences) == 3
        assert all(s == s.lower() for s in relation.shared_sentences)
        rows = story_rows.related_rows(session)
        assert rows[0]["shared_sentences"] == relation.shared_sentences
        assert session.get_one(Post, a).cluster_id is None
