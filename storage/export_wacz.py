"""WACZ export: the WARC export, its CDXJ index and the posts as pages, in one ZIP file.

Laid out as the WACZ 1.1.1 specification says, so ReplayWeb.page and pywb open it:

- ``archive/data.warc.gz``: the WARC export (pages and their requisites), stored uncompressed
  in the ZIP so replay tools can read records by offset;
- ``indexes/index.cdx``: its CDXJ index (sorted), made by cdxj-indexer as pywb makes them;
- ``pages/pages.jsonl``: one line per archived post page (url, ts, title);
- ``datapackage.json``: every file with its sha256 and size; ``datapackage-digest.json``:
  the datapackage's own sha256.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import ArchiveError
from storage.models import Capture, Post, PostUrl
from storage.export_warc import capture_clauses
from storage.search_filters import Filters

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def cdxj_index(warc_path: Path) -> bytes:
    """The sorted CDXJ index of a WARC file, naming it ``data.warc.gz``."""
    try:
        from cdxj_indexer.main import CDXJIndexer
    except ModuleNotFoundError:
        raise ArchiveError("WACZ export needs cdxj-indexer: pip install 'civic-archive[wacz]'") from None
    out = io.StringIO()
    with warc_path.open("rb") as warc:
        CDXJIndexer(out, [warc], sort=True, filename=WARC_NAME,
                    records="response,revisit").process_all()
    return out.getvalue().encode("utf-8")


def page_lines(session: Session, filters: Filters, site_ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """One page per post with an HTML capture in the export: its first successful fetch."""
    titles: dict[int, str] = {}
    post_of: dict[str, int] = {}
    query = select(PostUrl.url, Post.id, Post.title).join(Post, Post.id == PostUrl.post_id)
    if site_ids:
        query = query.where(Post.site_id.in_(list(site_ids)))
    for url, post_id, title in session.execute(query):
        post_of[url] = post_id
        titles[post_id] = title
    seen: set[int] = set()
    captures = session.execute(
        select(Capture.url, Capture.final_url, Capture.fetched_at, Capture.headers)
        .where(Capture.status == 200, *capture_clauses(filters, site_ids)).order_by(Capture.id))
    for url, final_url, fetched_at, headers in captures:
        post_id = post_of.get(final_url, post_of.get(url))
        if post_id is None or post_id in seen or not _is_html(headers):
            continue
        seen.add(post_id)
        yield {"id": str(post_id), "url": final_url, "title": titles[post_id],
               "ts": fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def _is_html(headers: dict[str, Any] | None) -> bool:
    for name, values in (headers or {}).items():
        if name.lower() == "content-type":
            value = values[0] if isinstance(values, list) and values else values
            return any(t in str(value).lower() for t in HTML_TYPES)
    return False


def write_wacz(stream: IO[bytes], warc_path: Path, pages: Sequence[dict[str, Any]], *,
               title: str, software: str) -> dict[str, int]:
    """Write the WACZ ZIP to ``stream`` (seekable) from a finished WARC file."""
    header = {"format": "json-pages-1.0", "id": "pages", "title": "Posts"}
    pages_body = "".join(json.dumps(line, ensure_ascii=False) + "\n"
                         for line in [header, *pages]).encode("utf-8")
    index = cdxj_index(warc_path)
    resources = []
    with zipfile.ZipFile(stream, "w", allowZip64=True) as wacz:
        # Stored, not deflated: replay reads WARC records at their offsets.
        wacz.write(warc_path, f"archive/{WARC_NAME}", compress_type=zipfile.ZIP_STORED)
        resources.append(_resource(f"archive/{WARC_NAME}", _file_sha256(warc_path),
                                   warc_path.stat().st_size))
        for path, body in (("indexes/index.cdx", index), ("pages/pages.jsonl", pages_body)):
            wacz.writestr(path, body, compress_type=zipfile.ZIP_DEFLATED)
            resources.append(_resource(path, "sha256:" + hashlib.sha256(body).hexdigest(), len(body)))
        package = {
            "profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
            "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "software": software, "resources": resources,
        }
        if pages:
            package["mainPageUrl"], package["mainPageDate"] = pages[0]["url"], pages[0]["ts"]
        package_body = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
        wacz.writestr("datapackage.json", package_body, compress_type=zipfile.ZIP_DEFLATED)
        digest = {"path": "datapackage.json",
                  "hash": "sha256:" + hashlib.sha256(package_body).hexdigest()}
        wacz.writestr("datapackage-digest.json", json.dumps(digest, indent=2),
                      compress_type=zipfile.ZIP_DEFLATED)
    return {"pages": len(pages), "index_lines": index.count(b"\n")}


def _resource(path: str, digest: str, size: int) -> dict[str, Any]:
    return {"name": Path(path).name, "path": path, "hash": digest, "bytes": size}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()
