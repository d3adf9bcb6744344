"""Dedupe parameters, and the fingerprint strings that tell when stored data is stale."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

__all__ = ["DEFAULT_PARAMS", "Params"]

_SCHEMES = ("affine32", "affine64", "legacy")


def _check_fraction(name: str, value: float, *, allow_zero: bool = False) -> None:
    low_ok = value >= 0.0 if allow_zero else value > 0.0
    if not (low_ok and value <= 1.0):
        bound = "[0.0, 1.0]" if allow_zero else "(0.0, 1.0]"
        raise ValueError(f"{name} must be in {bound}, got {value!r}")


def _check_int(name: str, value: int, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


@dataclass(frozen=True)
class Params:
    """Every knob of the dedupe pipeline; the defaults come from the quality benchmark.

    ``python -m tests.benchmarks.bench_dedupe_quality`` (3,559 labelled posts, heavy edits,
    sentence reuse and digests included) sweeps them all; README's "Repeated stories" gives
    the coverage grid. A Jaccard threshold of 0.6 lets text-reuse posts in as duplicates,
    containment 0.85 or a size ratio of 0.45 merges digests, a ratio of 0.65 misses long
    updates, fewer than 30 shared shingles links notices that only share standard wording,
    coverage below 0.7 merges text reuse and above it splits heavy edits.
    LSH 25 x 5 is ``datasketch``'s optimum for Jaccard 0.5 and alone finds 89% of the
    duplicate pairs; paragraph anchors find the rest (excerpts, long updates). Ignoring
    anchors held by more than 50 posts, or sharing under 15% of the smaller post's anchors
    and fewer than three, keeps the candidates to verify near six a post and loses no
    duplicate.

    Fields that change stored bytes (signature, paragraph anchors, normalized-text hash):

    Attributes:
        num_perm: MinHash permutations (datasketch ``num_perm``).
        seed: MinHash permutation seed (datasketch ``seed``).
        scheme: datasketch permutation scheme; ``"affine32"`` is datasketch 2's default.
        shingle_size: Words per shingle (k of the word k-grams).
        anchor_words: Words hashed at the head and at the tail of each paragraph of at least
            that many words, to find posts sharing paragraphs.

    Fields used only when matching (changing them needs no re-fingerprinting):

    Attributes:
        lsh_bands: LSH bands (datasketch ``b``); ``lsh_bands * lsh_rows <= num_perm``.
        lsh_rows: Signature values per band (datasketch ``r``).
        jaccard_threshold: Shingle Jaccard at or above which two posts are near duplicates.
        containment_threshold: Share of the shorter post's shingles found in the longer one
            at or above which the shorter is "contained" (an update appended, a paragraph cut).
        containment_min_ratio: A contained post is a duplicate only if it is at least this
            share of the longer one's size, or if it is the longer one's lead (an excerpt).
            This keeps a digest quoting two whole posts from merging those two stories.
            The coverage rule has the same tolerant form: a post whose paragraphs align
            ``containment_threshold`` inside another that is itself covered at least this
            much is a cut copy (a heavy edit that dropped sentences and a paragraph).
        excerpt_max_words: Longest text (in words) that can be another's excerpt.
        related_threshold: Share of either post's paragraph text reused in the other at or
            above which the posts are related (text reuse), when they are not duplicates.
        related_min_shingles: ... and the posts share at least this many distinct shingles
            (two short notices in the same standard wording are not text reuse).
        compilation_min_share: A post wholly containing two or more archived posts that lie
            side by side in it (they cover different words of it: different stories, not
            versions of one), each making up at least this share of it, is a compilation (a
            digest): it is related to each, and to every other post it is not a copy of,
            never their duplicate.
        paragraph_reuse_threshold: Share of a paragraph's shingles found in the other post
            at or above which that paragraph counts as reused.
        coverage_threshold: Two posts are the same story when the paragraphs aligned
            between them hold at least this share of the text of *both* posts (an edit that
            rewords words all through the story; a post that reuses part of another inside
            new text of its own is below it on its own side, so it is only related).
        paragraph_cover_threshold: Share of a paragraph's words covered by shingles found
            in the other post at or above which the paragraph is aligned (a few reworded
            words leave it aligned; chance five-word phrases cover far less).
        sentence_min_words: Sentences shorter than this never count as shared ("Read
            more", sign-offs, common phrases).
        sentence_min_shared: Posts related by sentences share at least this many of them...
        sentence_related_share: ... making up at least this share of the shorter post's
            words (one standard sentence in a long post is not text reuse).
        min_paragraph_words: Paragraphs shorter than this are ignored for reuse.
        max_candidates: Candidates verified per query, best first (each costs a text load):
            a guard against pathological posts, far above what the filters below let
            through (at most 109 on the labelled set). Below it, which pairs are verified
            depends on the pair alone, not on what was indexed before, so the archive's
            links do not depend on arrival order; a cap that truncates does.
        max_anchor_posts: Anchors shared by more posts than this are boilerplate (campaign
            footers, standard disclaimers) and are not used to find candidates.
        min_anchor_overlap: A post found by paragraph anchors alone is verified only if the
            anchors shared are at least this share of the smaller post's anchors (one shared
            opening among thirty paragraphs is chance, not reuse)...
        min_anchor_shared: ... or at least this many anchors (a few sentences quoted in a
            long post are a small share of its anchors but not chance). Two would find every
            sentence-reuse pair whose openings are common wording, but verifies ten times as
            many candidates on the speed benchmark's posts (shared template openings).
        coverage_min_words: Both posts need at least this many words for the coverage rule
            (short notices in one standard wording align wholly, yet differ in the date).
        coverage_min_containment: ... and each needs at least this share of its shingles
            in the other (a post quoting one sentence in each paragraph of another aligns
            every paragraph, yet shares a fifth of its shingles).
    """

    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    shingle_size: int = 5
    anchor_words: int = 8
    lsh_bands: int = 25
    lsh_rows: int = 5
    jaccard_threshold: float = 0.7
    containment_threshold: float = 0.9
    containment_min_ratio: float = 0.55
    excerpt_max_words: int = 150
    related_threshold: float = 0.2
    related_min_shingles: int = 30
    paragraph_reuse_threshold: float = 0.4
    coverage_threshold: float = 0.7
    paragraph_cover_threshold: float = 0.4
    sentence_min_words: int = 8
    sentence_min_shared: int = 2
    sentence_related_share: float = 0.1
    compilation_min_share: float = 0.2
    min_paragraph_words: int = 8
    max_candidates: int = 500
    max_anchor_posts: int = 50
    min_anchor_overlap: float = 0.15
    min_anchor_shared: int = 3
    coverage_min_words: int = 150
    coverage_min_containment: float = 0.4

    VERSION: ClassVar[int] = 2

    def __post_init__(self) -> None:
        for name in ("num_perm", "shingle_size", "anchor_words", "lsh_bands", "lsh_rows",
                     "min_paragraph_words", "max_candidates", "max_anchor_posts",
                     "excerpt_max_words", "sentence_min_words", "sentence_min_shared",
                     "min_anchor_shared", "coverage_min_words"):
            _check_int(name, getattr(self, name))
        _check_int("related_min_shingles", self.related_min_shingles, minimum=0)
        if self.num_perm < 2:
            raise ValueError(f"num_perm must be at least 2, got {self.num_perm}")
        if self.scheme not in _SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(_SCHEMES)}, got {self.scheme!r}")
        seed = self.seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
            raise ValueError(f"seed must be an int in [0, 2**32), got {self.seed!r}")
        if self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError(
                f"lsh_bands * lsh_rows = {self.lsh_bands} * {self.lsh_rows} = "
                f"{self.lsh_bands * self.lsh_rows} must not exceed num_perm {self.num_perm}. "
                "Did you forget to set num_perm?"
            )
        if self.lsh_bands < 2:
            raise ValueError(f"lsh_bands must be at least 2, got {self.lsh_bands}")
        for name in ("jaccard_threshold", "containment_threshold", "related_threshold",
                     "paragraph_reuse_threshold", "compilation_min_share", "coverage_threshold",
                     "paragraph_cover_threshold", "sentence_related_share",
                     "coverage_min_containment"):
            _check_fraction(name, getattr(self, name))
        _check_fraction("containment_min_ratio", self.containment_min_ratio, allow_zero=True)
        _check_fraction("min_anchor_overlap", self.min_anchor_overlap, allow_zero=True)

    def fingerprint(self) -> str:
        """Identify the parameters that shape stored bytes (at most 128 characters).

        Store it with each post's signature; a post whose stored fingerprint differs from the
        current one must be fingerprinted again before its signature is compared or indexed.
        Matching thresholds are left out on purpose: changing them needs no re-fingerprinting.

        Example:
            >>> Params().fingerprint()
            'dedupe-v2:affine32,perm=128,seed=1,k=5,anchor=8'
        """
        return (
            f"dedupe-v{self.VERSION}:{self.scheme},perm={self.num_perm},seed={self.seed},"
            f"k={self.shingle_size},anchor={self.anchor_words}"
        )

    def run_fingerprint(self) -> str:
        """Identify every parameter, thresholds included, e.g. to record with a crawl run
        (at most 128 characters with the defaults; the field order is fixed)."""
        return (
            f"{self.fingerprint()};{self.lsh_bands}x{self.lsh_rows},j{self.jaccard_threshold:g},"
            f"c{self.containment_threshold:g}/{self.containment_min_ratio:g}/"
            f"{self.excerpt_max_words},r{self.related_threshold:g}/"
            f"{self.paragraph_reuse_threshold:g}/{self.min_paragraph_words},"
            f"v{self.coverage_threshold:g}/{self.paragraph_cover_threshold:g}/"
            f"{self.coverage_min_words}/{self.coverage_min_containment:g},s{self.sentence_min_words}/{self.sentence_min_shared}/"
            f"{self.sentence_related_share:g},d{self.compilation_min_share:g}"
            f"n{self.max_candidates},a{self.max_anchor_posts}/{self.min_anchor_overlap:g}/"
            f"{self.min_anchor_shared}"
        )

    def to_dict(self) -> dict[str, object]:
        """Return all fields as a plain dict (for logs and run records)."""
        return asdict(self)


#: The defaults, shared (``Params`` is frozen) so functions called without params skip
#: re-validating them.
DEFAULT_PARAMS = Params()
