"""What counts as a failed fetch, and when a failed URL is asked for again. Pure functions.

A failure is an answer the archive could not use: a network error or timeout, a 5xx/429/408
left after the run's retries, a truncated body, or a 200 whose body is empty or binary garbage
where a page, feed, sitemap or REST page was expected. Failed URLs are owed: recorded with
the reason and asked for again on later runs (:func:`runs_to_wait` spaces them out).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storage.urls import normalize_url

# Statuses that say "not now" rather than "not here": worth asking again on a later run.
RETRY_LATER_STATUSES = frozenset({408, 429})
# Query parameters a route adds afresh every run; the URL is the same page without them.
RUN_PARAMS = frozenset({"modified_after"})
# The request meta that says how to ask a URL again (parser inputs and trap counters).
REASK_META = ("route", "page", "rest_kind", "probe", "link_hops", "shape_run")
# Exception class names → reasons, most specific first (names, so no Twisted import here).
_EXCEPTION_REASONS = (
    ("Timeout", "timeout"),
    ("DataLoss", "truncated"),
    ("Cancelled", "too_large"),
    ("DNS", "dns"),
    ("Resolve", "dns"),
    ("Refused", "connection_refused"),
    ("ConnectionLost", "connection_lost"),
    ("ConnectionDone", "connection_lost"),
    ("DownloadFailed", "connection_lost"),
    ("ResponseNeverReceived", "connection_lost"),
    ("ResponseFailed", "connection_lost"),
    ("TLS", "tls"),
    ("SSL", "tls"),
)
_CONTROL = frozenset(range(0, 9)) | frozenset(range(14, 32)) | {11}


def failure_key(url: str) -> str:
    """The normal form a failure is filed under (without per-run parameters)."""
    parts = urlsplit(normalize_url(url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in RUN_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def status_reason(status: int) -> str | None:
    """``http_503`` for a status worth asking again later, else ``None``."""
    return f"http_{status}" if status >= 500 or status in RETRY_LATER_STATUSES else None


def exception_reason(error: BaseException) -> str:
    """A short reason for a failed download (``timeout``, ``truncated``…, or ``http_500``)."""
    response = getattr(error, "response", None)
    if response is not None and getattr(response, "status", None):
        return f"http_{response.status}"
    name = type(error).__name__
    return next((reason for part, reason in _EXCEPTION_REASONS if part in name),
                f"error_{name}"[:64])


def body_problem(body: bytes) -> str | None:
    """``empty_body`` or ``garbage_body`` (binary bytes where text was expected), else ``None``.

    Garbage is a NUL byte, or control bytes in more than 2% of the first 8 KB: no page,
    feed or JSON document has them, whatever its encoding.
    """
    if not body.strip():
        return "empty_body"
    head = body[:8192]
    if b"\x00" in head or sum(byte in _CONTROL for byte in head) > len(head) // 50:
        return "garbage_body"
    return None


def runs_to_wait(failures: int) -> int:
    """Runs to skip before asking a URL that failed on ``failures`` runs in a row again.

    The next three runs ask again (most faults are over by then); after that the gaps double
    — 1, 3, 7 runs — up to 15, so a URL that is broken for good costs little but is never
    forgotten.
    """
    return min(2 ** max(0, failures - 3), 16) - 1
