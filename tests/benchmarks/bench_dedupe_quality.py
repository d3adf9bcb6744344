"""Dedupe quality on a generated labelled set: per-scenario precision and recall, and a sweep.

Run from the repository root::

    python -m tests.benchmarks.bench_dedupe_quality            # 300 stories (~3,000 posts)
    python -m tests.benchmarks.bench_dedupe_quality --quick    # 80 stories

Posts are matched in a shuffled (crawl) order, each against the posts indexed before it,
exactly as ``dedupe.match`` does; comparisons are kept so thresholds can be swept without
verifying again.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dedupe import (  # noqa: E402
    DedupeIndex,
    Edge,
    Links,
    Member,
    Params,
    add_post,
    cluster,
    fingerprint,
)
from dedupe.document import (
    Document,  # noqa: E402
    analyze,  # noqa: E402
)
from dedupe.fingerprint import fingerprint_document  # noqa: E402
from dedupe.match import (  # noqa: E402
    as_related,
    compilation_parts,
    decide_all,
    needs_container_check,
    pair_boilerplate,
)
from dedupe.verify import Comparison, compare  # noqa: E402
from tests.benchmarks.dedupe_labelled import DUPLICATE_SCENARIOS, LabelledSet, build  # noqa: E402

GOALS = {"dup_precision": 0.99, "dup_recall": 0.99, "related_recall": 0.97, "negatives_merged": 0}
#: Parameters that change the comparisons themselves: each value needs a pass of its own.
PASS_GRID = {"paragraph_reuse_threshold": [0.3, 0.4, 0.5],
             "paragraph_cover_threshold": [0.3, 0.4, 0.5, 0.6]}
DEFAULT_RUN = ("defaults", 0)


@dataclass
class Pass:
    """Candidates and comparisons from one matching pass over the set."""

    compared: list[tuple[str, list[tuple[str, Document, Comparison]]]]
    containers: dict[tuple[str, str], list[tuple[str, Document, Comparison]]]
    found_by: dict[frozenset, set[str]]
    seconds: float
    docs: dict[str, Document]

    @property
    def comparisons(self) -> int:
        return sum(len(items) for _, items in self.compared)


def run_pass(ls: LabelledSet, params: Params) -> Pass:
    """Match every post against those before it, keeping every comparison.

    Mirrors ``dedupe.match`` step by step (candidates, comparisons, and the comparisons of
    a containing post with its own candidates) so thresholds can be swept afterwards.
    """
    start = time.perf_counter()
    docs = {p.key: analyze(p.text, params) for p in ls.posts}
    fps = {key: fingerprint_document(doc, params) for key, doc in docs.items()}
    index = DedupeIndex(params)
    compared, containers, found_by = [], {}, defaultdict(set)
    for post in ls.posts:
        new = docs[post.key]
        items = []
        boilerplate = index.boilerplate(fps[post.key].paragraph_hashes)
        for cand in index.candidates(fps[post.key]):
            pair = frozenset((post.key, cand.key))
            found_by[pair].update(s for s, hit in (("exact", cand.exact), ("bands", cand.bands),
                                                   ("anchors", cand.anchors)) if hit)
            c = compare(new, docs[cand.key], params,
                        pair_boilerplate(index, boilerplate, docs[cand.key]))
            items.append((cand.key, docs[cand.key], c))
            # Loose bounds of needs_container_check over the swept thresholds.
            inside = ((c.a_smaller and c.a_in_b >= 0.8)
                      or (c.a_covered > c.b_covered and c.a_covered >= 0.8
                          and c.a_in_b >= 0.5))
            maybe_near = c.jaccard >= 0.5 or c.contained >= 0.8 or c.coverage >= 0.5
            if (inside and c.size_ratio <= 0.9) or maybe_near:
                container = docs[cand.key]
                around_boilerplate = index.boilerplate(fps[cand.key].paragraph_hashes)
                around = [(k.key, docs[k.key], compare(
                    container, docs[k.key], params,
                    pair_boilerplate(index, around_boilerplate, docs[k.key])))
                    for k in index.candidates(fps[cand.key], exclude=cand.key)]
                around.append((post.key, new, compare(
                    container, new, params, pair_boilerplate(index, around_boilerplate, new))))
                containers[(post.key, cand.key)] = around
        compared.append((post.key, items))
        index.add(post.key, fps[post.key])
    return Pass(compared, containers, found_by, time.perf_counter() - start, docs)


def decided(run: Pass, key: str, new: Document, items: list, params: Params
            ) -> tuple[list, list]:
    """What ``dedupe.match_and_revise`` would return for one post, from stored comparisons:
    its matches, and ``(container, match)`` for the links it revises."""
    comparisons = {k: (doc, c) for k, doc, c in items}
    found, revised = [], []
    for m in decide_all(new, items, params):
        around = run.containers.get((key, m.key))
        container, c = comparisons[m.key]
        if around and needs_container_check(m, c, params):
            parts = compilation_parts(container, around, params)
            if any(part.key == key for part in parts):
                m = as_related(m)
            revised += [(m.key, part) for part in parts if part.key != key]
        found.append(m)
    return found, revised


def run_edges(run: Pass, params: Params) -> list[Edge]:
    """The links of a pass, each pair's latest decision winning (as :class:`dedupe.Links`)."""
    links = {}
    for key, items in run.compared:
        found, revised = decided(run, key, run.docs[key], items, params)
        for m in found:
            links[frozenset((key, m.key))] = Edge.from_match(key, m)
        for container, m in revised:
            links[frozenset((container, m.key))] = Edge.from_match(container, m)
    return list(links.values())


def archive_edges(ls: LabelledSet, params: Params, seed: int) -> tuple[list[Edge], dict]:
    """The links ``dedupe.add_post`` leaves after adding every post in a shuffled order, as
    the archive records them (not from stored comparisons: this is the real procedure)."""
    texts = {p.key: p.text for p in ls.posts}
    order = [p.key for p in ls.posts]
    random.Random(seed).shuffle(order)
    index, links = DedupeIndex(params), Links()
    for key in order:
        add_post(index, links, key, texts[key], texts.get)
    related = links.related()
    edges = links.edges() + [Edge.from_match(next(iter(pair - {m.key})), m)
                             for pair, m in related.items()]
    return edges, {pair: (m.method, round(m.similarity, 6)) for pair, m in related.items()}


def evaluate(ls: LabelledSet, run: Pass, params: Params) -> dict:
    """Score one set of thresholds on stored comparisons."""
    return evaluate_edges(ls, run_edges(run, params))


def evaluate_edges(ls: LabelledSet, edges: list[Edge]) -> dict:
    """Score the links of one matching (duplicate and related edges)."""
    story = {p.key: p.story for p in ls.posts}
    scenario_of = {p.key: p.scenario for p in ls.posts}
    clusters = cluster([Member(p.key) for p in ls.posts], edges)
    cluster_of = {k: n for n, c in enumerate(clusters) for k in c.keys}

    def together(a: str, b: str) -> bool:
        return cluster_of.get(a, a) == cluster_of.get(b, b)

    related_pairs = {frozenset((e.a, e.b)) for e in edges if e.kind == "related"}
    rows: dict[str, Counter] = defaultdict(Counter)
    for post in ls.posts:
        row = rows[post.scenario]
        row["n"] += 1
        if post.scenario in DUPLICATE_SCENARIOS:
            row["dup_total"] += 1
            row["dup_found"] += together(post.key, post.source)
    for c in clusters:
        for a in c.keys:
            row = rows[scenario_of[a]]
            for b in c.keys:
                if a != b:
                    row["pairs"] += 1
                    row["pairs_good"] += story[a] == story[b]
    for r, s, scenario in ls.related:
        rows[scenario]["rel_total"] += 1
        rows[scenario]["rel_found"] += frozenset((r, s)) in related_pairs and not together(r, s)
    for a, b, scenario in ls.negatives:
        rows[scenario]["neg_total"] += 1
        rows[scenario]["neg_merged"] += together(a, b)
    lineage = {p.key: p.lineage for p in ls.posts}
    false_related = sum(1 for a, b in map(tuple, related_pairs) if not lineage[a] & lineage[b])
    dup_edges = [e for e in edges if e.kind != "related"]
    edge_precision = sum(story[e.a] == story[e.b] for e in dup_edges) / max(len(dup_edges), 1)
    return {"rows": rows, "false_related": false_related, "edge_precision": edge_precision}


def summary(result: dict) -> dict:
    """Overall figures of an evaluation."""
    total = Counter()
    for row in result["rows"].values():
        total.update(row)
    return {
        "dup_precision": total["pairs_good"] / max(total["pairs"], 1),
        "dup_recall": total["dup_found"] / max(total["dup_total"], 1),
        "related_recall": total["rel_found"] / max(total["rel_total"], 1),
        "negatives_merged": total["neg_merged"],
        "false_related": result["false_related"],
        "edge_precision": result["edge_precision"],
    }


def _ratio(found: int, total: int) -> str:
    return f"{found / total:6.3f} ({found}/{total})" if total else "     -"


def _merged(row: Counter) -> str:
    return f"{row['neg_merged']}/{row['neg_total']}" if row["neg_total"] else "-"


def print_scenarios(result: dict, verdict: bool = True) -> None:
    print("dup precision: share of same-story pairs among the pairs a scenario's posts form "
          "within their clusters")
    print(f"{'scenario':24s} {'n':>5s}  {'dup recall':16s} {'dup precision':16s} "
          f"{'related recall':16s} {'negatives merged':16s}")
    for scenario, row in sorted(result["rows"].items()):
        print(f"{scenario:24s} {row['n']:5d}  {_ratio(row['dup_found'], row['dup_total']):16s} "
              f"{_ratio(row['pairs_good'], row['pairs']):16s} "
              f"{_ratio(row['rel_found'], row['rel_total']):16s} "
              f"{_merged(row):16s}")
    s = summary(result)
    print(f"\nOVERALL dup precision (pairs in clusters) {s['dup_precision']:.4f} | "
          f"(direct links {s['edge_precision']:.4f}) | dup recall {s['dup_recall']:.4f} | "
          "related recall "
          f"{s['related_recall']:.4f} | hard negatives merged {s['negatives_merged']} | "
          f"unlabelled related links {s['false_related']}")
    if verdict:
        met = all(s[k] >= v for k, v in GOALS.items() if k != "negatives_merged")
        met = met and s["negatives_merged"] == 0
        print("goals (P>=0.99, R>=0.99, related>=0.97, 0 merged):", "MET" if met else "NOT MET")


def print_orders(results: list[tuple[list[Edge], dict]]) -> None:
    """Do all insertion orders give the same clusters and relations?"""
    def clusters_of(edges: list[Edge]) -> set:
        keys = {k for e in edges for k in (e.a, e.b)}
        found = cluster([Member(k, url=k) for k in sorted(keys)], edges)
        return {(c.canonical, frozenset(c.keys)) for c in found}

    first_clusters, first_related = clusters_of(results[0][0]), results[0][1]
    same = [clusters_of(edges) == first_clusters and related == first_related
            for edges, related in results[1:]]
    print(f"Insertion orders giving the first order's clusters, canonicals and relations: "
          f"{sum(same) + 1}/{len(results)}" + ("" if all(same) else "  DIFFERENT"))


def print_sweep(ls: LabelledSet, runs: dict[float, Pass], params: Params) -> None:
    print("\nThreshold sweep (one parameter at a time; others at defaults)")
    print(f"{'parameter':28s} {'value':>6s} {'dupP':>7s} {'linkP':>7s} {'dupR':>7s} "
          f"{'relR':>7s} {'merged':>6s} {'relFP':>6s}")
    grid = {
        "jaccard_threshold": [0.5, 0.6, 0.7, 0.8, 0.9],
        "containment_threshold": [0.8, 0.85, 0.9, 0.95],
        "containment_min_ratio": [0.45, 0.55, 0.65],
        "coverage_min_containment": [0.2, 0.3, 0.4, 0.5],
        "related_threshold": [0.15, 0.2, 0.25, 0.3, 0.4],
        "related_min_shingles": [0, 20, 30, 40],
        "compilation_min_share": [0.1, 0.2, 0.3, 0.45],
        "sentence_related_share": [0.05, 0.1, 0.15, 0.2],
        "sentence_min_shared": [1, 2, 3],
        "coverage_min_words": [40, 80, 150, 250],
        **{name: sorted({v for n, v in runs if n == name}) for name, _ in runs
           if name in PASS_GRID},
    }
    for name, values in grid.items():
        for value in values:
            trial = replace(params, **{name: value})
            run = runs.get((name, value), runs[DEFAULT_RUN])
            s = summary(evaluate(ls, run, trial))
            mark = " *" if getattr(params, name) == value else ""
            print(f"{name:28s} {value:6g} {s['dup_precision']:7.4f} {s['edge_precision']:7.4f} "
                  f"{s['dup_recall']:7.4f} {s['related_recall']:7.4f} "
                  f"{s['negatives_merged']:6d} {s['false_related']:6d}{mark}")
    print("\nCoverage rule: coverage_threshold (rows) by paragraph_cover_threshold (columns); "
          "dup precision / dup recall / related recall")
    covers = sorted(v for n, v in runs if n == "paragraph_cover_threshold")
    print(f"{'':8s}" + "".join(f"{v:>24g}" for v in covers))
    for threshold in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9):
        cells = []
        for cover in covers:
            trial = replace(params, coverage_threshold=threshold, paragraph_cover_threshold=cover)
            s = summary(evaluate(ls, runs[("paragraph_cover_threshold", cover)], trial))
            cells.append(f"{s['dup_precision']:.3f}/{s['dup_recall']:.3f}/"
                         f"{s['related_recall']:.3f}")
        mark = " *" if threshold == params.coverage_threshold else ""
        print(f"{threshold:<8g}" + "".join(f"{c:>24s}" for c in cells) + mark)


def print_candidate_sources(ls: LabelledSet, run: Pass) -> None:
    story = {p.key: p.story for p in ls.posts}
    pairs = [(p.key, p.source) for p in ls.posts if p.scenario in DUPLICATE_SCENARIOS]
    counts = Counter()
    for a, b in pairs:
        sources = run.found_by.get(frozenset((a, b)), set())
        counts.update(sources)
        counts["any"] += bool(sources)
        counts["only_anchors"] += sources == {"anchors"}
        counts["only_bands"] += sources == {"bands"}
    print(f"\nCandidate sources for {len(pairs)} labelled duplicate pairs (before verification): "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    comparisons = run.comparisons
    same = sum(story[a] == story[b] for a, items in run.compared for b, _, _ in items)
    print(f"Comparisons verified: {comparisons} ({same} same-story, "
          f"{comparisons / len(ls.posts):.2f} per post), pass took {run.seconds:.1f} s")


def _candidate_pairs(ls: LabelledSet, fps: dict, params: Params) -> tuple[dict, float]:
    """Pairs proposed by the index (by source) and candidates per post, no verification."""
    index, pairs, total = DedupeIndex(params), defaultdict(set), 0
    for post in ls.posts:
        for cand in index.candidates(fps[post.key]):
            total += 1
            pair = frozenset((post.key, cand.key))
            pairs[pair].update(s for s, hit in (("exact", cand.exact), ("bands", cand.bands),
                                                ("anchors", cand.anchors)) if hit)
        index.add(post.key, fps[post.key])
    return pairs, total / len(ls.posts)


def print_candidate_sweep(ls: LabelledSet, params: Params) -> None:
    fps = {p.key: fingerprint(p.text, params) for p in ls.posts}
    dups = {frozenset((p.key, p.source)) for p in ls.posts if p.scenario in DUPLICATE_SCENARIOS}
    related = {frozenset((r, s)) for r, s, _ in ls.related}
    print("\nCandidates before verification: labelled pairs proposed, and candidates per post")
    print(f"{'setting':40s} {'dup pairs':>12s} {'related pairs':>14s} {'per post':>9s}")
    for bands, rows in ((9, 13), (16, 8), (20, 6), (25, 5), (32, 4)):
        trial = replace(params, lsh_bands=bands, lsh_rows=rows)
        pairs, _ = _candidate_pairs(ls, fps, trial)
        by_lsh = {pair for pair, sources in pairs.items() if "bands" in sources}
        band_rate = sum("bands" in s for s in pairs.values()) / len(ls.posts)
        mark = " *" if (bands, rows) == (params.lsh_bands, params.lsh_rows) else ""
        print(f"{f'LSH {bands}x{rows} alone':40s} {len(by_lsh & dups):5d}/{len(dups):<6d} "
              f"{len(by_lsh & related):6d}/{len(related):<7d} {band_rate:9.2f}{mark}")
    trials = [("min_anchor_overlap", v) for v in (0.0, 0.1, 0.15, 0.2, 0.3)]
    trials += [("max_anchor_posts", v) for v in (10, 25, 50, 200)]
    for name, value in trials:
        pairs, per_post = _candidate_pairs(ls, fps, replace(params, **{name: value}))
        mark = " *" if getattr(params, name) == value else ""
        print(f"{f'all sources, {name} {value:g}':40s} "
              f"{len(pairs.keys() & dups):5d}/{len(dups):<6d} "
              f"{len(pairs.keys() & related):6d}/{len(related):<7d} {per_post:9.2f}{mark}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="80 stories instead of 300")
    parser.add_argument("--stories", type=int, help="number of original stories")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--orders", type=int, default=5,
                        help="shuffled insertion orders that must give one archive")
    args = parser.parse_args(argv)
    stories = args.stories or (80 if args.quick else 300)
    params = Params()
    ls = build(stories, args.seed)
    print(f"Labelled set: {stories} stories, {len(ls.posts)} posts, {len(ls.related)} related "
          f"pairs, {len(ls.negatives)} hard-negative pairs (seed {args.seed})")
    print(f"Params: {params.run_fingerprint()}\n")
    runs = {DEFAULT_RUN: run_pass(ls, params)}
    for name, values in PASS_GRID.items():
        for value in values:
            key = (name, value)
            runs[key] = runs[DEFAULT_RUN] if value == getattr(params, name) else \
                run_pass(ls, replace(params, **{name: value}))
    print(f"Archive procedure (dedupe.add_post) over {args.orders} shuffled insertion orders; "
          "the table is the first order's")
    results = [archive_edges(ls, params, seed) for seed in range(args.orders)]
    print_scenarios(evaluate_edges(ls, results[0][0]))
    print_orders(results)
    print("\nThe sweeps below replay stored comparisons of one pass (compilations revised, "
          "boilerplate as it stood when each post was matched)")
    print_scenarios(evaluate(ls, runs[DEFAULT_RUN], params), verdict=False)
    print_candidate_sources(ls, runs[DEFAULT_RUN])
    print_sweep(ls, runs, params)
    print_candidate_sweep(ls, params)


if __name__ == "__main__":
    main()
