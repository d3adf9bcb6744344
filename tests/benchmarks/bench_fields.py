"""Field-accuracy benchmark: page kinds and post fields on the real-engine matrix, and title and
byline on the readability set beside trafilatura's metadata.

Run: ``python tests/benchmarks/bench_fields.py [--failures] [--data DIR] [--skip-readability]
[--article-sets]``.

Engine matrix (``tests/fixtures/engines``, see its ``render.py``): page-kind accuracy over
every HTML page and exact-match rate per post field (title, authors, published, categories,
tags, body snippets). Readability (``../shared/benchmarks/readability``): exact match of the
title and the byline its ground truth gives, after whitespace is collapsed (a leading \"By \" allowed); ours reads
``Post.title``/``Post.authors`` (joined with ", "), trafilatura ``extract_metadata``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.items import Post
from crawler.pages import page_for
from crawler.pages.decode import parse_html, to_text
from crawler.pages.text import normalize_space
from tests.support.engine_matrix import (
    POST_FIELDS, expected_value, extracted, field_value, html_pages, kind_of,
)

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "readability"


def engine_report(show_failures: bool) -> None:
    kinds: Counter = Counter()
    fields: dict[str, Counter] = defaultdict(Counter)
    per_engine: dict[str, Counter] = defaultdict(Counter)
    engine_fields: dict[str, Counter] = defaultdict(Counter)  # every post field of the engine
    for page in html_pages():
        item = extracted(page)
        ok = kind_of(item) == page.truth["kind"] and (
            page.truth["kind"] != "not-a-post" or item.reason == page.truth["reason"])
        kinds[ok] += 1
        per_engine[page.engine][ok] += 1
        if not ok and show_failures:
            print(f"KIND {page.engine}/{page.path}: {kind_of(item)} ({getattr(item, 'reason', '')})"
                  f" expected {page.truth['kind']}")
        if page.truth["kind"] != "post" or not isinstance(item, Post):
            continue
        for name in POST_FIELDS:
            got, want = field_value(item, name, page.truth), expected_value(name, page.truth)
            fields[name][got == want] += 1
            engine_fields[page.engine][got == want] += 1
            if got != want and show_failures:
                print(f"FIELD {page.engine}/{page.path} {name}: {got!r} expected {want!r}")
    total = sum(kinds.values())
    print(f"engine matrix: {len(per_engine)} engine/theme builds, {total} HTML pages")
    print(f"  page kind      {kinds[True] / total:6.1%}  ({kinds[True]}/{total})")
    for name in POST_FIELDS:
        count = sum(fields[name].values())
        if count:
            print(f"  {name:<14} {fields[name][True] / count:6.1%}  ({fields[name][True]}/{count})")
    for engine, counts in sorted(per_engine.items()):
        exact = engine_fields[engine]
        print(f"    {engine:<20} kind {counts[True]}/{sum(counts.values())}"
              f"  post fields {exact[True]}/{sum(exact.values())}")


def _readability_cases(data: Path):  # noqa: ANN202 - generator of (name, html, truth)
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for name, record in sorted(truth.items()):
        path = data / "html" / f"{name}.html.gz"
        if path.exists():
            yield name, gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), record


def record_url(_name: str) -> str:
    """The upstream tests load every page at this address (the data set's README)."""
    return "http://fakehost/test/page.html"


def _byline(value: str) -> str:
    """The README's rule: a byline matches with or without a leading "By "."""
    value = normalize_space(value)
    return value[3:] if value.lower().startswith("by ") else value


def _ours(name: str, html: str) -> tuple[str, str]:
    """Our page object's title and authors, whatever kind of page it takes the page for."""
    root = parse_html(to_text(html), record_url(name))
    if root is None:
        return "", ""
    page = page_for(record_url(name), root)
    return normalize_space(page.title()), normalize_space(", ".join(page.authors()))


def _trafilatura(html: str) -> tuple[str, str]:
    from trafilatura import extract_metadata

    meta = extract_metadata(html)
    if meta is None:
        return "", ""
    return normalize_space(meta.title or ""), normalize_space(meta.author or "")


def readability_report(data: Path) -> None:
    if not (data / "ground-truth.json").exists():
        print(f"readability: skipped, no ground truth at {data}")
        return
    scores: dict[str, Counter] = defaultdict(Counter)
    for name, html, record in _readability_cases(data):
        want_title = normalize_space(record.get("title") or "")
        want_byline = _byline(record.get("byline") or "")
        for who, (title, byline) in (("ours", _ours(name, html)), ("trafilatura", _trafilatura(html))):
            if want_title:
                scores[f"{who} title"][title == want_title] += 1
            if want_byline:
                scores[f"{who} byline"][_byline(byline) == want_byline] += 1
    print(f"readability ({data.name}): exact match after whitespace collapse")
    for key in ("ours title", "trafilatura title", "ours byline", "trafilatura byline"):
        count = sum(scores[key].values())
        if count:
            print(f"  {key:<20} {scores[key][True] / count:6.1%}  ({scores[key][True]}/{count})")


def article_sets_report(shared: Path) -> None:
    """Every page of the shared body-extraction sets is an article: how many we call a post.

    A proxy for pages we have not seen: a listing or static-page verdict there is a lost post.
    """
    from crawler.pages import extract

    for name in ("article-extraction", "readability", "dragnet"):
        folder = shared / name
        if not (folder / "ground-truth.json").exists():
            print(f"{name}: skipped, not found at {folder}")
            continue
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        verdicts: Counter = Counter()
        for path in sorted((folder / "html").glob("*.html.gz")):
            record = truth.get(path.name.split(".")[0], {})
            item = extract(record.get("url") or record_url(path.name), gzip.decompress(path.read_bytes()))
            verdicts["post" if isinstance(item, Post) else type(item).__name__] += 1
        total = sum(verdicts.values())
        print(f"  {name:<20} posts {verdicts['post'] / total:6.1%} ({verdicts['post']}/{total}); "
              + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()) if k != "post"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="print every wrong kind or field")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="readability data set folder")
    parser.add_argument("--skip-readability", action="store_true")
    parser.add_argument("--article-sets", action="store_true",
                        help="also count how many pages of the shared article sets are called posts")
    args = parser.parse_args()
    engine_report(args.failures)
    if not args.skip_readability:
        readability_report(args.data)
    if args.article_sets:
        print("article pages called posts (every page of these sets is an article):")
        article_sets_report(args.data.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
