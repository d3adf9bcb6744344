"""Matching a post against the archive: exact, near, containment, related and negatives."""

from __future__ import annotations

import pytest

from dedupe import DedupeIndex, Params, fingerprint, match
from dedupe.document import analyze
from dedupe.match import classify

TITLE = "Pinner library hours to be cut despite petition"
STORY = [
    "The cabinet agreed on Thursday to reduce opening hours at Pinner library from six days a "
    "week to three, despite a petition signed by more than nine hundred residents.",
    "Councillor Amina Shah, who holds the portfolio for community services, told the meeting "
    "that the library service must find savings of four hundred thousand pounds by next April.",
    "Campaigners from the Friends of Pinner Library pointed out that the branch lends more "
    "books per head than any other in the borough and that its study room is full every evening "
    "during the exam season.",
    "Opposition members asked why the council had spent nearly two million pounds on "
    "consultants for the town centre regeneration scheme while closing community buildings.",
    "Officers said volunteers could keep the building open on the remaining days, but the "
    "friends group replied that it had not been asked and did not have enough helpers.",
    "A report published with the agenda shows that visits to Pinner rose by eleven per cent "
    "last year, the only branch in the borough where numbers went up.",
    "The decision can still be called in by the overview and scrutiny committee, which meets "
    "again at the civic centre on the twelfth of next month.",
]
UPDATE = ("Update: the overview and scrutiny committee has agreed to call in the decision, and "
          "the cabinet will have to reconsider the cuts at its meeting in the spring.")
SAME_TOPIC = [
    "Stanmore library to trial self-service evenings",
    "Stanmore library will open until eight in the evening on Tuesdays and Thursdays from "
    "next month, using self-service machines and a security guard instead of librarians.",
    "The trial was proposed by Councillor Amina Shah, who said residents had asked for longer "
    "hours and that the scheme would cost the library service very little.",
    "The Friends of Stanmore Library welcomed the later opening but warned that children doing "
    "homework still need a trained member of staff in the building.",
    "The council will publish figures on visits and book loans after three months, and decide "
    "in the autumn whether to extend the scheme to other branches in the borough.",
    "Unison said it would watch closely for any attempt to replace qualified librarians with "
    "machines as part of the savings the council must make by next April.",
]
FOOTER = ("Pinner Matters is run by volunteers and takes no advertising. If you value independent "
          "local reporting, please share this post and come to our monthly open meeting.")


def post(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


ORIGINAL = post(TITLE, *STORY)


def matched(text: str, archive: dict[str, str], params: Params | None = None,
            key: str | None = None) -> list:
    """Index ``archive`` and match ``text`` against it."""
    params = params or Params()
    index = DedupeIndex(params)
    for k, t in archive.items():
        index.add(k, fingerprint(t, params))
    return match(fingerprint(text, params), text, index, archive.get, exclude=key)


def only(matches: list) -> tuple:
    assert len(matches) == 1, matches
    m = matches[0]
    return m.key, m.kind, m.method


def test_exact_repost_with_other_spacing_and_quotes() -> None:
    repost = ORIGINAL.replace("\n\n", "\n").replace("'", "\u2019").upper()
    assert only(matched(repost, {"a": ORIGINAL})) == ("a", "exact", "exact")


def test_typo_fixes_are_near_duplicates_by_jaccard() -> None:
    fixed = ORIGINAL.replace("residents", "residnets", 1).replace("borough", "borugh", 1)
    m = matched(fixed, {"a": ORIGINAL})
    assert only(m) == ("a", "near", "jaccard")
    assert 0.85 < m[0].similarity < 1.0


def test_update_appended_is_near_by_containment() -> None:
    updated = post(TITLE, *STORY, UPDATE, UPDATE.replace("spring", "summer"))
    assert only(matched(updated, {"a": ORIGINAL}))[1:] in {("near", "jaccard"),
                                                           ("near", "containment")}
    long_update = post(TITLE, *STORY, *SAME_TOPIC[1:5])
    assert only(matched(long_update, {"a": ORIGINAL})) == ("a", "near", "containment")
    assert only(matched(ORIGINAL, {"u": long_update})) == ("u", "near", "containment")


def test_paragraph_dropped_and_reordered_are_near() -> None:
    dropped = post(TITLE, *STORY[:3], *STORY[4:])
    reordered = post(TITLE, STORY[1], STORY[0], *STORY[2:])
    assert only(matched(dropped, {"a": ORIGINAL}))[1] == "near"
    assert only(matched(reordered, {"a": ORIGINAL}))[1:] == ("near", "jaccard")
    trimmed = post(TITLE, *STORY[:4])
    assert only(matched(trimmed, {"a": ORIGINAL})) == ("a", "near", "containment")


def test_cross_post_with_page_furniture_is_exact() -> None:
    cross = post("Posted on 3 May 2025 by Pinner Matters", ORIGINAL, "Share this:", "Twitter",
                 "Facebook", "Like this:", "Like Loading\u2026",
                 "Posted in Libraries | Tagged cuts | Leave a comment", "Related")
    assert only(matched(cross, {"a": ORIGINAL})) == ("a", "exact", "exact")


def test_listing_excerpt_is_near_and_marked_excerpt() -> None:
    opening = " ".join(" ".join(STORY).split()[:55])
    excerpt = post(TITLE, opening + " \u2026 Continue reading \u2192")
    assert only(matched(excerpt, {"a": ORIGINAL})) == ("a", "near", "excerpt")
    assert only(matched(ORIGINAL, {"e": excerpt})) == ("e", "near", "excerpt")


def test_quoting_paragraphs_is_related_not_a_duplicate() -> None:
    reuse = post("Why Pinner library matters", SAME_TOPIC[1], STORY[2], SAME_TOPIC[2], STORY[5],
                 SAME_TOPIC[3], STORY[3])
    m = matched(reuse, {"a": ORIGINAL})
    assert only(m) == ("a", "related", "paragraphs")
    assert 0.3 <= m[0].other_reused <= 0.6
    assert m[0].shared_fraction == max(m[0].new_reused, m[0].other_reused)


OTHER = post(*SAME_TOPIC[:4])
DIGEST = post("This week's round-up", ORIGINAL, OTHER)


def test_digest_of_two_stories_is_related_to_both() -> None:
    found = matched(DIGEST, {"a": ORIGINAL, "b": OTHER})
    assert {(m.key, m.kind) for m in found} == {("a", "related"), ("b", "related")}
    assert only(matched(DIGEST, {"a": ORIGINAL})) == ("a", "near", "containment")


def test_digest_seen_before_its_sources_is_still_related() -> None:
    assert only(matched(ORIGINAL, {"d": DIGEST})) == ("d", "near", "containment")
    found = matched(ORIGINAL, {"d": DIGEST, "b": OTHER})
    assert [(m.key, m.kind) for m in found] == [("d", "related")]


UPDATED = post(TITLE, *STORY, UPDATE)


def test_a_digest_is_related_to_other_versions_of_its_stories_too() -> None:
    # The updated version is not inside the digest (its update is not quoted), yet the
    # digest is no duplicate of it: from either side, once the digest's parts are archived.
    archive = {"a": ORIGINAL, "b": OTHER, "u": UPDATED}
    found = {m.key: m.kind for m in matched(DIGEST, archive)}
    assert found == {"a": "related", "b": "related", "u": "related"}
    archive = {"a": ORIGINAL, "b": OTHER, "d": DIGEST}
    assert {m.key: m.kind for m in matched(UPDATED, archive)}["d"] == "related"


def test_versions_of_one_story_inside_a_post_do_not_make_it_a_digest() -> None:
    # Both lie wholly inside the original and are not duplicates of each other, but they
    # cover the same words of it: the original is their story, not a compilation.
    first_half = post(TITLE, *STORY[:5])
    second_half = post(TITLE, *STORY[2:])
    found = {m.key: m.kind for m in matched(ORIGINAL, {"x": first_half, "y": second_half})}
    assert found == {"x": "near", "y": "near"}


def test_cut_copy_with_reworded_words_is_near_by_coverage() -> None:
    # A long story (343 words) republished with words reworded in every kept paragraph
    # (containment 0.65, Jaccard 0.36) and its last four paragraphs cut (the original is
    # covered 0.69, under the 0.7 of the two-sided rule): the tolerant containment rule.
    body = [*STORY, *SAME_TOPIC[1:]]
    reworded = [p.replace(" the ", " this ", 2).replace(" and ", " plus ", 1) for p in body[:8]]
    m = matched(post(TITLE, *reworded), {"a": post(TITLE, *body)})
    assert only(m) == ("a", "near", "coverage")
    assert m[0].new_covered >= 0.9 and 0.55 <= m[0].other_covered < 0.7
    assert m[0].new_in_other < 0.9 and m[0].jaccard < 0.7


def test_short_posts_match_by_exact_text_and_containment_only() -> None:
    notice = post("Library meeting", "The Friends of Pinner Library meet at the library on "
                  "Tuesday 4 March at 7pm. All residents are welcome.")
    assert only(matched(notice.replace("\n\n", "\n"), {"n": notice}))[1] == "exact"
    expanded = post(notice, "We will discuss the cabinet decision and plan the next steps.")
    assert only(matched(expanded, {"n": notice}))[1] == "near"
    other_day = notice.replace("Tuesday 4 March", "Thursday 3 April")
    assert matched(other_day, {"n": notice}) == []


def test_edited_post_is_a_version_of_itself_never_its_own_duplicate() -> None:
    params = Params()
    index = DedupeIndex(params)
    index.add("a", fingerprint(ORIGINAL, params))
    edited = ORIGINAL.replace("eleven", "twelve")
    texts = {"a": ORIGINAL}
    assert match(fingerprint(edited, params), edited, index, texts.get, exclude="a") == []
    index.remove("a")
    index.add("a", fingerprint(edited, params))
    texts["a"] = edited
    assert match(fingerprint(edited, params), edited, index, texts.get, exclude="a") == []
    found = match(fingerprint(ORIGINAL, params), ORIGINAL, index, texts.get)
    assert only(found)[:2] == ("a", "near")


@pytest.mark.parametrize("negative", [
    post(*SAME_TOPIC),
    post(*SAME_TOPIC, FOOTER),
    post(SAME_TOPIC[0], SAME_TOPIC[1], STORY[6], SAME_TOPIC[2]),
])
def test_hard_negatives_are_never_duplicates(negative: str) -> None:
    archive = {"a": post(TITLE, *STORY, FOOTER)}
    assert all(m.kind == "related" or m.key != "a" for m in matched(negative, archive))
    assert not any(m.is_duplicate for m in matched(negative, archive))


def test_shared_footer_alone_is_not_text_reuse() -> None:
    archive = {"a": post(TITLE, *STORY, FOOTER)}
    assert matched(post(*SAME_TOPIC, FOOTER), archive) == []


def test_boilerplate_paragraphs_do_not_count_as_reuse() -> None:
    """A footer held by more than max_anchor_posts posts is boilerplate, not reuse."""
    footer = post(FOOTER, "The views expressed are the author's own and not those of any party. "
                  "Corrections are welcome: write to the editor and we will update the post.")
    params = Params(max_anchor_posts=3)
    archive = {f"s{n}": post(SAME_TOPIC[n], footer) for n in range(1, 5)}
    short_story = post(STORY[0], footer)
    assert {m.kind for m in matched(short_story, {"s1": archive["s1"]}, params)} == {"related"}
    assert matched(short_story, archive, params) == []


def test_lsh_false_positive_is_never_linked() -> None:
    params = Params()
    index = DedupeIndex(params)
    index.add("a", fingerprint(ORIGINAL, params))
    unrelated = post(*SAME_TOPIC)
    lying = {"a": unrelated}.get
    assert match(fingerprint(ORIGINAL, params), ORIGINAL, index, lying) == []


def test_missing_candidate_text_is_skipped() -> None:
    params = Params()
    index = DedupeIndex(params)
    index.add("gone", fingerprint(ORIGINAL, params))
    assert match(fingerprint(ORIGINAL, params), ORIGINAL, index, lambda key: None) == []


def test_match_checks_params_and_text() -> None:
    index = DedupeIndex(Params(seed=2))
    with pytest.raises(ValueError, match="fingerprint made with"):
        match(fingerprint(ORIGINAL), ORIGINAL, index, {}.get)
    with pytest.raises(ValueError, match="not the fingerprint of text"):
        match(fingerprint(ORIGINAL, index.params).__class__.from_stored(
            fingerprint("other", index.params).norm_hash,
            fingerprint("other", index.params).signature_bytes(), b"", 1,
            index.params.fingerprint()), ORIGINAL, index, {}.get)


def test_empty_text_matches_nothing() -> None:
    assert matched("Share this:\n\nLike Loading\u2026", {"a": "Share this:"}) == []
    assert classify(analyze(""), analyze("")) is None
