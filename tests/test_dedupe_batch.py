"""Batch fingerprinting equals fingerprinting one post at a time, byte for byte."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dedupe import Params, fingerprint, fingerprint_many, normalize
from dedupe.batch import analyze_many
from dedupe.document import analyze
from dedupe.normalize import _clean_line, _fold
from dedupe.shingle import distinct
from dedupe.signature import signature, signature_values

TEXTS = [
    "",
    "   \n\n  ",
    "one",
    "two words",
    "a b c d",
    "a b c d e",
    "Share this:\n\nFacebook\n\nLike Loading...",
    "Title\n\nx y z w v u t s r q p o n m\n\nshort\n\nanother paragraph of well over eight words here",
    "Caf\u00e9 \u00a3135 rock'n'roll \u201cquoted\u201d \u2014 \u13a0 \u03a3\u03a3 stra\u00dfe \ufb01ne\n" * 3,
    "Read more \u2192\n\nThe council\u2019s  consultation\tcloses [\u2026] Continue reading \u2192",
]


def _posts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"w{n}" for n in range(300)] + ["council", "library", "\u00e9t\u00e9", "\u00a3"]
    posts = []
    for _ in range(count):
        paras = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 60)))
                 for _ in range(rng.randint(1, 8))]
        posts.append("\n\n".join(paras))
    return posts


def _assert_same(texts: list[str], params: Params) -> None:
    batch = fingerprint_many(texts, params)
    assert len(batch) == len(texts)
    for text, got in zip(texts, batch):
        want = fingerprint(text, params)
        assert got.norm_hash == want.norm_hash and got.word_count == want.word_count
        assert got.signature_bytes() == want.signature_bytes()
        assert got.paragraph_bytes() == want.paragraph_bytes()
        assert got.params_fingerprint == want.params_fingerprint
        assert got.document is not None and want.document is not None
        assert got.document.normalized == want.document.normalized
        for name in ("words", "bounds", "shingles", "unique"):
            mine, theirs = getattr(got.document, name), getattr(want.document, name)
            assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), name


@pytest.mark.parametrize("params", [
    Params(),
    Params(scheme="legacy"),
    Params(scheme="affine64", num_perm=64, lsh_bands=8, lsh_rows=8, seed=42, shingle_size=3,
           anchor_words=4),
])
def test_fingerprint_many_equals_fingerprint(params: Params) -> None:
    _assert_same(TEXTS + _posts(40, 1), params)


def test_fingerprint_many_across_chunks_and_a_long_post(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dedupe.batch._CHUNK_BYTES", 2000)
    _assert_same(_posts(60, 2) + ["word " * 12_000] + TEXTS, Params())


def test_fingerprint_many_of_nothing_and_analyze_many() -> None:
    assert fingerprint_many([]) == []
    texts = _posts(5, 3) + TEXTS
    for got, text in zip(analyze_many(texts), texts):
        assert np.array_equal(got.shingles, analyze(text).shingles)


def test_signature_values_rows_equal_signatures_across_block_edges() -> None:
    rng = np.random.default_rng(7)
    lengths = np.array([0, 1, 9000, 0, 3, 20_000, 5, 0])
    values = rng.integers(0, 2**64, int(lengths.sum()), dtype=np.uint64)
    params = Params()
    rows = signature_values(values, lengths, params)
    start = 0
    for n, row in zip(lengths.tolist(), rows):
        assert np.array_equal(row, signature(values[start:start + n], params).hashvalues)
        start += n
    with pytest.raises(ValueError):
        signature_values(values, lengths[:-2], params)


def test_distinct_equals_np_unique() -> None:
    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 50, 700):
        values = rng.integers(0, 40, size).astype(np.uint64)
        assert np.array_equal(distinct(values), np.unique(values))


def test_plain_fast_path_of_normalize_equals_line_by_line_cleaning() -> None:
    for text in TEXTS + _posts(20, 4) + [" Like \n\n  Posted in News \nplain line "]:
        lines = (_clean_line(line) for line in _fold(text).splitlines())
        assert normalize(text) == "\n".join(line for line in lines if line)
