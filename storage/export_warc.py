"""Raw captures as a WARC file: response, revisit and metadata records (warcio).

Bodies are stored decoded, so the HTTP headers are reconstructed around them: encodings
that no longer apply are kept as ``X-Archive-Orig-*`` headers (as pywb does) and
``Content-Length`` is the stored body's. A body whose sha256 matches an earlier capture
in the same export is written as a revisit record (identical-payload-digest profile).
Record ids are derived from the archive id and capture id, so re-exports agree.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from io import BytesIO
from typing import IO, Any

from sqlalchemy import ColumnElement, FromClause, Select, func, select
from sqlalchemy.orm import Session

from storage.db import ArchiveError
from storage.models import Capture
from storage.repo import held_body
from storage.search_filters import Filters

BATCH = 500
WARC_VERSION = "1.1"
_ENCODING_MAGIC = {"gzip": (b"\x1f\x8b",), "x-gzip": (b"\x1f\x8b",), "zstd": (b"\x28\xb5\x2f\xfd",),
                   "deflate": (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")}
captures = Capture.__table__


@dataclass
class WarcCounts:
    response: int = 0
    revisit: int = 0
    metadata: int = 0
    warcinfo: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def capture_clauses(filters: Filters, site_ids: Sequence[int],
                    table: FromClause | None = None) -> list[ColumnElement[bool]]:
    """Captures of the chosen sites, fetched within ``since``/``until``."""
    t = captures if table is None else table
    clauses: list[ColumnElement[bool]] = []
    if site_ids:
        clauses.append(t.c.site_id.in_(list(site_ids)))
    if filters.since:
        clauses.append(t.c.fetched_at >= filters.since)
    if filters.until:
        clauses.append(t.c.fetched_at < filters.until)
    return clauses


def captures_query(filters: Filters, site_ids: Sequence[int], after: int, limit: int = BATCH) -> Select:
    """A batch of captures with, for each, the id of the first capture (in this export)
    with the same body: itself unless it repeats an earlier one."""
    earlier = captures.alias("earlier")
    first = (select(func.min(earlier.c.id))
             .where(earlier.c.sha256 == captures.c.sha256, *capture_clauses(filters, site_ids, earlier))
             .scalar_subquery())
    return (select(captures, first.label("first_id"))
            .where(captures.c.id > after, *capture_clauses(filters, site_ids))
            .order_by(captures.c.id).limit(limit))


def count_captures(session: Session, filters: Filters, site_ids: Sequence[int]) -> int:
    """How many captures a WARC export will write (for progress bars)."""
    return session.scalar(select(func.count()).select_from(captures)
                          .where(*capture_clauses(filters, site_ids))) or 0


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes: base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def http_headers(status: int, headers: dict[str, Any], body: bytes) -> Any:
    """HTTP status line and headers fitting the stored (decoded) body."""
    from warcio.statusandheaders import StatusAndHeaders

    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    pairs = []
    for name, values in headers.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append(_fit_header(name, str(value), body))
    pairs = [p for p in pairs if p[0].lower() != "content-length"]
    pairs.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(f"{status} {reason}", pairs, protocol="HTTP/1.1")


def _fit_header(name: str, value: str, body: bytes) -> tuple[str, str]:
    lower = name.lower()
    if lower == "transfer-encoding":
        return f"X-Archive-Orig-{name}", value
    if lower == "content-encoding":
        magic = _ENCODING_MAGIC.get(value.strip().lower(), ())
        if not any(body.startswith(m) for m in magic):
            return f"X-Archive-Orig-{name}", value
    if lower == "content-length":
        return name if value == str(len(body)) else f"X-Archive-Orig-{name}", value
    return name, value


def _body(session: Session, row: Any) -> bytes:
    """A capture's bytes; a requisite stored once per digest has them in another capture."""
    body = zlib.decompress(row["body"])
    if body or not row["size"]:
        return body
    return held_body(session, row["sha256"], row["size"]) or body


class WarcExporter:
    """Writes the selected captures of one archive to a binary stream."""

    def __init__(self, stream: IO[bytes], archive_id: str, *, gzip: bool, software: str) -> None:
        try:
            from warcio.warcwriter import WARCWriter
        except ModuleNotFoundError:
            raise ArchiveError("WARC export needs warcio: pip install warcio") from None
        self.writer = WARCWriter(stream, gzip=gzip, warc_version=WARC_VERSION)
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"civic-archive:{archive_id}")
        self.archive_id, self.software = archive_id, software
        self.counts = WarcCounts()

    def record_id(self, capture_id: int, kind: str) -> str:
        return f"<urn:uuid:{uuid.uuid5(self.namespace, f'{kind}/{capture_id}')}>"

    def write_info(self, filename: str, parameters: dict[str, Any]) -> None:
        info = {"software": self.software, "format": f"WARC File Format {WARC_VERSION}",
                "isPartOf": self.archive_id, "description": "civic-archive capture export",
                **{k: str(v) for k, v in parameters.items()}}
        self.writer.write_record(self.writer.create_warcinfo_record(filename, info))
        self.counts.warcinfo += 1

    def export(self, session: Session, filters: Filters, site_ids: Sequence[int]) -> Iterator[int]:
        """Write every selected capture; yields the running count after each batch."""
        after, done = 0, 0
        while True:
            rows = session.execute(captures_query(filters, site_ids, after)).mappings().all()
            if not rows:
                return
            originals = self._originals(session, rows)
            for row in rows:
                repeat = row["first_id"] != row["id"]
                self._write_capture(row, originals.get(row["first_id"]) if repeat else None,
                                    _body(session, row))
            after, done = rows[-1]["id"], done + len(rows)
            yield done

    def _originals(self, session: Session, rows: Sequence[Any]) -> dict[int, Any]:
        wanted = {r["first_id"] for r in rows if r["first_id"] != r["id"] and r["size"] > 0}
        if not wanted:
            return {}
        found = session.execute(select(captures.c.id, captures.c.final_url, captures.c.fetched_at)
                                .where(captures.c.id.in_(wanted)))
        return {r.id: r for r in found}

    def _write_capture(self, row: Any, original: Any, body: bytes) -> None:
        headers = http_headers(row["status"], row["headers"] or {}, body)
        warc_headers = {"WARC-Record-ID": self.record_id(row["id"], "response"),
                        "WARC-Date": _warc_date(row["fetched_at"])}
        if original is not None:
            warc_headers["WARC-Refers-To"] = self.record_id(original.id, "response")
            record = self.writer.create_revisit_record(
                row["final_url"], payload_digest(body), original.final_url,
                _warc_date(original.fetched_at), http_headers=headers,
                warc_headers_dict=warc_headers)
            self.counts.revisit += 1
        else:
            record = self.writer.create_warc_record(
                row["final_url"], "response", payload=BytesIO(body), length=len(body),
                http_headers=headers, warc_headers_dict=warc_headers)
            self.counts.response += 1
        self.writer.write_record(record)
        self._write_metadata(row, warc_headers)
        status = str(row["status"])
        self.counts.by_status[status] = self.counts.by_status.get(status, 0) + 1

    def _write_metadata(self, row: Any, response_headers: dict[str, str]) -> None:
        fields = {"capture-id": row["id"], "requested-url": row["url"], "run-id": row["run_id"],
                  "site-id": row["site_id"], "sha256": row["sha256"], "size": row["size"]}
        text = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v is not None).encode()
        record = self.writer.create_warc_record(
            row["final_url"], "metadata", payload=BytesIO(text), length=len(text),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": self.record_id(row["id"], "metadata"),
                               "WARC-Date": response_headers["WARC-Date"],
                               "WARC-Concurrent-To": response_headers["WARC-Record-ID"]})
        self.writer.write_record(record)
        self.counts.metadata += 1
