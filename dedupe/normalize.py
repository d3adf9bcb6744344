"""Text normalization for matching (never for display).

``normalize`` applies, in order: removal of invisible characters, Unicode NFKC, case folding,
folding of typographic quotes, dashes and arrows to plain ASCII, whitespace collapsed within
each line, and removal of page furniture ("Share this:", "Like Loading…", "Posted in …",
"Continue reading →" …). The result keeps one paragraph per line, joined by ``"\\n"``.

Paragraphs end at any line break: a blank line (as in ``crawler.items.Post.text``) or a single
newline (as in the seed texts, which put one paragraph per line) both separate paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FURNITURE_LINES", "FURNITURE_TAILS", "is_furniture", "normalize", "paragraphs"]

# Characters folded before and after NFKC. Deleting invisible characters first lets NFKC
# compose what they separated; folding again afterwards catches what NFKC itself produces
# (for example U+2033 DOUBLE PRIME becomes two U+2032 PRIME characters).
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
        **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                        "\u200a\u202f\u205f\u3000\u1680", " "),
        "\u2026": "...",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2022": "*",
        "\u00b7": "*",
    }
)

#: Whole lines (after folding and whitespace collapsing) that are page furniture, not prose.
FURNITURE_LINES: tuple[str, ...] = (
    r"share this:?",
    r"like this:?",
    r"like",
    r"(?:like )?loading\.*",
    r"liked by \d+ (?:people|person|bloggers?)\.*",
    r"be the first to like this\.*",
    r"click to (?:share|email|print|tweet|like)\b.{0,80}",
    r"share on (?:facebook|twitter|x|linkedin|whatsapp|reddit|email|bluesky|threads)\.*",
    r"\(?opens in new window\)?",
    r"(?:facebook|twitter|x|email|print|whatsapp|linkedin|reddit|tumblr|pinterest|telegram|"
    r"pocket|more|reblog|subscribe|follow|report this content|advertisements?)",
    r"continue reading\b.{0,160}",
    r"read more\W{0,4}",
    r"(?:posted|filed) (?:in|under|on|by)\b.{0,300}",
    r"tagged(?: with)?:?\s.{0,300}",
    r"(?:categories|category|tags):\s?.{0,300}",
    r"leave a (?:comment|reply)\b.{0,80}",
    r"\d+ (?:comments?|responses?|replies|thoughts?)(?: on\b.{0,200})?",
    r"(?:one|no) (?:comment|response|reply|thought)s? on\b.{0,200}",
    r"related(?: posts| articles)?:?",
    r"\(play\b.{0,200}\)",
    r"\[\.\.\.\]|\.\.\.",
)

#: Furniture at the end of a line, e.g. an excerpt's "[…] Continue reading →".
FURNITURE_TAILS: tuple[str, ...] = (
    r"\[\.\.\.\]",
    r"continue reading(?:\s.{0,160}?)?\s*(?:->|>|»)",
    r"continue reading",
    r"read more\s*(?:->|>|»|\.\.\.)?",
)

_FURNITURE_LINE = re.compile("|".join(f"(?:{p})" for p in FURNITURE_LINES))
_TAIL = re.compile(r"(?:\s*(?:\.\.\.\s*)?(?:" + "|".join(FURNITURE_TAILS) + r"))+$")
_MAX_FURNITURE_CHARS = 320


_FOLD_CHARS = frozenset(chr(code) for code in _FOLD)
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
#: Per character seen: 0 if not simple (see :func:`_is_simple`), 1 if simple but changed by
#: ``str.lower``, 2 if simple and unchanged by it.
_char_kinds: dict[str, int] = {}


def _fold_reference(text: str) -> str:
    """The definition of folding: fold, NFKC, case-fold, NFKC, fold again."""
    text = unicodedata.normalize("NFKC", text.translate(_FOLD))
    text = unicodedata.normalize("NFKC", text.casefold())
    return text.translate(_FOLD)


def _char_kind(char: str) -> int:
    """Whether a character survives folding unchanged whatever surrounds it, and lower().

    Simple means: not a combining mark, unchanged by NFKC and by case folding, and not a
    Hangul jamo (which compose with a preceding syllable although they are not marks).
    """
    kind = _char_kinds.get(char)
    if kind is None:
        simple = (
            not unicodedata.category(char).startswith("M")
            and unicodedata.normalize("NFKC", char) == char
            and char.casefold() == char
            and not 0x1100 <= ord(char) <= 0x11FF
        )
        kind = (2 if char.lower() == char else 1) if simple else 0
        _char_kinds[char] = kind
    return kind


def _is_simple(char: str) -> bool:
    """True if the character survives folding unchanged whatever surrounds it."""
    return _char_kind(char) > 0


def _fold(text: str) -> str:
    """Fast path of :func:`_fold_reference` for mostly-ASCII text (same result).

    Mostly-ASCII text only needs its few non-ASCII characters looked at: those folded are
    replaced, and if every other one is simple the text is lower-cased. When they are also
    unchanged by ``str.lower`` (a pound sign, an accented small letter), lower-casing the
    UTF-8 bytes (ASCII letters only) gives the same text several times faster than
    ``str.lower`` on a non-ASCII string.
    """
    if text.isascii():
        return text.lower()
    chars = set(_ASCII_RUNS.sub("", text))
    for char in chars & _FOLD_CHARS:
        text = text.replace(char, _FOLD[ord(char)] or "")
    kinds = {_char_kind(char) for char in chars - _FOLD_CHARS}
    if 0 in kinds:
        return _fold_reference(text)
    if 1 in kinds:
        return text.lower()
    return text.encode("utf-8").lower().decode("utf-8")


def is_furniture(line: str) -> bool:
    """Return True if a normalized line is page furniture (share widgets, post meta, …)."""
    return len(line) <= _MAX_FURNITURE_CHARS and _FURNITURE_LINE.fullmatch(line) is not None


def _clean_line(line: str) -> str:
    if "  " in line or "\t" in line:
        line = " ".join(line.split())
    else:
        line = line.strip(" ")
    if not line or is_furniture(line):
        return ""
    if "continue" in line or "read more" in line or "[...]" in line:
        line = _TAIL.sub("", line).rstrip()
        if is_furniture(line):
            return ""
    return line


def normalize(text: str) -> str:
    """Normalize text for matching.

    The result is idempotent (``normalize(normalize(t)) == normalize(t)``) and holds one
    paragraph per line, with no empty lines.

    Args:
        text: Post body as extracted (paragraphs separated by line breaks).

    Returns:
        The normalized text; ``""`` when nothing but whitespace or furniture remains.
    """
    folded = _fold(text)
    if _plain(folded):
        # No line needs its whitespace collapsed or a furniture tail cut: what
        # _clean_line does reduces to strip, and a furniture test for short lines only.
        lines = (line.strip(" ") for line in folded.splitlines())
        return "\n".join(line for line in lines if line and not (
            len(line) <= _MAX_FURNITURE_CHARS and _FURNITURE_LINE.fullmatch(line)))
    lines = (_clean_line(line) for line in folded.splitlines())
    return "\n".join(line for line in lines if line)


def _plain(folded: str) -> bool:
    """True if no line of the text holds a tab, two spaces, or a furniture-tail word."""
    return not ("  " in folded or "\t" in folded or "continue" in folded
                or "read more" in folded or "[...]" in folded)


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at line breaks, dropping empty ones.

    A blank line and a single newline both end a paragraph; surrounding whitespace is
    stripped. Works on raw or normalized text (for display, use raw text).
    """
    return [p for p in (line.strip() for line in text.splitlines()) if p]
