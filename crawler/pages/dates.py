"""Timezone-aware date parsing for post metadata; never the crawl time.

Sources are tried in the order the caller gives (REST API, JSON-LD, ``article:*`` meta,
``<time datetime>``, visible text, URL). A value with a time and an explicit offset is
*precise* and beats any earlier imprecise one. Imprecise values are made aware, documented:
a naive date-time is taken in ``default_tz`` (the site's offset when known) or UTC, and a
date-only value becomes midnight UTC. A date in the URL (``/2025/09/01/``) is used only
when nothing else gave a date at all.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING

from dateutil import parser as dateutil_parser

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

# Zone abbreviations that are unambiguous enough to trust (IST, for one, is not).
_ZONES = {name: hours * 3600 for name, hours in {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}.items()}
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
_EPOCH = re.compile(r"^\d{10}(\.\d+)?$")


@dataclass(frozen=True)
class Stamp:
    """A parsed date; ``precise`` when it carried a time and an explicit UTC offset."""

    value: datetime
    precise: bool


def _parse_naive_or_aware(text: str) -> datetime | None:
    """ISO 8601 first (fast and strict), then dateutil for RFC 2822 and English text."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():  # an unknown zone name leaves the value naive
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            return dateutil_parser.parse(text, tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None


def parse_stamp(text: str | None, default_tz: tzinfo | None = None) -> Stamp | None:
    """Parse one date string into an aware :class:`Stamp`; ``None`` when it is not a date."""
    text = (text or "").strip()
    if not text or len(text) > 80:
        return None
    if _EPOCH.match(text):
        return Stamp(datetime.fromtimestamp(float(text), tz=timezone.utc), True)
    value = _parse_naive_or_aware(text)
    if value is None:
        logger.debug("not a date: %r", text)
        return None
    if value.tzinfo is not None:
        return Stamp(value, bool(_HAS_TIME.search(text)))
    if _HAS_TIME.search(text):
        return Stamp(value.replace(tzinfo=default_tz or timezone.utc), False)
    return Stamp(value.replace(tzinfo=timezone.utc), False)


def parse_datetime(text: str | None, default_tz: tzinfo | None = None) -> datetime | None:
    """Aware datetime from any supported date string, or ``None``."""
    stamp = parse_stamp(text, default_tz)
    return stamp.value if stamp else None


def choose(candidates: Iterable[str | None], default_tz: tzinfo | None = None) -> datetime | None:
    """The first precise date among ``candidates``, else the first parsable one."""
    fallback = None
    for text in candidates:
        stamp = parse_stamp(text, default_tz)
        if stamp is None:
            continue
        if stamp.precise:
            return stamp.value
        fallback = fallback or stamp.value
    return fallback


_VISIBLE_DATE = re.compile(
    r"\b(?:(?:19|20)\d{2}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?,? (?:19|20)\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? "
    r"(?:19|20)\d{2})\b", re.IGNORECASE)
VISIBLE_DATE_SPAN = 400  # a post's date line sits above or just under its title


def has_visible_date(scope: HtmlElement) -> bool:
    """Whether the start of a post's element shows a written date ("March 4, 2025", "2025-03-04").

    Static pages carry no date; posts whose theme gives no machine-readable one still print it.
    """
    text = " ".join(" ".join(scope.itertext()).split())
    return bool(_VISIBLE_DATE.search(text[:VISIBLE_DATE_SPAN]))


def date_from_url(url: str) -> datetime | None:
    """``/2025/09/01/`` in a permalink as midnight UTC; the last resort."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None
