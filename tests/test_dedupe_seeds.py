"""Dedupe on the real seed pages (read from ../shared/seeds, never copied into the repo).

000 is one post's own page; 001 is the blog's listing page with seven posts in full, one of
them the same story as 000 and two others reusing its paragraphs (see the seeds' README).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dedupe import DedupeIndex, Edge, Member, Params, cluster, fingerprint, match, normalize

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
COMMENTS = re.compile(r"^\s*(?:one|no|\d+) (?:thought|comment|response|repl)", re.IGNORECASE)
SAME_STORY = 4          # the fifth listing post is 000's story
REUSERS = {2, 6}        # the third and seventh reuse its paragraphs


def read_seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"…/shared/seeds not found: {SEEDS} has no {prefix}_*.txt")
    return found[0].read_text(encoding="utf-8")


def own_page_body(text: str) -> str:
    """000 without its comment section: everything from the comments header on goes."""
    lines = text.splitlines()
    cut = next((i for i, line in enumerate(lines) if COMMENTS.match(line)), len(lines))
    return "\n".join(line for line in lines[:cut] if line.strip() != "Like")


def listing_posts(text: str) -> list[str]:
    """Split the listing at its title lines: a one-line block followed by a body block.

    One-line blocks not followed by a body (the embedded-video instructions) are furniture.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    posts = []
    for block, following in zip(blocks, blocks[1:] + [""]):
        if "\n" not in block and "\n" in following:
            posts.append(f"{block}\n\n{following}")
    return posts


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    body = own_page_body(read_seed("000"))
    posts = listing_posts(read_seed("001"))
    assert len(posts) == 7, [p.splitlines()[0] for p in posts]
    return {"000": body, **{f"001-{n}": post for n, post in enumerate(posts)}}


def run(texts: dict[str, str], order: list[str]) -> dict[str, list]:
    params = Params()
    index = DedupeIndex(params)
    found = {}
    for key in order:
        fp = fingerprint(texts[key], params)
        found[key] = match(fp, texts[key], index, texts.get, exclude=key)
        index.add(key, fp)
    return found


def test_the_split_finds_seven_posts_and_drops_the_comments(seeds: dict[str, str]) -> None:
    own_title = seeds["000"].splitlines()[0]
    assert normalize(own_title) == normalize(seeds[f"001-{SAME_STORY}"].splitlines()[0])
    assert not any(COMMENTS.match(line) for line in seeds["000"].splitlines())


@pytest.mark.parametrize("own_page_first", [True, False])
def test_same_story_is_a_duplicate_and_reusers_are_related(seeds: dict[str, str],
                                                           own_page_first: bool) -> None:
    listing = [k for k in seeds if k != "000"]
    found = run(seeds, ["000", *listing] if own_page_first else [*listing, "000"])
    links = {frozenset((key, m.key)): m for key, matches in found.items() for m in matches}
    copy = links[frozenset(("000", f"001-{SAME_STORY}"))]
    assert copy.kind in {"exact", "near"}
    for n in REUSERS:
        reuse = links[frozenset(("000", f"001-{n}"))]
        assert (reuse.kind, reuse.method) == ("related", "paragraphs")
        assert reuse.shared_fraction >= Params().related_threshold
    unrelated = {f"001-{n}" for n in range(7)} - {f"001-{n}" for n in REUSERS | {SAME_STORY}}
    assert not any(pair & unrelated for pair in links)
    edges = [Edge.from_match(key, m) for key, matches in found.items() for m in matches]
    clusters = cluster([Member(k) for k in seeds], edges)
    assert [set(c.keys) for c in clusters] == [{"000", f"001-{SAME_STORY}"}]
