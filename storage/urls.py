"""URL normal forms, so the many addresses of one post meet at one key."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change what a page shows: tracking tags, comment-reply
# links and share widgets. Dropping them folds such aliases onto one address.
NOISE_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "replytocom", "share",
     "nb", "amp", "ref", "_ga", "igshid", "s_cid"}
)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment, default ports and tracking parameters,
    and sort the query. Paths keep their case and trailing slash (servers differ there).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in NOISE_PARAMS and not k.lower().startswith("utm_")
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def site_root(url: str) -> str:
    """The form a site is registered under: scheme, host and path prefix ending in ``/``."""
    parts = urlsplit(normalize_url(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
