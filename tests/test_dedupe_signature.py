"""Shingles, vectorized MinHash signatures and their byte formats, parameters."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH

from dedupe import Fingerprint, Params, fingerprint, normalize, shingles
from dedupe.document import analyze
from dedupe.fingerprint import paragraphs_from_bytes
from dedupe.shingle import fold_hashes, hash_words, shingle_hashes, word_hashes, words
from dedupe.signature import (
    input_hashes,
    signature,
    signature_from_bytes,
    signature_matrix,
    signature_size,
    signature_to_bytes,
)

TEXT = (
    "Pinner library consultation closes with \u201cno real choice\u201d for residents\n\n"
    "The council\u2019s consultation on the future of Pinner library closed on Friday, and "
    "campaigners say the three options offered all lead to shorter opening hours.\n"
    "Volunteers from the friends of the library group collected more than nine hundred "
    "signatures outside the station during the final fortnight of the consultation."
)


def _datasketch_minhash(values: np.ndarray, params: Params) -> MinHash:
    m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda v: v,
                scheme=params.scheme)
    m.update_batch([int(v) for v in values])
    return m


def test_word_hashes_follow_the_string_tokenizer() -> None:
    norm = normalize(TEXT + " rock'n'roll 'quoted' caf\u00e9 \u00a3135 x_y")
    hashes, _ = word_hashes(norm.encode())
    assert np.array_equal(hashes, hash_words(words(norm)))
    assert "rock'n'roll" in words(norm) and "'quoted'" not in words(norm)
    assert "caf\u00e9" in words(norm) and "\u00a3135" in words(norm)


def test_shingles_are_word_5_grams_and_short_texts_make_one() -> None:
    assert shingles("a b c d e f") == {"a b c d e", "b c d e f"}
    assert shingles("three short words") == {"three short words"}
    assert shingles("") == set()
    doc = analyze("a b c d e f")
    assert len(doc.shingles) == 2 and len(analyze("three short words").shingles) == 1


def test_stored_values_are_stable_across_runs_and_versions() -> None:
    """Stored bytes depend on these values: changing them needs a new ``Params.VERSION``."""
    words_ = ["pinner", "council", "cabinet", "meets", "on", "tuesday"]
    values = shingle_hashes(hash_words(words_), 5)
    assert values.tolist() == [7229760166465388824, 2414656419424407208]
    fp = fingerprint(TEXT)
    assert fp.norm_hash == "de32d687c138c35b01f60073eccf109c"
    assert hashlib.sha256(fp.signature_bytes()).hexdigest()[:16] == "cc060be1c0edf2a7"
    assert hashlib.sha256(fp.paragraph_bytes()).hexdigest()[:16] == "292fa018d82ed54b"


@pytest.mark.parametrize("scheme", ["affine32", "affine64", "legacy"])
def test_vectorized_signature_equals_datasketch_minhash(scheme: str) -> None:
    params = Params(scheme=scheme, num_perm=64, lsh_bands=8, lsh_rows=8, seed=42)
    doc = analyze(TEXT, params)
    ours = signature(doc.shingles, params)
    theirs = _datasketch_minhash(input_hashes(doc.shingles, scheme), params)
    assert isinstance(ours, LeanMinHash)
    assert ours == LeanMinHash(theirs)
    assert ours.jaccard(theirs) == 1.0


def test_signature_of_many_shingles_is_computed_in_chunks_correctly() -> None:
    values = np.random.default_rng(5).integers(0, 2**64, size=5000, dtype=np.uint64)
    params = Params()
    expected = LeanMinHash(_datasketch_minhash(input_hashes(values), params))
    assert signature(values, params) == expected


def test_signature_bytes_are_leanminhash_little_endian_and_round_trip() -> None:
    params = Params()
    sig = fingerprint(TEXT, params).signature
    data = signature_to_bytes(sig)
    buf = bytearray(sig.bytesize(byteorder="<"))
    sig.serialize(buf, byteorder="<")
    assert data == bytes(buf)
    assert len(data) == signature_size(params) == 525
    seed, count = (1).to_bytes(8, "little"), (-128).to_bytes(4, "little", signed=True)
    assert data[:13] == seed + count + b"\x01"
    assert signature_from_bytes(data) == sig
    assert LeanMinHash.deserialize(data, byteorder="<") == sig


def test_legacy_signature_bytes_round_trip() -> None:
    params = Params(scheme="legacy")
    sig = fingerprint(TEXT, params).signature
    data = signature_to_bytes(sig)
    assert len(data) == signature_size(params) == 12 + 4 * 128
    assert signature_from_bytes(data) == sig


TRUNCATED = (1).to_bytes(8, "little") + (-4).to_bytes(4, "little", signed=True) + b"\x01"


@pytest.mark.parametrize("data", [b"", b"\x00" * 11, b"\x01" * 12 + b"\x09" + b"\x00" * 8,
                                  TRUNCATED + b"\x00" * 15])
def test_bad_signature_bytes_are_rejected(data: bytes) -> None:
    with pytest.raises(ValueError):
        signature_from_bytes(data)


def test_signature_matrix_flags_foreign_signatures() -> None:
    params = Params()
    good = fingerprint(TEXT, params).signature_bytes()
    other_seed = fingerprint(TEXT, replace(params, seed=2)).signature_bytes()
    values, valid = signature_matrix([good, other_seed, good[:-1]], params)
    assert valid.tolist() == [True, False, False]
    assert np.array_equal(values[0], signature_from_bytes(good).hashvalues)


def test_identical_text_gives_identical_signature_and_jaccard_one() -> None:
    a, b = fingerprint(TEXT), fingerprint(TEXT.replace("\n", "\n\n"))
    assert a.signature.jaccard(b.signature) == 1.0
    assert a.norm_hash == b.norm_hash


def test_signatures_mix_with_datasketch_lsh() -> None:
    params = Params()
    lsh = MinHashLSH(num_perm=params.num_perm, params=(params.lsh_bands, params.lsh_rows))
    lsh.insert("ours", fingerprint(TEXT, params).signature)
    doc = analyze(TEXT, params)
    assert lsh.query(_datasketch_minhash(input_hashes(doc.shingles), params)) == ["ours"]


def test_fingerprint_bytes_round_trip_through_storage_values() -> None:
    fp = fingerprint(TEXT)
    stored = Fingerprint.from_stored(fp.norm_hash, fp.signature_bytes(), fp.paragraph_bytes(),
                                     fp.word_count, fp.params_fingerprint)
    assert stored.signature == fp.signature
    assert np.array_equal(stored.paragraph_hashes, fp.paragraph_hashes)
    assert len(fp.paragraph_bytes()) == 8 * len(fp.paragraph_hashes) > 0
    assert len(fp.norm_hash) == 32 and int(fp.norm_hash, 16) >= 0
    with pytest.raises(ValueError, match="multiple of 8"):
        paragraphs_from_bytes(b"\x00" * 9)


def test_anchors_are_paragraph_heads_tails_and_the_lead() -> None:
    doc = analyze("Short title\n\none two three four five six seven eight nine ten")
    heads, tails = doc.paragraph_anchors(8)
    assert heads[0] == tails[0] == 0 and heads[1] != tails[1]
    lead = fold_hashes(doc.words, np.zeros(1, dtype=np.intp), 8)[0]
    assert sorted(doc.anchors(8).tolist()) == sorted([int(heads[1]), int(tails[1]), int(lead)])
    assert len(analyze("far too short").anchors(8)) == 0


def test_params_fingerprint_changes_with_stored_parameters_only() -> None:
    base = Params()
    assert base.fingerprint() == "dedupe-v2:affine32,perm=128,seed=1,k=5,anchor=8"
    for change in ({"num_perm": 64, "lsh_bands": 16, "lsh_rows": 4}, {"seed": 2},
                   {"shingle_size": 4}, {"anchor_words": 6}, {"scheme": "legacy"}):
        assert replace(base, **change).fingerprint() != base.fingerprint()
    assert replace(base, jaccard_threshold=0.8).fingerprint() == base.fingerprint()
    assert replace(base, jaccard_threshold=0.8).run_fingerprint() != base.run_fingerprint()
    assert len(base.run_fingerprint()) <= 128 and len(base.fingerprint()) <= 128


@pytest.mark.parametrize("change, message", [
    ({"num_perm": 1}, "num_perm"),
    ({"lsh_bands": 30, "lsh_rows": 5}, "Did you forget to set num_perm"),
    ({"scheme": "sha1"}, "scheme must be one of"),
    ({"seed": -1}, "seed"),
    ({"jaccard_threshold": 1.5}, "jaccard_threshold"),
    ({"shingle_size": 0}, "shingle_size"),
    ({"related_min_shingles": -1}, "related_min_shingles"),
])
def test_params_validate_arguments(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Params(**change)
