"""Article-body extraction benchmark: our extractor beside trafilatura on every shared gold set.

Run: ``python tests/benchmarks/bench_extraction.py [--sets a,b] [--worst N] [--only ours]``.

Every directory of ``../shared/benchmarks/`` holding a ``ground-truth.json`` is measured
(article-extraction, readability, dragnet). The metric is the one in their READMEs: 4-token
shingles over ``\\w+`` tokens counted as multisets, per-page TP/FP/FN normalised by their sum,
mean precision and mean recall over pages, and F1 of those two means. Each set is also split
into two fixed halves by a hash of the page key ("dev" and "check"), so a rule tuned on one
half can be seen to hold on the other.

Comment leak (dragnet, the pages whose truth has reader comments): the share of the comments'
shingles, those not also in the article, that turn up in the extracted body. Ours is measured
as stored; trafilatura with ``include_comments=False`` ("traf-nocomm", also scored on every set
since its defaults keep comments, which the dragnet truth counts as noise).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crawler.pages import article_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

DATA_ROOT = Path(__file__).resolve().parents[3] / "shared" / "benchmarks"
DEFAULT_DATA = DATA_ROOT / "article-extraction"
# The readability pages were all saved as this address upstream (see its README).
_PLACEHOLDER_URL = "http://fakehost/test/page.html"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    raw: bytes
    truth: str
    comments: str = ""

    @property
    def half(self) -> str:
        """"dev" or "check": a fixed split by a hash of the key, independent of file order."""
        return "dev" if hashlib.sha1(self.key.encode()).digest()[0] % 2 == 0 else "check"


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


def comment_leak(article: str, comments: str, predicted: str) -> float | None:
    """Share of the comments' own shingles (not in the article) found in ``predicted``."""
    own = shingles(comments) - shingles(article)
    total = sum(own.values())
    if not total:
        return None
    return sum((own & shingles(predicted)).values()) / total


def load_pages(data: Path) -> Iterator[Page]:
    """Every page of one set, in key order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for key, entry in sorted(truth.items()):
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        url = entry.get("url") or f"http://example.invalid/{data.name}/{key}.html"
        yield Page(key, url, raw, entry["articleBody"], entry.get("comments") or "")


def find_sets(root: Path = DATA_ROOT) -> list[Path]:
    """The benchmark directories under ``root`` that hold a ground truth."""
    return sorted(p for p in root.iterdir() if (p / "ground-truth.json").exists()) if root.is_dir() else []


def means(per_page: Iterable[tuple[float | None, float | None]]) -> dict:
    """Mean P, mean R and F1 of the means (the README's aggregation)."""
    per_page = list(per_page)
    precisions = [p for p, _ in per_page if p is not None]
    recalls = [r for _, r in per_page if r is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def run(extract: Callable[[str, bytes], str], pages: list[Page]) -> tuple[dict[str, str], float]:
    """Extracted text per page key, and seconds per page."""
    out: dict[str, str] = {}
    start = time.perf_counter()
    for page in pages:
        out[page.key] = extract(page.url, page.raw) or ""
    return out, (time.perf_counter() - start) / max(1, len(pages))


def score(pages: list[Page], texts: dict[str, str], seconds: float = 0.0) -> dict:
    """P/R/F1 overall and per half, empty results, ms/page and per-page scores."""
    per_page = {}
    for page in pages:
        scores = page_scores(page.truth, texts[page.key])
        if scores is not None:
            per_page[page.key] = scores
    result = means(per_page.values())
    for half in ("dev", "check"):
        keys = {p.key for p in pages if p.half == half}
        result[half] = means(s for k, s in per_page.items() if k in keys)["f1"]
    result["empty"] = sum(1 for p in pages if not _TOKEN.search(texts[p.key]))
    result["seconds"] = seconds
    result["pages"] = per_page
    return result


def evaluate(extract: Callable[[str, bytes], str], pages: list[Page]) -> dict:
    """Run one extractor over ``pages`` and score it."""
    texts, seconds = run(extract, pages)
    return score(pages, texts, seconds)


def leak_summary(pages: list[Page], texts: dict[str, str]) -> dict | None:
    """Mean comment leak over the pages with comments, and how many leak more than 10%."""
    leaks = [x for p in pages if p.comments.strip()
             for x in [comment_leak(p.truth, p.comments, texts[p.key])] if x is not None]
    if not leaks:
        return None
    return {"pages": len(leaks), "mean": sum(leaks) / len(leaks),
            "over_10pct": sum(1 for x in leaks if x > 0.1), "any": sum(1 for x in leaks if x > 0)}


def trafilatura_text(url: str, raw: bytes) -> str:
    """trafilatura with its defaults, as in the published tables."""
    import trafilatura

    return trafilatura.extract(raw) or ""


def trafilatura_no_comments(url: str, raw: bytes) -> str:
    import trafilatura

    return trafilatura.extract(raw, include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[str, bytes], str]] = {
    "ours": article_text, "trafilatura": trafilatura_text, "traf-nocomm": trafilatura_no_comments,
}


def print_set(name: str, pages: int, results: dict[str, dict]) -> None:
    print(f"\n{name}: {pages} pages")
    print(f"{'extractor':<14}{'P':>8}{'R':>8}{'F1':>8}{'F1 dev':>8}{'F1 chk':>8}{'empty':>7}{'ms/page':>9}")
    for extractor, res in results.items():
        print(f"{extractor:<14}{res['p']:>8.4f}{res['r']:>8.4f}{res['f1']:>8.4f}{res['dev']:>8.4f}"
              f"{res['check']:>8.4f}{res['empty']:>7}{res['seconds'] * 1000:>9.1f}")


def print_leaks(leaks: dict[str, dict]) -> None:
    for extractor, leak in leaks.items():
        print(f"comment leak, {extractor}: {leak['mean']:.4f} of comment shingles on "
              f"{leak['pages']} pages; {leak['any']} pages leak any, {leak['over_10pct']} over 10%")


def print_worst(res: dict, count: int) -> None:
    """The pages where an extractor does worst, for looking at by hand."""
    def badness(item: tuple) -> float:
        p, r = item[1]
        return (p if p is not None else 0.0) + (r if r is not None else 0.0)

    for key, (p, r) in sorted(res["pages"].items(), key=badness)[:count]:
        print(f"  P={p if p is None else round(p, 3)!s:<6} R={r if r is None else round(r, 3)!s:<6} {key}")


def measure_set(data: Path, extractors: dict[str, Callable], worst: int) -> dict[str, dict]:
    pages = list(load_pages(data))
    results: dict[str, dict] = {}
    outputs: dict[str, dict[str, str]] = {}
    for name, fn in extractors.items():
        outputs[name], seconds = run(fn, pages)
        results[name] = score(pages, outputs[name], seconds)
    print_set(data.name, len(pages), results)
    with_comments = [p for p in pages if p.comments.strip()]
    if with_comments:
        leaks = {}
        if "ours" in outputs:
            leaks["ours"] = leak_summary(with_comments, outputs["ours"])
        if "traf-nocomm" in outputs:
            leaks["trafilatura include_comments=False"] = leak_summary(with_comments,
                                                                       outputs["traf-nocomm"])
        print_leaks({k: v for k, v in leaks.items() if v})
    if worst and results:
        print_worst(next(iter(results.values())), worst)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DATA_ROOT, help="folder of benchmark sets")
    parser.add_argument("--sets", help="comma-separated set names (default: every set)")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="run one extractor")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of the first extractor")
    args = parser.parse_args(argv)
    sets = find_sets(args.root)
    if args.sets:
        sets = [s for s in sets if s.name in args.sets.split(",")]
    if not sets:
        print(f"no benchmark data under {args.root}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.ERROR)
    extractors = {k: v for k, v in EXTRACTORS.items() if not args.only or k == args.only}
    totals: dict[str, list[float]] = {}
    for data in sets:
        for name, res in measure_set(data, extractors, args.worst).items():
            totals.setdefault(name, []).append(res["f1"])
    if len(sets) > 1:
        print("\nmean F1 over sets: " + ", ".join(f"{k} {sum(v) / len(v):.4f}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
