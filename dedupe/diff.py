"""Paragraph-level differences between two texts (for showing why posts matched)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from dedupe.normalize import normalize, paragraphs

__all__ = ["DiffOp", "diff_paragraphs"]


@dataclass(frozen=True)
class DiffOp:
    """One step turning ``a`` into ``b``, over paragraphs as displayed (not normalized).

    Attributes:
        op: ``"equal"``, ``"replace"``, ``"delete"`` (only in ``a``) or ``"insert"``
            (only in ``b``).
        a: The paragraphs of ``a`` concerned (empty for ``"insert"``).
        b: The paragraphs of ``b`` concerned (empty for ``"delete"``).
        a_start: Index of the first of them among ``a``'s paragraphs.
        b_start: Index of the first of them among ``b``'s paragraphs.
    """

    op: Literal["equal", "replace", "delete", "insert"]
    a: tuple[str, ...]
    b: tuple[str, ...]
    a_start: int
    b_start: int


def _content(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs as displayed, and their normalized forms; furniture is left out."""
    shown, keys = [], []
    for paragraph in paragraphs(text):
        key = normalize(paragraph)
        if key:
            shown.append(paragraph)
            keys.append(key)
    return shown, keys


def diff_paragraphs(a_text: str, b_text: str) -> list[DiffOp]:
    """Diff two texts paragraph by paragraph.

    Paragraphs compare by their normalized form, so case, curly quotes and spacing do not
    count as changes; furniture lines ("Share this:", …) are left out.

    Example:
        >>> ops = diff_paragraphs("One.\\n\\nTwo.", "One.\\n\\nTWO.\\n\\nUpdate: three.")
        >>> [(op.op, op.b) for op in ops]
        [('equal', ('One.', 'TWO.')), ('insert', ('Update: three.',))]
    """
    a_shown, a_keys = _content(a_text)
    b_shown, b_keys = _content(b_text)
    matcher = SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    return [
        DiffOp(tag, tuple(a_shown[i1:i2]), tuple(b_shown[j1:j2]), i1, j1)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
