"""Rebuild posts from stored captures with the current page objects, without re-crawling."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select

import dedupe
from crawler import matching
from storage.headers import content_type, first_values
from crawler.items import Listing, Post
from crawler.pages import extract
from storage import repo
from storage.db import Archive
from storage.models import Capture, Site

logger = logging.getLogger(__name__)


def latest_capture_ids(archive: Archive, site_id: int | None) -> list[int]:
    """The newest successful capture of each URL (of one site, or all)."""
    with archive.Session() as session:
        query = select(func.max(Capture.id)).where(Capture.status == 200).group_by(Capture.final_url)
        if site_id is not None:
            query = query.where(Capture.site_id == site_id)
        return sorted(session.scalars(query))


def reextract(archive: Archive, site_id: int | None = None,
              progress: Callable[[int], None] | None = None) -> Counter[str]:
    """Run extraction again over captures; each post is saved (and re-matched) in its own
    transaction.

    :returns: counts of outcomes (new, changed, unchanged, listing, not_a_post, non_html).
    """
    counts: Counter[str] = Counter()
    with archive.Session.begin() as session:
        index = matching.load_index(session, dedupe.Params())
    for capture_id in latest_capture_ids(archive, site_id):
        with archive.Session.begin() as session:
            capture = session.get_one(Capture, capture_id)
            counts[_reextract_one(session, capture, index)] += 1
        if progress:
            progress(1)
    return counts


def _reextract_one(session, capture: Capture, index: dedupe.DedupeIndex) -> str:  # noqa: ANN001
    headers = first_values(capture.headers)
    if "html" not in content_type(headers, "text/html") or capture.site_id is None:
        return "non_html"
    result = extract(capture.final_url, repo.capture_body(capture), headers)
    if not isinstance(result, Post):
        return "listing" if isinstance(result, Listing) else "not_a_post"
    site = session.get_one(Site, capture.site_id)
    saved = matching.save_post(session, site, result, index, found_via="capture",
                               seen_at=capture.fetched_at)
    return saved.outcome
