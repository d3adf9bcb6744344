"""The dedupe index: adding, removing, bulk rebuild from stored bytes, candidate ranking."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dedupe import DedupeIndex, Params, fingerprint
from dedupe.tables import HashTable, band_hashes, pack

PARAGRAPHS = [
    "Harrow Weald residents packed the hall on Monday to object to plans for eleven flats on "
    "the former garage site behind the parade of shops on the high road.",
    "The developer says the homes would be let at affordable rents to key workers, but "
    "neighbours fear the narrow lane cannot take construction lorries safely.",
    "Councillor Brian Osborn promised to ask the planning committee for a site visit before any "
    "decision, and said highways officers would be asked to review the access.",
    "The application can be viewed on the planning portal until the end of the month, and "
    "objections must quote the reference number printed on the site notice.",
]
TEXTS = {
    "a": "\n\n".join(PARAGRAPHS),
    "b": "\n\n".join(PARAGRAPHS[:3]),
    "c": "\n\n".join(reversed(PARAGRAPHS)),
    "d": "A different story about bin collections moving to fortnightly rounds in Kenton "
         "from June, with food waste still collected every week.",
}


def rows(texts: dict[str, str], params: Params) -> list[tuple]:
    out = []
    for key, text in texts.items():
        fp = fingerprint(text, params)
        out.append((key, fp.norm_hash, fp.signature_bytes(), fp.paragraph_bytes(), fp.word_count))
    return out


def candidate_keys(index: DedupeIndex, text: str, exclude: str | None = None) -> list[str]:
    return [c.key for c in index.candidates(fingerprint(text, index.params), exclude=exclude)]


def test_add_remove_contains_and_len() -> None:
    index = DedupeIndex()
    index.add("a", fingerprint(TEXTS["a"]))
    assert "a" in index and len(index) == 1 and list(index.keys()) == ["a"]
    assert index.word_count("a") == fingerprint(TEXTS["a"]).word_count
    with pytest.raises(ValueError, match="already indexed"):
        index.add("a", fingerprint(TEXTS["a"]))
    index.remove("a")
    assert "a" not in index and len(index) == 0
    assert candidate_keys(index, TEXTS["a"]) == []
    with pytest.raises(ValueError, match="not indexed"):
        index.remove("a")


def test_candidates_rank_exact_first_and_exclude_own_key() -> None:
    index = DedupeIndex()
    for key, text in TEXTS.items():
        index.add(key, fingerprint(text))
    found = index.candidates(fingerprint(TEXTS["a"]))
    assert [c.key for c in found][:1] == ["a"] and found[0].exact
    assert {"a", "b", "c"} <= {c.key for c in found} and "d" not in {c.key for c in found}
    assert "a" not in candidate_keys(index, TEXTS["a"], exclude="a")


def test_rebuild_from_stored_rows_equals_adding_one_by_one() -> None:
    params = Params()
    built, grown = DedupeIndex(params), DedupeIndex(params)
    built.rebuild(rows(TEXTS, params))
    for key, text in TEXTS.items():
        grown.add(key, fingerprint(text, params))
    for text in TEXTS.values():
        assert built.candidates(fingerprint(text)) == grown.candidates(fingerprint(text))
    built.add("e", fingerprint(TEXTS["a"] + "\n\nUpdate: the hearing was moved.", params))
    built.remove("b")
    assert "b" not in candidate_keys(built, TEXTS["a"])
    assert "e" in candidate_keys(built, TEXTS["a"])


def test_rebuild_accepts_missing_fields_and_rejects_foreign_signatures() -> None:
    params = Params()
    stored = rows(TEXTS, params)
    index = DedupeIndex(params)
    index.rebuild([("x", None, None, None, None)] + stored)
    assert "x" in index and len(index) == 5
    foreign = fingerprint(TEXTS["a"], replace(params, seed=9)).signature_bytes()
    with pytest.raises(ValueError, match="key 'a' does not match params"):
        index.rebuild([("a", None, foreign, None, 10)])
    with pytest.raises(ValueError, match="already indexed"):
        index.rebuild(stored + stored[:1])
    with pytest.raises(ValueError, match="multiple of 8"):
        index.rebuild([("a", None, None, b"\x00" * 5, 10)])


def test_add_rejects_fingerprints_made_with_other_params() -> None:
    index = DedupeIndex(Params(shingle_size=4))
    with pytest.raises(ValueError, match="fingerprint the post again"):
        index.add("a", fingerprint(TEXTS["a"]))


def test_boilerplate_anchors_do_not_make_candidates() -> None:
    footer = ("Harrow Weald Matters is run by volunteers and takes no advertising, so please share "
              "our posts with your neighbours and join us at the monthly meeting.")
    params = Params(max_anchor_posts=3)
    index = DedupeIndex(params)
    stories = [f"Story number {n} is about something else entirely, item {n} on the agenda."
               for n in range(6)]
    for n, story in enumerate(stories):
        index.add(n, fingerprint(f"{story}\n\n{footer}", params))
    new_post = f"A brand new post on another subject.\n\n{footer}"
    found = index.candidates(fingerprint(new_post, params))
    assert found and all(c.anchors == 0 for c in found)
    own = index.candidates(fingerprint(f"{stories[0]}\n\n{footer}", params))
    assert [c.key for c in own if c.anchors] == [0]


def test_band_hashes_match_when_band_values_match() -> None:
    values = np.arange(128, dtype=np.uint32)
    other = values.copy()
    other[7] += 1
    a, b = band_hashes(values, 25, 5), band_hashes(other, 25, 5)
    assert a.shape == (25,) and (a != b).tolist() == [False, True] + [False] * 23
    assert len(set(band_hashes(np.zeros(128, dtype=np.uint32), 25, 5).tolist())) == 25
    assert np.array_equal(band_hashes(np.stack([values, other]), 25, 5), np.stack([a, b]))


def test_hash_table_lookup_merges_rebuilt_and_added_entries() -> None:
    table = HashTable()
    five, three, nine = (np.uint64(v << 40) for v in (5, 3, 9))
    table.build([pack(np.array([five, three, five], dtype=np.uint64), np.array([1, 2, 3]))])
    table.add(np.array([five, nine], dtype=np.uint64), 4)
    found = table.lookup(np.array([five, 7 << 40, nine], dtype=np.uint64))
    assert sorted(found.tolist()) == [1, 3, 4, 4]
    assert table.lookup(np.array([five], dtype=np.uint64), skip_above=2).tolist() == []
    assert len(table.lookup(np.array([five], dtype=np.uint64), limit=2)) == 2
    assert table.counts(np.array([five, three, 1 << 40], dtype=np.uint64)).tolist() == [3, 1, 0]
    assert len(table) == 5


def test_hash_table_lookup_of_added_entries_only() -> None:
    table = HashTable()
    five, nine = (np.uint64(v << 40) for v in (5, 9))
    for post_id in (1, 2, 3):
        table.add(np.array([five], dtype=np.uint64), post_id)
    table.add(np.array([nine], dtype=np.uint64), 4)
    keys = np.array([five, nine, five], dtype=np.uint64)   # a repeated hash counts once
    assert sorted(table.ids(keys)) == [1, 2, 3, 4]
    assert table.ids(np.array([nine], dtype=np.uint64)) == [4]
    assert sorted(table.ids(keys, skip_above=2)) == [4]
    assert sorted(table.ids(keys, limit=2)) == [1, 2, 4]
    assert table.counts(keys).tolist() == [3, 1, 3] and len(table) == 4


def test_kept_documents_answer_only_for_the_text_they_were_made_from() -> None:
    index = DedupeIndex(cached_documents=2)
    for key in "abc":
        index.add(key, fingerprint(TEXTS[key]))
    assert index.document("a", TEXTS["a"]) is None  # the oldest of three, two kept
    kept = index.document("b", TEXTS["b"])
    assert kept is not None and kept.normalized == fingerprint(TEXTS["b"]).document.normalized
    assert index.document("b", TEXTS["b"]) is kept
    assert index.document("c", TEXTS["d"]) is None  # the body changed since it was indexed
    index.remove("b")
    assert index.document("b", TEXTS["b"]) is None
    index.keep_document("not indexed", kept, TEXTS["b"])
    assert index.document("not indexed", TEXTS["b"]) is None
    assert DedupeIndex(cached_documents=0).document("a", TEXTS["a"]) is None
    with pytest.raises(ValueError, match="cached_documents"):
        DedupeIndex(cached_documents=-1)
