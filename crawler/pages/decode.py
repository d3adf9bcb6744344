"""Bytes to text to an lxml tree, tolerant of wrong charsets and broken markup."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
)

from storage.headers import header

if TYPE_CHECKING:
    from collections.abc import Mapping

logger = logging.getLogger(__name__)

# Labels under which servers commonly send UTF-8 by mistake; browsers treat them as cp1252.
_SINGLE_BYTE = {"cp1252", "iso8859-1", "latin-1", "latin_1", "ascii", "us-ascii", "iso8859-15"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _candidates(body: bytes, headers: Mapping[str, str] | None) -> list[str]:
    """Encodings to try, most authoritative first, then UTF-8 and cp1252."""
    found = [
        http_content_type_encoding(header(headers, "content-type")),
        html_body_declared_encoding(body[:4096]),
        "utf-8",
    ]
    return [enc for enc in dict.fromkeys(found) if enc]


def _prefers_utf8(body: bytes, declared: str) -> bool:
    """Valid multi-byte UTF-8 labelled as a single-byte charset is almost surely UTF-8."""
    if declared.replace("_", "-").lower() not in _SINGLE_BYTE or not _NON_ASCII.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def to_text(body: bytes | str | None, headers: Mapping[str, str] | None = None, url: str = "") -> str:
    """Decode a response body: BOM, header charset, meta charset, UTF-8, then cp1252.

    The BOM wins over the header as in the WHATWG encoding sniffing rules. A declared
    charset that fails to decode strictly is skipped rather than trusted.
    """
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom):].decode(bom_encoding, errors="replace")
    for encoding in _candidates(body, headers):
        if _prefers_utf8(body, encoding):
            encoding = "utf-8"
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            logger.debug("charset %s does not fit %s", encoding, url)
    return body.decode("cp1252", errors="replace")


def parse_html(text: str, url: str = "") -> lxml.html.HtmlElement | None:
    """Parse HTML text leniently; ``None`` when there is no document at all."""
    if not text or not text.strip():
        return None
    # lxml keeps C0 control characters in text but refuses them when a tree is edited.
    text = _CONTROL.sub("", text)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparseable HTML at %s: %s", url, exc)
        return None
    return root if root is not None and len(root) else None
