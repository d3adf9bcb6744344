"""Record writers: JSON Lines, CSV, Parquet (Arrow schema) and Markdown folders."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from storage.db import ArchiveError
from storage.export_records import RecordBatch
from storage.json_text import dumps, line_encoder

LIST_FIELDS = frozenset({"categories", "tags", "duplicate_urls", "duplicate_sites", "aliases"})
NESTED_FIELDS = frozenset({"related", "comments", "images"})
TIMESTAMP_FIELDS = frozenset({"published", "modified", "first_seen", "last_seen"})
PARQUET_ROW_GROUP = 10_000


class RecordWriter(Protocol):
    def write_batch(self, batch: RecordBatch) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """One compact JSON object per line, UTF-8, ISO 8601 timestamps."""

    BUFFERED_LINES = 256

    def __init__(self, stream: IO[bytes], fields: Sequence[str]) -> None:
        self.stream = stream
        self.encode = line_encoder()
        self.lines: list[bytes] = []

    def write(self, record: dict[str, Any]) -> None:
        self.lines.append(self.encode(record))
        if len(self.lines) >= self.BUFFERED_LINES:
            self._flush()

    def write_batch(self, batch: RecordBatch) -> None:
        for record in batch.records():
            self.write(record)

    def _flush(self) -> None:
        # One write per few hundred lines: far fewer calls through compressor and buffer.
        if self.lines:
            self.lines.append(b"")
            self.stream.write(b"\n".join(self.lines))
            self.lines = []

    def close(self) -> None:
        self._flush()
        self.stream.flush()


CSV_LIST_SEPARATOR = "; "
CSV_LIST_STYLES = ("joined", "json")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAKS = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))*")


@dataclass(frozen=True)
class CsvOptions:
    """How CSV cells are spelled for spreadsheets and line-based tools.

    :param lists: ``joined``: list fields as their items joined with ``"; "`` (tags
        ``library; sundays``); ``json``: as JSON text. Nested fields (``related``,
        ``comments``) are JSON text either way.
    :param fold_newlines: put every record on one physical line: a paragraph break
        becomes `` ¶ `` and any other line break a space.
    """

    lists: str = "joined"
    fold_newlines: bool = False

    def __post_init__(self) -> None:
        if self.lists not in CSV_LIST_STYLES:
            raise ValueError(f"CSV lists are {' or '.join(CSV_LIST_STYLES)}, not {self.lists!r}")


def fold_newlines(text: str) -> str:
    """``text`` on one line: blank-line paragraph breaks as `` ¶ ``, other breaks as a space."""
    def fold(match: re.Match[str]) -> str:
        return " ¶ " if len(_LINE_BREAK.findall(match.group())) > 1 else " "
    return _LINE_BREAKS.sub(fold, text)


class CsvWriter:
    """A header row then one row per record (see :class:`CsvOptions` for list fields and
    line breaks)."""

    def __init__(self, stream: IO[bytes], fields: Sequence[str],
                 options: CsvOptions | None = None) -> None:
        self.text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        self.fields = list(fields)
        self.options = options or CsvOptions()
        self.writer = csv.writer(self.text)
        self.writer.writerow(self.fields)

    def write(self, record: dict[str, Any]) -> None:
        cells = [_csv_cell(name, record[name], self.options.lists) for name in self.fields]
        if self.options.fold_newlines:
            cells = [fold_newlines(c) if isinstance(c, str) else c for c in cells]
        self.writer.writerow(cells)

    def write_batch(self, batch: RecordBatch) -> None:
        for record in batch.records():
            self.write(record)

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


def _csv_cell(name: str, value: Any, lists: str) -> Any:
    if value is None:
        return ""
    if name in LIST_FIELDS and lists == "joined":
        return CSV_LIST_SEPARATOR.join(value)
    if name in LIST_FIELDS or name in NESTED_FIELDS:
        return dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def arrow_schema(fields: Sequence[str], *, timestamps_as_text: bool = False) -> Any:
    """The Parquet/Arrow schema of export records (timestamps in UTC, string lists).

    :param timestamps_as_text: the schema records arrive in (ISO 8601 text), which is cast
        to the real one a row group at a time.
    """
    import pyarrow as pa

    ts = pa.string() if timestamps_as_text else pa.timestamp("us", tz="UTC")
    types = {
        "id": pa.int64(), "word_count": pa.int64(), "cluster": pa.int64(),
        "related": pa.list_(pa.struct([("id", pa.int64()), ("url", pa.string()),
                                       ("relation", pa.string()), ("shared_fraction", pa.float64())])),
        "images": pa.list_(pa.struct([("url", pa.string()), ("status", pa.string()),
                                      ("reason", pa.string()), ("sha256", pa.string())])),
        "comments": pa.list_(pa.struct([("id", pa.int64()), ("parent_id", pa.int64()),
                                        ("author", pa.string()), ("published", ts),
                                        ("text", pa.string())])),
    }
    types.update({name: ts for name in TIMESTAMP_FIELDS})
    types.update({name: pa.list_(pa.string()) for name in LIST_FIELDS})
    return pa.schema([pa.field(name, types.get(name, pa.string()),
                               nullable=name not in {"id", "url", "text"}) for name in fields])


class ParquetWriter:
    """Parquet written a row group at a time (zstd-compressed columns). Each batch becomes
    Arrow arrays straight from its columns; full row groups are cast and written, the rest
    waits for the next batch."""

    def __init__(self, stream: IO[bytes], fields: Sequence[str]) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ModuleNotFoundError:
            raise ArchiveError("Parquet export needs pyarrow: pip install 'civic-archive[parquet]'") from None
        self.pa = pa
        self.schema = arrow_schema(fields)
        self.incoming = arrow_schema(fields, timestamps_as_text=True)
        self.writer = pq.ParquetWriter(stream, self.schema, compression="zstd")
        self.tables: list[Any] = []
        self.pending = 0

    def write_batch(self, batch: RecordBatch) -> None:
        columns = batch.columns()
        arrays = [self.pa.array(columns[f.name], type=f.type) for f in self.incoming]
        self.tables.append(self.pa.Table.from_arrays(arrays, schema=self.incoming))
        self.pending += len(batch)
        if self.pending >= PARQUET_ROW_GROUP:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        if not self.pending:
            return
        table = self.pa.concat_tables(self.tables)
        # Only whole row groups until the end, so every group but the last holds exactly
        # PARQUET_ROW_GROUP rows whatever the batch size.
        ready = self.pending if final else self.pending - self.pending % PARQUET_ROW_GROUP
        self.writer.write_table(table.slice(0, ready).cast(self.schema),
                                row_group_size=PARQUET_ROW_GROUP)
        rest = table.slice(ready)
        self.tables, self.pending = ([rest] if len(rest) else []), len(rest)

    def close(self) -> None:
        self._flush(final=True)
        self.writer.close()


# --- Markdown -----------------------------------------------------------------------------

_YAML_UNSAFE = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085",
                              "\ufeff": "\\ufeff"})


def front_matter(record: dict[str, Any]) -> str:
    """YAML front matter: every value as JSON, which is also valid YAML (flow style)."""
    lines = ["---"]
    for name, value in record.items():
        if name in ("text", "comments"):
            continue
        encoded = dumps(value)
        lines.append(f"{name}: {encoded.translate(_YAML_UNSAFE)}")
    return "\n".join(lines + ["---", ""])


def slug(title: str, limit: int = 60) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return words[:limit].rstrip("-") or "untitled"


def markdown_document(record: dict[str, Any]) -> str:
    parts = [front_matter(record), f"# {record['title'] or '(untitled)'}", "", record["text"], ""]
    for comment in record.get("comments") or []:
        if len(parts) == 5:
            parts += ["## Comments", ""]
        when = comment["published"] or "undated"
        reply = f" (reply to {comment['parent_id']})" if comment["parent_id"] else ""
        parts += [f"### {comment['author'] or 'anonymous'}, {when}, #{comment['id']}{reply}", "",
                  comment["text"], ""]
    return "\n".join(parts)


class MarkdownWriter:
    """A folder with one ``<id>-<slug>.md`` per post."""

    def __init__(self, folder: Path, fields: Sequence[str]) -> None:
        self.folder = folder

    def write(self, record: dict[str, Any]) -> None:
        path = self.folder / f"{record['id']}-{slug(record['title'])}.md"
        path.write_text(markdown_document(record), encoding="utf-8")

    def write_batch(self, batch: RecordBatch) -> None:
        for record in batch.records():
            self.write(record)

    def close(self) -> None:
        pass


STREAM_WRITERS: dict[str, type] = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}
