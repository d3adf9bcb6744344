"""Clustering duplicate links, canonical choice, verification measures and paragraph diffs."""

from __future__ import annotations

from datetime import datetime, timezone

from dedupe import Edge, Member, Params, cluster, diff_paragraphs
from dedupe.document import analyze
from dedupe.match import Match
from dedupe.verify import compare, containment, jaccard, reused_fraction


def day(n: int) -> datetime:
    return datetime(2025, 3, n, tzinfo=timezone.utc)


def test_canonical_is_earliest_then_site_rank_then_shortest_url() -> None:
    members = [
        Member("late", day(9), 0, "https://a.example/late"),
        Member("copy", day(2), 1, "https://aggregator.example/p/1"),
        Member("orig", day(2), 0, "https://blog.example/a-long-permalink"),
        Member("short", day(2), 0, "https://blog.example/a"),
    ]
    edges = [
        Edge("late", "copy", "exact", "exact", 1.0),
        Edge("copy", "orig", "near", "jaccard", 0.9),
        Edge("orig", "short", "near", "containment", 0.95),
    ]
    [c] = cluster(members, edges)
    assert c.canonical == "short"
    assert c.keys == ["short", "orig", "copy", "late"]
    by_key = {m.key: m for m in c.members}
    assert (by_key["short"].method, by_key["short"].similarity) == ("canonical", 1.0)
    assert (by_key["orig"].method, by_key["orig"].similarity) == ("containment", 0.95)
    assert (by_key["late"].method, by_key["late"].similarity) == ("transitive", 0.9)


def test_unknown_publication_dates_sort_last() -> None:
    [c] = cluster([Member("a", None), Member("b", day(5))], [Edge("a", "b", "exact", "exact", 1.0)])
    assert c.canonical == "b"


def test_related_edges_never_merge_and_singletons_are_not_clusters() -> None:
    members = [Member(k, day(1)) for k in "abc"]
    edges = [Edge("a", "b", "related", "paragraphs", 0.4),
             Edge("b", "c", "related", "paragraphs", 0.5)]
    assert cluster(members, edges) == []
    assert cluster(members, [Edge("a", "zz", "exact", "exact", 1.0)]) == []


def test_an_excerpt_opening_two_stories_does_not_merge_them() -> None:
    members = [Member("part1", day(1)), Member("part2", day(8)), Member("excerpt", day(2)),
               Member("copy1", day(3))]
    edges = [
        Edge("excerpt", "part1", "near", "excerpt", 0.98),
        Edge("excerpt", "part2", "near", "excerpt", 0.97),
        Edge("copy1", "part1", "near", "jaccard", 0.93),
    ]
    [c] = cluster(members, edges)
    assert set(c.keys) == {"part1", "copy1", "excerpt"}


def test_edge_from_match_puts_the_excerpt_first() -> None:
    m = Match("archived", "near", "excerpt", 0.97, 1.0, new_in_other=0.2, other_in_new=0.97)
    assert (Edge.from_match("new", m).a, Edge.from_match("new", m).b) == ("archived", "new")
    m = Match("archived", "near", "excerpt", 0.97, 1.0, new_in_other=0.97, other_in_new=0.2)
    assert Edge.from_match("new", m).a == "new"


TEXT = ("The borough's recycling rate fell to thirty one per cent last year, the lowest in "
        "west London, according to figures published by the mayor's office on Monday.\n"
        "Officers blame contaminated bins and say a new education campaign will start in the "
        "summer, with stickers on every bin explaining what can go in it.")


def test_verification_measures_on_real_shingle_sets() -> None:
    a = analyze(TEXT)
    assert jaccard(a, analyze(TEXT.upper())) == 1.0
    half = analyze(TEXT.split("\n")[0])
    assert containment(half, a) == 1.0 and 0.3 < containment(a, half) < 0.7
    assert reused_fraction(half, a) == 1.0
    assert 0.3 < reused_fraction(a, half) < 0.7
    c = compare(half, a, Params())
    assert c.a_smaller and c.contained == 1.0 and c.lead and not c.exact
    assert compare(a, analyze(TEXT)).exact


def test_diff_paragraphs_reports_paragraph_operations() -> None:
    a = "Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nShare this:"
    b = "TITLE\n\nFirst paragraph!\n\nSecond paragraph.\n\nUpdate: a third one."
    ops = diff_paragraphs(a, b)
    assert [op.op for op in ops] == ["equal", "replace", "equal", "insert"]
    assert ops[1].a == ("First paragraph.",) and ops[1].b == ("First paragraph!",)
    assert ops[3].b == ("Update: a third one.",) and ops[3].a_start == 3 and ops[3].b_start == 3
