"""HTTP headers in the shapes the crawl and the archive need, from Scrapy's ``Headers`` (bytes, lists of
values) or from a capture's stored headers (str, lists). Pure; the one place that decodes
them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _text(value: Any) -> str:
    # Header bytes are ISO-8859-1 by the HTTP spec; decoding them so never fails.
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def header(headers: Mapping[Any, Any] | None, name: str) -> str | None:
    """The first value of header ``name``, case-insensitively (Scrapy, stored captures and
    plain dicts spell names differently); ``None`` when absent."""
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if _text(key).lower() == wanted:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            return _text(value)
    return None


def header_lists(headers: Mapping[Any, Any]) -> dict[str, list[str]]:
    """Every header with all its values, as text: what a capture stores."""
    return {_text(k): [_text(v) for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
            for k, vs in headers.items()}


def first_values(headers: Mapping[Any, Any]) -> dict[str, str]:
    """Each header's first value, as text: what the page objects read."""
    return {k: vs[0] if vs else "" for k, vs in header_lists(headers).items()}


def content_type(headers: Mapping[Any, Any] | None, default: str = "") -> str:
    """The media type and parameters, lower-cased."""
    value = header(headers, "content-type")
    return (default if value is None else value).lower()
