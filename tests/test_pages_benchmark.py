"""Extraction quality on the shared article-extraction benchmark (optional: needs the data).

The floor is the F1 measured when the extractor was written (0.979 on 181 pages) minus a
margin for small, deliberate trade-offs; it is not lowered to make a change pass.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from crawler.pages import article_text

BENCH = Path(__file__).parent / "benchmarks" / "bench_extraction.py"
F1_FLOOR = 0.970
PRECISION_FLOOR = 0.960
RECALL_FLOOR = 0.975


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


bench = _bench_module()


def test_metric_matches_the_readme() -> None:
    assert bench.page_scores("a b c d e", "a b c d e") == (1.0, 1.0)
    assert bench.page_scores("a b c d e", "") == (None, 0.0)
    precision, recall = bench.page_scores("a b c d e f", "a b c d x")
    assert (precision, recall) == (0.5, pytest.approx(1 / 3))
    assert bench.page_scores("a b", "c d") is None


def test_comment_leak_counts_only_comment_text() -> None:
    article = "the council met on monday to vote"
    comments = "great post thanks for writing this up"
    assert bench.comment_leak(article, comments, article) == 0.0
    assert bench.comment_leak(article, comments, article + " " + comments) == 1.0
    assert bench.comment_leak(article, "", article) is None


def test_halves_are_fixed_and_cover_the_keys() -> None:
    halves = {bench.Page(str(i), "", b"", "").half for i in range(50)}
    assert halves == {"dev", "check"}
    assert bench.Page("42", "", b"", "").half == bench.Page("42", "u", b"x", "t").half


@pytest.mark.skipif(not (bench.DEFAULT_DATA / "ground-truth.json").exists(),
                    reason=f"benchmark data not present at {bench.DEFAULT_DATA}")
def test_benchmark_floor() -> None:
    pages = list(bench.load_pages(bench.DEFAULT_DATA))
    result = bench.evaluate(article_text, pages)
    assert len(result["pages"]) >= 170
    assert result["f1"] >= F1_FLOOR
    assert result["p"] >= PRECISION_FLOOR and result["r"] >= RECALL_FLOOR
