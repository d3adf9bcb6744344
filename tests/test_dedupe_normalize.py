"""Normalization for matching: folding, whitespace, furniture, paragraphs, idempotence."""

from __future__ import annotations

import random

import pytest

from dedupe.normalize import _fold, _fold_reference, is_furniture, normalize, paragraphs

TRICKY = (
    "aAzZ09 '\"-\t\u00a0\u2009\u3000\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ad\u200b"
    "\u00e9e\u0301\u0301\u00df\u1e9e\u0130\u01f0\u212a\u212b\ufb01\uff21\u00bd\u03a3\u03c2"
    "\u1100\u1161\u11a8\uac00\u0b47\u0b3e\u00a3\u20ac\u2192\u2022\u00ab\u00bb\n\r\u2028"
)


def _random_texts(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_curly_quotes_dashes_and_case_are_folded() -> None:
    assert normalize("Pinner\u2019s \u201cTemporary\u201d Closure \u2013 \u2018for now\u2019") == (
        "pinner's \"temporary\" closure - 'for now'"
    )


def test_whitespace_is_collapsed_within_lines_and_blank_lines_dropped() -> None:
    text = "  One\u00a0 two\t three  \n\n\n  Four   five \r\nsix"
    assert normalize(text) == "one two three\nfour five\nsix"


def test_ellipsis_and_nfkc_compatibility_forms() -> None:
    assert normalize("\ufb01nal \uff21\uff22 \u2026") == "final ab ..."


@pytest.mark.parametrize("line", [
    "Share this:", "Like this:", "Like", "Like Loading\u2026", "Loading...", "Twitter",
    "Facebook", "Click to share on Facebook (Opens in new window)", "Related",
    "Posted in Council, Local politics | Tagged ofsted | Leave a comment",
    "Continue reading \u2192", "Leave a Reply",
    "One thought on \u201cLibrary hours cut again\u201d",
    "3 comments", "(play \u2013 use the cog icon to pick a higher resolution)",
    "Tags: budget, housing", "[\u2026]",
])
def test_furniture_lines_are_removed(line: str) -> None:
    assert normalize(f"The council met on Tuesday.\n{line}\nIt voted.") == (
        "the council met on tuesday.\nit voted."
    )


@pytest.mark.parametrize("line", [
    "12 responses were received to the consultation, most of them objecting.",
    "Like many residents, we were surprised by the decision.",
    "Posted letters arrived late, the council admitted.",
])
def test_prose_that_looks_like_furniture_is_kept(line: str) -> None:
    assert normalize(line) == normalize(line).strip() != ""
    assert not is_furniture(normalize(line))


def test_excerpt_tail_is_stripped() -> None:
    excerpt = "The library will open on three days a week from May \u2026 Continue reading \u2192"
    assert normalize(excerpt) == "the library will open on three days a week from may"
    assert normalize("The cabinet met on Monday [\u2026]") == "the cabinet met on monday"
    assert normalize("You can read more about the plan here.") == (
        "you can read more about the plan here."
    )


def test_normalize_is_idempotent_on_seeded_random_text() -> None:
    for text in _random_texts(3000):
        once = normalize(text)
        assert normalize(once) == once, repr(text)


def test_fast_fold_equals_the_reference_definition() -> None:
    for text in _random_texts(3000, seed=11):
        assert _fold(text) == _fold_reference(text), repr(text)


def test_paragraphs_split_on_blank_lines_and_single_newlines() -> None:
    text = "Title\n\nFirst paragraph.\nSecond paragraph.\n\n\n  Third.  \n"
    assert paragraphs(text) == ["Title", "First paragraph.", "Second paragraph.", "Third."]


def test_empty_and_furniture_only_text_normalize_to_nothing() -> None:
    assert normalize("") == ""
    assert normalize(" \n\t\n") == ""
    assert normalize("Share this:\nTwitter\nFacebook\nLike Loading\u2026") == ""
