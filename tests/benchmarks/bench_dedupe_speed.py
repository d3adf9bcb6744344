"""Dedupe speed: this package beside datasketch's default path, and a bulk index rebuild.

Run from the repository root::

    python tests/benchmarks/bench_dedupe_speed.py            # 10,000 posts; rebuild of 1M
    python tests/benchmarks/bench_dedupe_speed.py --quick    # 2,000 posts; rebuild of 100k

Part 1 runs the same ~600-word posts (one in ten a lightly edited copy of an earlier one)
through both paths, in the same process, stage by stage:

* datasketch: ``normalize`` → word 5-gram strings → ``MinHash(num_perm=128).update_batch``
  over their UTF-8 bytes → ``MinHashLSH.query`` → verification → ``MinHashLSH.insert``;
* dedupe: ``fingerprint_many`` over a batch of ``BATCH`` posts (its time is shared out
  evenly as each post's signature time), then post by post ``DedupeIndex.candidates`` →
  verification → ``DedupeIndex.add``.

Both use the same LSH banding and the same verification (``compare`` + ``decide_all`` on
real texts), so the duplicates they report can be compared. The differences are the ones
``dedupe.match`` makes: the new post's own analysis comes with its fingerprint
(``fp.document``), where datasketch's path must analyse it again; and a candidate's text is
taken analysed from the index's kept documents (``DedupeIndex.document``, a bounded LRU)
when it is there, where datasketch's path analyses every candidate's text again.
The two paths take turns batch by batch, so load on the machine affects both alike.

Part 2 rebuilds indexes from random stored rows in a child process (so its peak RSS is the
rebuild's own): ``DedupeIndex.rebuild`` at 1M (100k with ``--quick``), and datasketch's
``MinHashLSH.insertion_session`` at 100k for reference.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402
from datasketch import LeanMinHash, MinHash, MinHashLSH  # noqa: E402

from dedupe import DedupeIndex, Params, fingerprint, fingerprint_many, normalize  # noqa: E402
from dedupe.document import Document, analyze  # noqa: E402
from dedupe.match import decide_all  # noqa: E402
from dedupe.shingle import words  # noqa: E402
from dedupe.verify import compare  # noqa: E402
from tests.benchmarks.dedupe_labelled import _typos, make_post  # noqa: E402

STAGES = ("signature", "query", "verify", "insert")
#: Posts fingerprinted together by the dedupe path.
BATCH = 500


def make_posts(count: int, seed: int = 11) -> list[str]:
    """About 600-word posts; every tenth is an edited copy of an earlier one."""
    rng = random.Random(seed)
    posts: list[str] = []
    for n in range(count):
        if n % 10 == 9:
            paras = posts[rng.randrange(len(posts))].split("\n\n")
            paras = [_typos(rng, p, 1) for p in paras] + ["Update: " + paras[1][:200]]
        else:
            paras = make_post(rng, words=rng.randint(560, 640))
        posts.append("\n\n".join(paras))
    return posts


def _verify(new: Document, keys: list, texts: dict, params: Params,
            index: DedupeIndex | None = None) -> list:
    compared = [(k, doc, compare(new, doc, params)) for k in keys
                if (doc := _load(k, texts, params, index)) is not None]
    return decide_all(new, compared, params)


def _load(key: int, texts: dict, params: Params, index: DedupeIndex | None) -> Document:
    """A candidate's analysed text: kept by the index (as ``dedupe.match`` loads it), or
    analysed again (datasketch's path, which has no such store)."""
    text = texts[key]
    doc = index.document(key, text) if index is not None else None
    if doc is None:
        doc = analyze(text, params)
        if index is not None:
            index.keep_document(key, doc, text)
    return doc


class DedupePath:
    """This package: fingerprint_many per batch, then candidates, verification, add."""

    def __init__(self, params: Params) -> None:
        self.params, self.index, self.texts = params, DedupeIndex(params), {}
        self.timer, self.found, self.candidates = Counter(), set(), 0

    def run(self, first_key: int, batch: list[str]) -> None:
        t0 = time.perf_counter()
        fps = fingerprint_many(batch, self.params)
        self.timer.update(signature=time.perf_counter() - t0)
        for key, text, fp in zip(range(first_key, first_key + len(batch)), batch, fps):
            t1 = time.perf_counter()
            candidates = [c.key for c in self.index.candidates(fp)]
            t2 = time.perf_counter()
            matches = (_verify(fp.document, candidates, self.texts, self.params, self.index)
                       if candidates else [])
            t3 = time.perf_counter()
            self.index.add(key, fp)
            t4 = time.perf_counter()
            self.texts[key] = text
            self.candidates += len(candidates)
            self.found.update((key, m.key, m.kind) for m in matches)
            self.timer.update(query=t2 - t1, verify=t3 - t2, insert=t4 - t3)


def datasketch_signature(text: str, params: Params) -> MinHash:
    tokens = words(normalize(text))
    k = params.shingle_size
    grams = {" ".join(tokens[i:i + k]) for i in range(max(1, len(tokens) - k + 1))}
    m = MinHash(num_perm=params.num_perm)
    m.update_batch(s.encode("utf-8") for s in grams)
    return m


class DatasketchPath(DedupePath):
    """datasketch's default path: MinHash + update_batch, MinHashLSH, same verification."""

    def __init__(self, params: Params) -> None:
        super().__init__(params)
        self.lsh = MinHashLSH(num_perm=params.num_perm, params=(params.lsh_bands, params.lsh_rows))

    def run(self, first_key: int, batch: list[str]) -> None:
        for key, text in zip(range(first_key, first_key + len(batch)), batch):
            self.step(key, text)

    def step(self, key: int, text: str) -> None:
        t0 = time.perf_counter()
        m = datasketch_signature(text, self.params)
        t1 = time.perf_counter()
        candidates = self.lsh.query(m)
        t2 = time.perf_counter()
        matches = (_verify(analyze(text, self.params), candidates, self.texts, self.params)
                   if candidates else [])
        t3 = time.perf_counter()
        self.lsh.insert(key, m)
        t4 = time.perf_counter()
        self.texts[key] = text
        self.candidates += len(candidates)
        self.found.update((key, m.key, m.kind) for m in matches)
        self.timer.update(signature=t1 - t0, query=t2 - t1, verify=t3 - t2, insert=t4 - t3)


def run_side_by_side(posts: list[str], params: Params) -> tuple[DatasketchPath, DedupePath]:
    """Both paths over the same posts, taking turns batch by batch."""
    base, ours = DatasketchPath(params), DedupePath(params)
    for start in range(0, len(posts), BATCH):
        base.run(start, posts[start:start + BATCH])
        ours.run(start, posts[start:start + BATCH])
    return base, ours


def print_pipeline(count: int) -> None:
    params = Params()
    posts = make_posts(count)
    mean_words = sum(len(p.split()) for p in posts) / len(posts)
    print(f"Part 1: {count} posts, {mean_words:.0f} words on average, num_perm={params.num_perm}, "
          f"LSH {params.lsh_bands}x{params.lsh_rows}")
    run_side_by_side(posts[:200], params)   # warm caches
    base, ours = run_side_by_side(posts, params)
    print(f"\n{'stage':12s} {'datasketch us/post':>19s} {'dedupe us/post':>15s} {'speed-up':>9s}")
    for stage in (*STAGES, "total"):
        b = sum(base.timer.values()) if stage == "total" else base.timer[stage]
        o = sum(ours.timer.values()) if stage == "total" else ours.timer[stage]
        print(f"{stage:12s} {b / count * 1e6:19.1f} {o / count * 1e6:15.1f} {b / o:8.1f}x")
    b_total, o_total = sum(base.timer.values()), sum(ours.timer.values())
    print(f"{'posts/s':12s} {count / b_total:19.0f} {count / o_total:15.0f} "
          f"{b_total / o_total:8.1f}x")
    print(f"{'candidates':12s} {base.candidates / count:19.2f} {ours.candidates / count:15.2f}"
          "   (verified per post)")
    base_found, ours_found = base.found, ours.found
    dups = lambda found: {(a, b) for a, b, kind in found if kind != "related"}  # noqa: E731
    both = dups(base_found) & dups(ours_found)
    print(f"\nDuplicate links: datasketch {len(dups(base_found))}, dedupe {len(dups(ours_found))}, "
          f"both {len(both)}; only datasketch {len(dups(base_found) - both)}, "
          f"only dedupe {len(dups(ours_found) - both)}")
    print(f"All links (incl. related): datasketch {len(base_found)}, dedupe {len(ours_found)}")


def _random_rows(count: int, params: Params, anchors: int = 24, seed: int = 3):
    """Stored rows with random signatures, anchors and hashes, made a chunk at a time."""
    rng = np.random.default_rng(seed)
    header = np.frombuffer(fingerprint("x", params).signature_bytes()[:13], dtype=np.uint8)
    for start in range(0, count, 65_536):
        n = min(65_536, count - start)
        sig = np.empty((n, 13 + 4 * params.num_perm), dtype=np.uint8)
        sig[:, :13] = header
        sig[:, 13:] = rng.integers(0, 2**32, (n, params.num_perm), dtype=np.uint32).view(np.uint8)
        sig_bytes = sig.tobytes()
        para_bytes = rng.integers(0, 2**63, (n, anchors), dtype=np.uint64).tobytes()
        hashes = rng.integers(0, 2**63, (n, 2), dtype=np.uint64).tobytes()
        size, psize = sig.shape[1], 8 * anchors
        for i in range(n):
            yield (start + i, hashes[16 * i:16 * i + 16].hex(), sig_bytes[i * size:(i + 1) * size],
                   para_bytes[i * psize:(i + 1) * psize], 600)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rebuild_child(kind: str, count: int) -> dict:
    """Run one rebuild in this (child) process and report time and memory."""
    params = Params()
    base = _rss_mb()
    start = time.perf_counter()
    if kind == "dedupe":
        index = DedupeIndex(params)
        index.rebuild(_random_rows(count, params))
        seconds = time.perf_counter() - start
        probe = fingerprint("A post to look up after the rebuild, about the library.", params)
        t = time.perf_counter()
        for _ in range(200):
            index.candidates(probe)
        query_us = (time.perf_counter() - t) / 200 * 1e6
    else:
        lsh = MinHashLSH(num_perm=params.num_perm, params=(params.lsh_bands, params.lsh_rows))
        with lsh.insertion_session() as session:
            for key, _, sig, _, _ in _random_rows(count, params):
                session.insert(key, LeanMinHash.deserialize(sig, byteorder="<"),
                               check_duplication=False)
        seconds = time.perf_counter() - start
        query_us = float("nan")
    return {"kind": kind, "count": count, "seconds": seconds, "peak_rss_mb": _rss_mb(),
            "rss_growth_mb": _rss_mb() - base, "query_us": query_us}


def print_rebuild(count: int) -> None:
    print("\nPart 2: index rebuild from stored rows (random signatures, 24 anchors each), "
          "each in a child process")
    print(f"{'index':34s} {'posts':>9s} {'seconds':>8s} {'posts/s':>9s} {'peak RSS MB':>12s} "
          f"{'growth MB':>10s} {'query us':>9s}")
    for kind, n in (("dedupe", count), ("datasketch", 100_000)):
        out = subprocess.run([sys.executable, __file__, "--rebuild-child", kind, str(n)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        label = ("DedupeIndex.rebuild" if kind == "dedupe"
                 else "MinHashLSH insertion_session (ref.)")
        print(f"{label:34s} {r['count']:9d} {r['seconds']:8.1f} {r['count'] / r['seconds']:9.0f} "
              f"{r['peak_rss_mb']:12.0f} {r['rss_growth_mb']:10.0f} {r['query_us']:9.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 posts, rebuild of 100k")
    parser.add_argument("--posts", type=int, help="posts for part 1")
    parser.add_argument("--rebuild", type=int, help="stored rows for part 2")
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--rebuild-child", nargs=2, metavar=("KIND", "COUNT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rebuild_child:
        print(json.dumps(rebuild_child(args.rebuild_child[0], int(args.rebuild_child[1]))))
        return
    print_pipeline(args.posts or (2_000 if args.quick else 10_000))
    if not args.skip_rebuild:
        print_rebuild(args.rebuild or (100_000 if args.quick else 1_000_000))


if __name__ == "__main__":
    main()
