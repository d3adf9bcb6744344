"""Article-body extraction benchmark: our extractor against trafilatura on the shared gold set.

Run: ``python tests/benchmarks/bench_extraction.py [--data DIR] [--worst N] [--only ours]``.
The metric is the one in the data set's README: 4-token shingles over ``\\w+`` tokens counted
as multisets, per-page TP/FP/FN normalised by their sum, mean precision and mean recall over
pages, and F1 of those two means.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crawler.pages import article_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "article-extraction"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, k: int = 4) -> Counter:
    """Multiset of k-token shingles over ``\\w+`` tokens."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + k]) for i in range(len(tokens) - k + 1))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None] | None:
    """Per-page (precision, recall) from normalised TP/FP/FN; ``None`` for an empty page."""
    gold, pred = shingles(truth), shingles(predicted)
    tp, fp, fn = sum((gold & pred).values()), sum((pred - gold).values()), sum((gold - pred).values())
    total = tp + fp + fn
    if not total:
        return None
    tp, fp, fn = tp / total, fp / total, fn / total
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def load_pages(data: Path) -> Iterator[tuple[str, str, bytes, str]]:
    """(key, url, raw html bytes, gold article body) for every page of the set."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for key, entry in sorted(truth.items()):
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        yield key, entry["url"], raw, entry["articleBody"]


def evaluate(extract: Callable[[str, bytes], str], pages: list) -> dict:
    """Mean P, mean R, F1 of the means, seconds per page, and per-page scores."""
    per_page: dict[str, tuple] = {}
    start = time.perf_counter()
    for key, url, raw, truth in pages:
        scores = page_scores(truth, extract(url, raw) or "")
        if scores is not None:
            per_page[key] = scores
    elapsed = (time.perf_counter() - start) / max(1, len(pages))
    precisions = [p for p, _ in per_page.values() if p is not None]
    recalls = [r for _, r in per_page.values() if r is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "seconds": elapsed, "pages": per_page}


def trafilatura_text(url: str, raw: bytes) -> str:
    """trafilatura with its defaults, as in the published table."""
    import trafilatura

    return trafilatura.extract(raw) or ""


def print_table(results: dict[str, dict], pages: int) -> None:
    """One row per extractor: precision, recall, F1 and milliseconds per page."""
    print(f"article-extraction benchmark, {pages} pages")
    print(f"{'extractor':<24}{'P':>8}{'R':>8}{'F1':>8}{'ms/page':>10}")
    for name, res in results.items():
        print(f"{name:<24}{res['p']:>8.4f}{res['r']:>8.4f}{res['f1']:>8.4f}{res['seconds'] * 1000:>10.1f}")


def print_worst(res: dict, urls: dict[str, str], count: int) -> None:
    """The pages where an extractor does worst, for looking at by hand."""
    def badness(item: tuple) -> float:
        p, r = item[1]
        return (p if p is not None else 0.0) + (r if r is not None else 0.0)

    for key, (p, r) in sorted(res["pages"].items(), key=badness)[:count]:
        print(f"  P={p if p is None else round(p, 3)!s:<6} R={r if r is None else round(r, 3)!s:<6} "
              f"{key[:10]} {urls[key][:90]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument("--only", choices=["ours", "trafilatura"], help="run one extractor")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of ours")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"no benchmark data at {args.data}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.ERROR)
    pages = list(load_pages(args.data))
    extractors = {"civic-archive (ours)": article_text, "trafilatura (default)": trafilatura_text}
    if args.only:
        extractors = {k: v for k, v in extractors.items() if args.only in k}
    results = {name: evaluate(fn, pages) for name, fn in extractors.items()}
    print_table(results, len(pages))
    if args.worst:
        print_worst(next(iter(results.values())), {k: u for k, u, _, _ in pages}, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
