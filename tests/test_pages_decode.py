"""Decoding and robustness: charsets, non-HTML bodies and broken input never raise."""

from __future__ import annotations

import random

import pytest

from crawler.items import NotAPost, Post
from crawler.pages import extract
from crawler.pages.decode import parse_html, to_text

ARTICLE = ("<html><head><title>T</title><meta property='og:type' content='article'></head>"
           "<body><article><h1>T</h1><p>{}</p></article></body></html>")


def test_header_charset_wins_over_meta() -> None:
    body = "<meta charset='utf-8'><p>café</p>".encode("iso-8859-15")
    assert "café" in to_text(body, {"Content-Type": "text/html; charset=ISO-8859-15"})


def test_meta_charset_used_without_header() -> None:
    body = "<meta charset='windows-1252'><p>“quoted”</p>".encode("cp1252")
    assert "“quoted”" in to_text(body)


def test_wrong_declared_utf8_falls_back_to_cp1252() -> None:
    body = "<meta charset='utf-8'><p>Zoë paid £5</p>".encode("cp1252")
    assert "Zoë paid £5" in to_text(body, {"content-type": "text/html; charset=utf-8"})


def test_utf8_mislabelled_as_latin1_is_read_as_utf8() -> None:
    body = "<p>naïve café</p>".encode()
    assert "naïve café" in to_text(body, {"Content-Type": "text/html; charset=ISO-8859-1"})


def test_bom_is_honoured_and_dropped() -> None:
    assert to_text(b"\xff\xfe" + "<p>é</p>".encode("utf-16-le")) == "<p>é</p>"
    headers = {"Content-Type": "text/html; charset=cp1252"}
    assert to_text(b"\xef\xbb\xbf<p>\xc3\xa9</p>", headers) == "<p>é</p>"


def test_unknown_charset_label_is_skipped() -> None:
    assert "é" in to_text("<p>é</p>".encode(), {"Content-Type": "text/html; charset=x-nonsense"})


def test_header_lookup_accepts_bytes_and_lists() -> None:
    headers = {b"Content-Type": [b"text/html; charset=cp1252"]}
    assert "é" in to_text("é".encode("cp1252"), headers)


def test_str_body_is_used_as_is() -> None:
    post = extract("https://b.example/p/", ARTICLE.format("Already decoded text é " * 20))
    assert isinstance(post, Post) and "decoded text é" in post.text


@pytest.mark.parametrize("body", [b"", b"   \n", None])
def test_empty_body_is_not_a_post(body: bytes | None) -> None:
    item = extract("https://b.example/empty", body)
    assert isinstance(item, NotAPost) and item.reason == "empty body"


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/pdf", b"%PDF-1.7 ..."),
    ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("application/json", b'{"id": 1}'),
])
def test_non_html_content_type_is_not_a_post(content_type: str, body: bytes) -> None:
    item = extract("https://b.example/file", body, {"Content-Type": content_type})
    assert isinstance(item, NotAPost) and item.reason.startswith("not HTML")


def test_binary_body_without_header_is_not_a_post() -> None:
    item = extract("https://b.example/file", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3")
    assert isinstance(item, NotAPost) and "binary" in item.reason


def test_unclosed_title_swallowing_the_page_is_not_a_post() -> None:
    item = extract("https://b.example/x", b"<html><head><title>Oops<body><p>text</p>")
    assert isinstance(item, NotAPost)


def test_plain_text_body_does_not_raise() -> None:
    headers = {"Content-Type": "text/plain"}
    item = extract("https://b.example/readme.txt", b"just some words\nand more", headers)
    assert isinstance(item, (Post, NotAPost))


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20261122)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        extract("https://b.example/noise", b"<html><body>" + blob)


def test_parse_html_returns_none_for_blank_text() -> None:
    assert parse_html("") is None and parse_html(" \n ") is None


def test_xml_declaration_is_accepted() -> None:
    root = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>')
    assert root is not None and root.findtext(".//p") == "x"
