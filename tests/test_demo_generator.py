"""The sample-blog generator: determinism, shape, planted repeats, prose variety, mutate()."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest

from crawler.demo import Blog, generate_blog
from crawler.demo.model import london_time

ALLOWED_OFFSETS = {timedelta(0), timedelta(hours=1)}


def shingles(text: str, k: int = 5) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


@pytest.fixture(scope="module")
def blog() -> Blog:
    return generate_blog(60, seed=0)


def snapshot(blog: Blog) -> list[tuple]:
    return [(p.id, p.permalink, p.title, p.published, p.modified, p.paragraphs, p.kind, p.repeat_of,
             [(c.id, c.parent_id, c.author, c.text) for c in p.comments]) for p in blog.posts]


def test_same_seed_gives_the_same_blog(blog: Blog) -> None:
    assert snapshot(generate_blog(60, seed=0)) == snapshot(blog)
    assert snapshot(generate_blog(60, seed=1)) != snapshot(blog)


def test_shape_of_the_blog(blog: Blog) -> None:
    assert len(blog.posts) == 60
    assert 4 <= len(blog.authors) <= 6
    assert 6 <= len(blog.categories) <= 8
    assert 15 <= len(blog.tags) <= 30
    ids = [p.id for p in blog.posts]
    assert ids == sorted(ids) and len(set(ids)) == 60
    assert len({p.permalink for p in blog.posts}) == 60
    span = blog.posts[-1].published - blog.posts[0].published
    assert span > timedelta(days=3 * 365)
    assert blog.protected not in blog.posts and blog.protected.password
    assert blog.about.path == "/about/"


def test_post_fields(blog: Blog) -> None:
    logins = {a.login: a.name for a in blog.authors}
    for post in blog.posts:
        assert post.path == f"/{post.published:%Y/%m/%d}/{post.slug}/"
        assert post.permalink == blog.base_url + post.path
        assert post.published.utcoffset() in ALLOWED_OFFSETS
        assert post.published == london_time(post.published)  # the offset London had that day
        assert post.modified >= post.published
        assert logins[post.author_login] == post.author_name
        assert post.categories and all(blog.term(c) for c in post.categories)
        assert all(blog.term(t, "post_tag") for t in post.tags)
        assert all(p.strip() for p in post.paragraphs)


def test_comments_are_threaded_and_dated(blog: Blog) -> None:
    comments = [c for p in blog.posts for c in p.comments]
    assert len(comments) > 30
    assert len({c.id for c in comments}) == len(comments)
    assert any(c.parent_id for c in comments)
    for post in blog.posts:
        mine = {c.id: c for c in post.comments}
        for comment in post.comments:
            assert comment.published > post.published
            if comment.parent_id is not None:
                assert mine[comment.parent_id].published < comment.published


def test_lengths_vary_with_a_few_short_notices(blog: Blog) -> None:
    counts = sorted(p.word_count for p in blog.posts)
    assert 2 <= sum(c < 60 for c in counts) <= 6
    assert 150 <= counts[len(counts) // 2] <= 700
    assert counts[-1] <= 1100


def test_planted_repeats_are_labelled(blog: Blog) -> None:
    kinds = sorted(p.kind for p in blog.repeats())
    assert kinds == ["edited", "edited", "edited", "exact", "quotes", "quotes"]
    for post in blog.repeats():
        source = blog.post(post.repeat_of)
        assert source.kind == "original" and source.published < post.published
        assert post.id != source.id and post.permalink != source.permalink
    assert len(blog.duplicate_groups()) == 4
    assert len(blog.related_pairs()) == 2


def test_exact_repost_is_identical_months_later(blog: Blog) -> None:
    (post,) = [p for p in blog.posts if p.kind == "exact"]
    source = blog.post(post.repeat_of)
    assert post.paragraphs == source.paragraphs and post.title == source.title
    assert post.published - source.published > timedelta(days=60)


def test_edited_reposts_stay_near_duplicates(blog: Blog) -> None:
    edited = [p for p in blog.posts if p.kind == "edited"]
    labels = {e for p in edited for e in p.edits}
    assert labels == {"typos fixed", "update appended", "paragraph dropped", "intro added", "title changed"}
    for post in edited:
        source = blog.post(post.repeat_of)
        assert post.text != source.text
        a, b = shingles(post.text), shingles(source.text)
        assert jaccard(a, b) >= 0.75 or len(a & b) / min(len(a), len(b)) >= 0.9
        assert ("title changed" in post.edits) == (post.title != source.title)


def test_quoting_posts_reuse_part_of_an_older_post(blog: Blog) -> None:
    for quoting, quoted, fraction in blog.related_pairs():
        post, source = blog.post(quoting), blog.post(quoted)
        reused = [p for p in source.paragraphs if p in post.paragraphs]
        assert 0.3 <= fraction <= 0.6
        assert len(reused) / len(source.paragraphs) == pytest.approx(fraction)
        assert jaccard(shingles(post.text), shingles(source.text)) < 0.5


def test_unrelated_posts_share_little_wording() -> None:
    blog = generate_blog(150, seed=7)
    linked = {frozenset((p.id, p.repeat_of)) for p in blog.repeats()}
    sets = {p.id: shingles(p.text) for p in blog.posts}
    worst = max(
        jaccard(sets[a], sets[b]) for a, b in itertools.combinations(sets, 2) if frozenset((a, b)) not in linked
    )
    assert worst < 0.1


def test_small_blogs_skip_or_refuse_planting() -> None:
    assert generate_blog(5, seed=2).repeats() == []
    with pytest.raises(ValueError):
        generate_blog(5, plant=True)


def test_mutate_adds_edits_and_deletes(blog: Blog) -> None:
    before = snapshot(blog)
    after = blog.mutate(added=10, edited=5, deleted=2, seed=3)
    assert snapshot(blog) == before  # the old version is untouched
    changes = after.changes
    assert (len(changes.added), len(changes.edited), len(changes.deleted)) == (10, 5, 2)
    old_ids, new_ids = {p.id for p in blog.posts}, {p.id for p in after.posts}
    assert new_ids - old_ids == set(changes.added)
    assert old_ids - new_ids == set(changes.deleted)
    newest_before = max(p.published for p in blog.posts)
    assert all(after.post(i).published > newest_before for i in changes.added)
    for post_id in changes.edited:
        old, new = blog.post(post_id), after.post(post_id)
        assert new.permalink == old.permalink and new.published == old.published
        assert new.text != old.text and new.modified > old.modified
        assert ("title changed" in changes.edit_kinds[post_id]) == (new.title != old.title)
    untouched = old_ids - set(changes.edited) - set(changes.deleted)
    assert all(after.post(i).text == blog.post(i).text for i in untouched)
    assert after.version == blog.version + 1


def test_mutate_is_deterministic_and_keeps_repeats(blog: Blog) -> None:
    one = blog.mutate(seed=4)
    two = generate_blog(60, seed=0).mutate(seed=4)
    assert snapshot(one) == snapshot(two)
    assert sorted(p.id for p in one.repeats()) == sorted(p.id for p in blog.repeats())
    with pytest.raises(ValueError):
        blog.mutate(edited=500)


def test_rebase_moves_every_address() -> None:
    blog = generate_blog(20, seed=5).rebase("http://127.0.0.1:9999/")
    assert blog.base_url == "http://127.0.0.1:9999"
    assert all(p.permalink.startswith("http://127.0.0.1:9999/20") for p in blog.posts)
    assert blog.protected.shortlink == f"http://127.0.0.1:9999/?p={blog.protected.id}"
