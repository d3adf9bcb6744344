"""The search language: parsing, and rendering for FTS5 and tsquery (pure, no database)."""

from __future__ import annotations

import pytest

from storage.search_query import AnyOf, Query, Term, parse, to_fts5, to_tsquery


@pytest.mark.parametrize("text, expected", [
    ("council tax", Query((Term("council"), Term("tax")))),
    ('"city hall" budget', Query((Term("city hall", phrase=True), Term("budget")))),
    ("tax council OR parish", Query((Term("tax"), AnyOf((Term("council"), Term("parish")))))),
    ("a OR b OR c", Query((AnyOf((Term("a"), Term("b"), Term("c"))),))),
    ("library -closure", Query((Term("library"),), (Term("closure"),))),
    ('library -"opening hours"', Query((Term("library"),), (Term("opening hours", phrase=True),))),
    ("counc*", Query((Term("counc", prefix=True),))),
    ('"city ha"*', Query((Term("city ha", phrase=True, prefix=True),))),
    ("library NOT closure", Query((Term("library"),), (Term("closure"),))),
    ("library AND closure", Query((Term("library"), Term("closure")))),
    ('"unbalanced quote', Query((Term("unbalanced quote", phrase=True),))),
    ("covid-19 o'brien", Query((Term("covid-19"), Term("o'brien")))),
    ("(library), budget!", Query((Term("library"), Term("budget")))),
    ("OR library OR", Query((Term("library"),))),
    ("café über", Query((Term("café"), Term("über")))),
    ("lower or is a word", Query(tuple(Term(w) for w in ("lower", "or", "is", "a", "word")))),
])
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, message", [
    ("", "empty query"),
    ("   ", "empty query"),
    ("-library", "only excludes"),
    ("library OR -closure", "cannot OR an exclusion"),
    ("-closure OR library", "cannot OR an exclusion"),
    ("a*", "too short"),
    ("!!! ??? ---", "nothing to search for"),
    ("x " * 600, "too long"),
    (" ".join(f"w{i}" for i in range(40)), "too many terms"),
])
def test_parse_rejects_with_one_line(text, message):
    with pytest.raises(ValueError, match=message) as info:
        parse(text)
    assert "\n" not in str(info.value)


def test_control_characters_and_surrogates_are_dropped():
    assert parse("\x00library\x1b \udcff") == Query((Term("library"),))


def test_fts5_rendering_quotes_every_term():
    query = parse('tax council OR parish -rates "city hall" counc*')
    assert to_fts5(query) == ('("tax" AND ("council" OR "parish") AND "city hall" AND "counc"*) '
                              'NOT "rates"')


def test_fts5_rendering_escapes_quotes_and_operators():
    assert to_fts5(parse('NEAR(a b) title:x ^start')) == '"NEAR(a" AND "b" AND "title:x" AND "start"'
    assert to_fts5(Query((Term('say "hi"', phrase=True),))) == '"say ""hi"""'


def test_tsquery_rendering():
    query = parse('tax council OR parish -rates "city hall" counc*')
    assert to_tsquery(query) == ("'tax' & ('council' | 'parish') & 'city hall' & 'counc':* "
                                 "& !'rates'")


def test_tsquery_rendering_escapes_quotes_and_backslashes():
    assert to_tsquery(parse("o'brien back\\slash")) == "'o''brien' & 'back\\\\slash'"


def test_str_round_trips():
    text = 'tax council OR parish "city hall" counc* -rates'
    assert parse(str(parse(text))) == parse(text)
