"""Repeated stories stored in the archive: incremental linking, edits, re-clustering."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import dedupe
from crawler.demo import generate_blog
from storage import repo, stories
from storage.models import Cluster, Post, Relation
from tests_support import archive_blog, post_item


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
        result = stories.recluster(session, dedupe.Params(), force=True)
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
        index = stories.load_index(session, dedupe.Params())
        site = repo.find_site(session, blog.base_url)
        saved = repo.upsert_post(session, site, edited)
        session.flush()
        linked = stories.link_if_changed(session, saved.outcome, saved.post, index)
        assert saved.outcome == "changed" and linked.duplicates == 0
    with archive.Session() as session:
        post = session.get_one(Post, ids[original.id])
        assert post.cluster_id is None and len(post.versions) == 2


def test_changed_parameters_force_new_fingerprints(archive, blog):
    archive_blog(archive, blog)
    other = dedupe.Params(seed=2)
    with archive.Session.begin() as session:
        assert stories.refresh_stale(session, other) == len(blog.posts)
        assert stories.refresh_stale(session, other) == 0
        index = stories.load_index(session, other)
        assert len(index) == len(blog.posts)
