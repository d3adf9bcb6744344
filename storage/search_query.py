"""The archive's search language: parse what people type, render it for FTS5 or tsquery.

Words must all match; ``"exact phrases"``; ``a OR b``; ``-excluded``; ``prefix*``.
``OR`` binds tighter than the implicit AND (``tax council OR parish`` means
``tax AND (council OR parish)``), as in web search engines. Every term reaches the
database as a quoted string inside one bound parameter, so no input is ever SQL and no
input can be an FTS5 or tsquery operator either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MIN_PREFIX_CHARS = 2
HELP = 'use words, "exact phrases", OR, -excluded, prefix*'

# One lexical item: an optionally negated "phrase" (the closing quote may be missing, the
# phrase then runs to the end) with an optional trailing *, or a run of other characters.
_TOKEN = re.compile(r'(-*)"([^"]*)"?(\*?)|([^\s"]+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_ALNUM = re.compile(r"[^\W_]")
OR_WORDS = frozenset({"OR", "|", "||"})
NOT_WORDS = frozenset({"NOT"})
AND_WORDS = frozenset({"AND", "&", "&&", "+"})


@dataclass(frozen=True)
class Term:
    """A word or a phrase; the database's own tokenizer splits and stems it."""

    text: str
    phrase: bool = False
    prefix: bool = False

    def __str__(self) -> str:
        return (f'"{self.text}"' if self.phrase else self.text) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class AnyOf:
    """``a OR b OR …``: at least one of the terms must match."""

    terms: tuple[Term, ...]

    def __str__(self) -> str:
        return " OR ".join(map(str, self.terms))


@dataclass(frozen=True)
class Query:
    """All of ``include`` must match and none of ``exclude``."""

    include: tuple[Term | AnyOf, ...]
    exclude: tuple[Term, ...] = ()

    def __str__(self) -> str:
        return " ".join([*map(str, self.include), *(f"-{t}" for t in self.exclude)])

    def terms(self) -> list[Term]:
        flat: list[Term] = []
        for item in self.include:
            flat.extend(item.terms if isinstance(item, AnyOf) else [item])
        return flat + list(self.exclude)


def _clean(text: str) -> str:
    # Lone surrogates (undecodable argv bytes) cannot be sent to a database; control
    # characters (NUL in particular) are rejected by PostgreSQL, so both become spaces.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", text)


def _lex(text: str) -> list[tuple[str, bool, Term | None]]:
    """Items as ``(operator, negated, term)``; operator is ``OR``, ``NOT`` or ``""``."""
    items: list[tuple[str, bool, Term | None]] = []
    for match in _TOKEN.finditer(text):
        dashes, phrase, star, chunk = match.groups()
        if chunk is None:
            words = " ".join(phrase.split())
            term = Term(words, phrase=True, prefix=bool(star)) if _ALNUM.search(words) else None
            items.append(("", bool(dashes), term))
        elif chunk in OR_WORDS or chunk in NOT_WORDS:
            items.append(("OR" if chunk in OR_WORDS else "NOT", False, None))
        elif chunk not in AND_WORDS:
            items.append(("", chunk.startswith("-"), _word(chunk)))
    return items


def _word(chunk: str) -> Term | None:
    prefix = chunk.endswith("*")
    word = _EDGE_PUNCT.sub("", chunk)
    if not word:
        return None
    # "covid-19" or "o'brien" keep their inner punctuation: each backend splits them the
    # same way it split the indexed text, so they match as a phrase would.
    return Term(word, phrase=False, prefix=prefix)


def parse(text: str) -> Query:
    """Parse a search box string.

    :raises ValueError: with a one-line explanation when nothing searchable is left, the
        query only excludes, an exclusion is OR-ed, a prefix is too short or the query is
        too long.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    include: list[Term | AnyOf] = []
    exclude: list[Term] = []
    pending_or = pending_not = after_exclusion = False
    for operator, negated, term in _lex(_clean(text)):
        if operator:
            pending_or, pending_not = operator == "OR", operator == "NOT"
            continue
        if term is None:
            continue
        _check_prefix(term)
        negated = negated or pending_not
        if pending_or and (negated or after_exclusion):
            raise ValueError(f"cannot OR an exclusion ({text.strip()!r}): {HELP}")
        if negated:
            exclude.append(term)
        elif pending_or and include:
            include[-1] = _or(include[-1], term)
        else:
            include.append(term)
        pending_or = pending_not = False
        after_exclusion = negated
    return _finish(text, include, exclude)


def _or(left: Term | AnyOf, term: Term) -> AnyOf:
    return AnyOf((*left.terms, term)) if isinstance(left, AnyOf) else AnyOf((left, term))


def _check_prefix(term: Term) -> None:
    if term.prefix and len(_ALNUM.findall(term.text)) < MIN_PREFIX_CHARS:
        raise ValueError(f"prefix {term} is too short: give at least {MIN_PREFIX_CHARS} "
                         "letters before *")


def _finish(text: str, include: list[Term | AnyOf], exclude: list[Term]) -> Query:
    query = Query(tuple(include), tuple(exclude))
    if len(query.terms()) > MAX_TERMS:
        raise ValueError(f"query has too many terms ({len(query.terms())}; at most {MAX_TERMS})")
    if not include and exclude:
        raise ValueError(f"query {text.strip()!r} only excludes; add a word to look for")
    if not include and not text.strip():
        raise ValueError(f"empty query: {HELP}")
    if not include:
        raise ValueError(f"nothing to search for in {text.strip()!r}: {HELP}")
    return query


# --- rendering ---------------------------------------------------------------------------

def _fts5_term(term: Term) -> str:
    # FTS5 strings are double-quoted with "" for a quote; inside one, every character is
    # text for the tokenizer, never an operator or a column filter.
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def _fts5_item(item: Term | AnyOf) -> str:
    if isinstance(item, AnyOf):
        return "(" + " OR ".join(map(_fts5_term, item.terms)) + ")"
    return _fts5_term(item)


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression, e.g. ``"tax" AND ("council" OR "parish") NOT "rates"``."""
    expression = " AND ".join(map(_fts5_item, query.include))
    for term in query.exclude:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def _ts_term(term: Term) -> str:
    # A quoted tsquery operand goes through the same parser as the indexed text, so a
    # phrase becomes lexemes joined by <-> and stopwords drop out. Backslash escapes in
    # quoted operands, a quote doubles.
    quoted = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if term.prefix else "")


def _ts_item(item: Term | AnyOf) -> str:
    if isinstance(item, AnyOf):
        return "(" + " | ".join(map(_ts_term, item.terms)) + ")"
    return _ts_term(item)


def to_tsquery(query: Query) -> str:
    """The ``to_tsquery`` input, e.g. ``'tax' & ( 'council' | 'parish' ) & !'rates'``."""
    parts = [_ts_item(item) for item in query.include]
    parts += ["!" + _ts_term(term) for term in query.exclude]
    return " & ".join(parts)
