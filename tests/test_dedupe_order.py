"""Clusters, canonicals and relations do not depend on the order posts arrive in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from dedupe import DedupeIndex, Links, Member, Params, add_post, cluster
from tests.benchmarks.dedupe_labelled import build

#: Few enough stories to run in seconds; a low boilerplate limit so that the site footer
#: and sign-offs become boilerplate part-way through every order (and links are revised).
STORIES = 6
PARAMS = Params(max_anchor_posts=6)


def _archive(order: list[str], texts: dict[str, str], members: list[Member]) -> tuple:
    index, links = DedupeIndex(PARAMS), Links()
    rematched = 0
    for key in order:
        rematched += len(add_post(index, links, key, texts[key], texts.get))
    clusters = {(c.canonical, frozenset(c.keys)) for c in cluster(members, links.edges())}
    related = {pair: (m.method, round(m.similarity, 6), m.sentences)
               for pair, m in links.related().items()}
    return clusters, related, rematched


@pytest.fixture(scope="module")
def labelled():
    ls = build(STORIES, seed=3)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    # Publication dates as generated (originals first), so canonicals are well defined.
    members = [Member(p.key, published=start + timedelta(hours=int(p.key[1:])), url=p.key)
               for p in ls.posts]
    return ls, {p.key: p.text for p in ls.posts}, members


def test_five_insertion_orders_give_one_archive(labelled) -> None:
    ls, texts, members = labelled
    keys = sorted(texts)
    first = None
    for seed in range(5):
        order = keys[:]
        random.Random(seed).shuffle(order)
        clusters, related, rematched = _archive(order, texts, members)
        if first is None:
            first = (clusters, related)
            # The set is not trivial: stories repeat, text is reused, boilerplate appears.
            assert len(clusters) >= STORIES and related and rematched
            continue
        assert clusters == first[0], f"clusters differ in order {seed}"
        assert related == first[1], f"relations differ in order {seed}"


def test_sites_one_by_one_or_together(labelled) -> None:
    ls, texts, members = labelled
    # Two "sites": originals and their own variants on one, everything else on the other.
    keys = sorted(texts)
    site_a = [k for k in keys if int(k[1:]) % 2 == 0]
    site_b = [k for k in keys if int(k[1:]) % 2 == 1]
    together = [k for pair in zip(site_a, site_b) for k in pair] + site_a[len(site_b):] \
        + site_b[len(site_a):]
    assert _archive(site_a + site_b, texts, members)[:2] == \
        _archive(site_b + site_a, texts, members)[:2] == _archive(together, texts, members)[:2]
