"""Saved-HTML fixtures: every expected field, plus body snippets that must (not) appear.

Each ``tests/fixtures/html/<style>/<slug>.html`` has a ``<slug>.json`` with the expected item
(review changes with ``python -m crawler.pages FILE --url URL``), ``with``/``without`` text
snippets for the body, and ``html_with``/``html_without`` snippets for the sanitized HTML.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from crawler.pages import extract
from crawler.pages.__main__ import to_jsonable

FIXTURES = Path(__file__).parent / "fixtures" / "html"
CASES = sorted(p.with_suffix("") for p in FIXTURES.glob("*/*.json"))


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@cache
def spec(case: Path) -> dict:
    return json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))


@cache
def result(case: Path) -> dict:
    data = spec(case)
    item = extract(data["url"], case.with_suffix(".html").read_bytes(), data.get("headers"))
    return to_jsonable(item)


FIELD_CASES = [(case, field) for case in CASES for field in spec(case)["expected"]]


def test_fixtures_exist() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fixture_records_its_origin(case: Path) -> None:
    data = spec(case)
    assert "hand-written" in data["source"]
    assert data["written"] and data["style"]


@pytest.mark.parametrize(("case", "field"), FIELD_CASES,
                         ids=[f"{case_id(c)}:{f}" for c, f in FIELD_CASES])
def test_field(case: Path, field: str) -> None:
    assert result(case).get(field) == spec(case)["expected"][field]


SNIPPETS = [(case, kind, snippet) for case in CASES
            for kind in ("with", "without", "html_with", "html_without")
            for snippet in spec(case).get(kind, [])]


@pytest.mark.parametrize(("case", "kind", "snippet"), SNIPPETS,
                         ids=[f"{case_id(c)}:{k}:{s[:30]}" for c, k, s in SNIPPETS])
def test_body_snippet(case: Path, kind: str, snippet: str) -> None:
    body = result(case)["html" if kind.startswith("html") else "text"]
    if kind.endswith("without"):
        assert snippet not in body
    else:
        assert snippet in body
