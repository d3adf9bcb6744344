"""Bad input gets a clear outcome, never an error: tiny, empty, one-paragraph, repetitive
and non-Latin posts."""

from __future__ import annotations

import pytest

from dedupe import DedupeIndex, Links, Member, Params, add_post, cluster, explain, fingerprint
from dedupe.document import analyze
from dedupe.match import classify

SENTENCE = ("The council agreed on Tuesday to close the Wealdstone library on Sundays from "
            "April, saving forty thousand pounds a year.")
LONG = " ".join(f"{SENTENCE} Officers counted {n} objections." for n in range(40))
CYRILLIC = ("Совет решил во вторник закрыть библиотеку по воскресеньям с апреля. "
            "Жители собрали более двух тысяч подписей против этого плана.\n\n"
            "Депутаты попросили пересмотреть решение на следующем заседании совета.")
CHINESE = "議會週二決定從四月起週日關閉圖書館。\n\n居民收集了兩千多個簽名反對這項計劃。"


def _archive(texts: dict[str, str]) -> tuple[list, dict]:
    index, links = DedupeIndex(), Links()
    for key, text in texts.items():
        add_post(index, links, key, text, texts.get)
    clusters = cluster([Member(k, url=k) for k in texts], links.edges())
    return [sorted(c.keys) for c in clusters], links.related()


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Read more", "Thanks!", "Share this:"])
def test_empty_and_tiny_posts_link_to_nothing_but_their_exact_copies(text):
    clusters, related = _archive({"a": text, "b": "Another post of a few words.",
                                  "c": SENTENCE})
    assert clusters == [] and related == {}
    assert explain(text, SENTENCE).kind == "none"


def test_tiny_posts_repeated_exactly_are_one_story():
    clusters, _ = _archive({"a": "Meeting moved to Friday.", "b": "Meeting moved to Friday.",
                            "c": "Meeting moved to Monday."})
    assert clusters == [["a", "b"]]


def test_one_long_paragraph_is_compared_like_any_post():
    edited = LONG.replace("objections", "letters", 3) + " Update: the decision was deferred."
    m = classify(analyze(edited), analyze(LONG))
    assert m is not None and m.is_duplicate
    clusters, _ = _archive({"a": LONG, "b": edited})
    assert clusters == [["a", "b"]]


def test_paragraphs_repeated_inside_a_post_do_not_inflate_its_measures():
    repeated = "\n\n".join([SENTENCE] * 12)
    doc = analyze(repeated)
    assert len(doc.unique) < len(doc.shingles)
    m = classify(analyze(repeated), analyze(SENTENCE + "\n\n" + SENTENCE))
    assert m is not None and m.kind in ("exact", "near")
    e = explain(repeated, SENTENCE)
    assert all(0.0 <= p.covered <= 1.0 for p in e.paragraphs)


@pytest.mark.parametrize("text", [CYRILLIC, CHINESE])
def test_non_latin_scripts_are_matched_by_their_own_words(text):
    params = Params()
    fp = fingerprint(text, params)
    assert fp.word_count > 0
    copy = text.replace("\n\n", "\n\n\n") + "\n\nShare this:"
    clusters, _ = _archive({"a": text, "b": copy, "c": SENTENCE})
    assert clusters == [["a", "b"]]
    assert explain(copy, text).kind in ("exact", "near")
