"""Corpus export: stream records or captures to a file, atomically, with a manifest.

Output goes to a temporary name in the destination folder and is renamed into place only
when complete, so a failed export never leaves a partial file. ``.gz``/``.zst`` on the
output name compress it (WARC: ``.warc.gz`` is per-record gzip, as WARC readers expect).
A ``<output>.manifest.json`` beside it records counts, filters, parameters, the
archive's identity and the data's sha256.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from storage import repo
from storage.db import ArchiveError
from storage.export_formats import STREAM_WRITERS, CsvOptions, CsvWriter, MarkdownWriter, RecordWriter
from storage.export_records import Selection, count_selected, iter_batches
from storage.export_warc import WarcExporter, count_captures
from storage.search_filters import DEFAULT_FILTERS, Filters, resolve_sites

FORMATS = ("jsonl", "csv", "parquet", "warc", "wacz", "markdown")
# Formats that hold raw captures (pages and their requisites) rather than post records.
CAPTURE_FORMATS = ("warc", "wacz")
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
                   ".parquet": "parquet", ".warc": "warc", ".wacz": "wacz", ".md": "markdown"}
Progress = Callable[[int], None]


@dataclass
class ExportResult:
    """What an export wrote (also the manifest's content)."""

    format: str
    output: str
    records: int = 0
    compression: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    files: int | None = None
    manifest: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)  # format-specific, for the manifest


def tool_version() -> str:
    try:
        return version("civic-archive")
    except PackageNotFoundError:
        return "0+unknown"


def guess_format(output: str) -> str:
    """The format an output name implies (``posts.jsonl.gz`` → jsonl).

    :raises ValueError: when the name says nothing.
    """
    path = Path(output)
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zst")]
    if suffixes and suffixes[-1] in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffixes[-1]]
    raise ValueError(f"cannot tell the export format from {output!r}: give --format "
                     f"({', '.join(FORMATS)})")


def compression_for(output: str) -> str | None:
    name = output.lower()
    return "gzip" if name.endswith(".gz") else "zstd" if name.endswith(".zst") else None


def check_request(fmt: str, output: str, filters: Filters) -> None:
    """Refuse combinations that cannot work, before anything is written.

    :raises ValueError: naming the problem.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    compression = compression_for(output)
    if output == "-" and fmt in ("parquet", "markdown", "wacz"):
        raise ValueError(f"{fmt} cannot be written to stdout: give --output PATH")
    if compression and fmt in ("parquet", "markdown", "wacz"):
        raise ValueError(f"{fmt} output is not compressed by extension (it compresses its "
                         f"contents itself): drop the {Path(output).suffix} suffix")
    if fmt == "warc" and compression == "zstd":
        raise ValueError("WARC output can be .warc or .warc.gz (per-record gzip), not .zst")
    if fmt in CAPTURE_FORMATS:
        unused = [n for n in ("authors", "tags", "categories") if getattr(filters, n)]
        if unused or filters.status != "live" or filters.include_pages:
            raise ValueError(f"{fmt.upper()} export selects captures by --site and fetch date "
                             "(--since/--until) only")


def export(session: Session, output: str, fmt: str, filters: Filters = DEFAULT_FILTERS, *,
           unique: bool = True, with_comments: bool = False, with_images: bool = False,
           archive_url: str | None = None, progress: Progress | None = None,
           csv: CsvOptions | None = None) -> ExportResult:
    """Export the archive (records, or captures for ``warc``) to ``output`` (``-``: stdout).

    :param csv: how CSV cells are spelled (list fields, line breaks); CSV only.

    :raises ValueError: for an impossible combination of format, output and filters.
    :raises ArchiveError: for an unknown site or an output that cannot be written.
    """
    check_request(fmt, output, filters)
    if csv is not None and fmt != "csv":
        raise ValueError(f"--csv-lists and --fold-newlines apply to csv exports, not {fmt}")
    selection = Selection(filters, resolve_sites(session, filters.sites), unique, with_comments,
                          with_images)
    result = ExportResult(format=fmt, output=output, compression=compression_for(output))
    job = _Job(session, selection, result, progress, csv or CsvOptions())
    if output == "-":
        job.run(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return result
    path = Path(output)
    if fmt == "markdown":
        with _atomic_folder(path) as folder:
            job.run_markdown(folder)
        result.sha256, result.files = _folder_digest(path)
    else:
        with _atomic_file(path) as raw:
            job.run(raw)
        result.sha256, result.bytes = _file_digest(path)
    if fmt == "csv":
        result.parameters = {"csv": asdict(job.csv)}
    result.manifest = str(write_manifest(session, path, result, selection, archive_url))
    return result


class _Job:
    """One export run: the writer loop and its counters."""

    def __init__(self, session: Session, selection: Selection, result: ExportResult,
                 progress: Progress | None, csv: CsvOptions) -> None:
        self.session, self.selection, self.result = session, selection, result
        self.progress = progress or (lambda n: None)
        self.csv = csv

    def run(self, raw: IO[bytes]) -> None:
        if self.result.format == "wacz":
            self._run_wacz(raw)
            return
        compression = None if self.result.format == "warc" else self.result.compression
        with _compressed(raw, compression, self.result.output) as stream:
            if self.result.format == "warc":
                self._run_warc(stream)
            elif self.result.format == "csv":
                self._run_records(CsvWriter(stream, self.selection.fields, self.csv))
            else:
                self._run_records(STREAM_WRITERS[self.result.format](stream, self.selection.fields))

    def run_markdown(self, folder: Path) -> None:
        self._run_records(MarkdownWriter(folder, self.selection.fields))
        self.result.files = self.result.records

    def _run_records(self, writer: RecordWriter) -> None:
        comments = 0
        for batch in iter_batches(self.session, self.selection):
            writer.write_batch(batch)
            comments += batch.comment_count
            self.result.records += len(batch)
            self.progress(self.result.records)
        writer.close()
        self.progress(self.result.records)
        self.result.counts = {"records": self.result.records}
        if self.selection.with_comments:
            self.result.counts["comments"] = comments

    def _run_wacz(self, raw: IO[bytes]) -> None:
        """The WARC export written to a temporary file, then packed with its index and pages."""
        from storage.export_wacz import page_lines, write_wacz

        folder = Path(self.result.output).parent
        with tempfile.TemporaryDirectory(prefix=".wacz-", dir=folder) as temp:
            warc_path = Path(temp) / "data.warc.gz"
            with warc_path.open("wb") as warc:
                self._run_warc(warc, gzip=True)
            pages = list(page_lines(self.session, self.selection.filters, self.selection.site_ids))
            warc_counts = self.result.counts
            packed = write_wacz(raw, warc_path, pages,
                                title=f"civic-archive {Path(self.result.output).stem}",
                                software=f"civic-archive {tool_version()}")
        self.result.compression = None
        self.result.counts = {**warc_counts, **packed}

    def _run_warc(self, stream: IO[bytes], gzip: bool | None = None) -> None:
        gzip = self.result.compression == "gzip" if gzip is None else gzip
        warc = WarcExporter(stream, repo.archive_id(self.session), software=f"civic-archive "
                            f"{tool_version()}", gzip=gzip)
        warc.write_info(Path(self.result.output).name,
                        {"filters": json.dumps(self.selection.filters.as_dict())})
        for done in warc.export(self.session, self.selection.filters, self.selection.site_ids):
            self.progress(done)
            self.result.records = done
        self.result.compression = "gzip (per record)" if self.result.compression else None
        self.result.counts = asdict(warc.counts)


@contextmanager
def _compressed(raw: IO[bytes], compression: str | None, output: str) -> Iterator[IO[bytes]]:
    """Wrap ``raw`` in the compressor the output name asks for."""
    if compression is None:
        yield raw
        return
    if compression == "gzip":
        name = Path(output).name[: -len(".gz")]
        with gzip.GzipFile(filename=name, mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz:
            yield gz  # type: ignore[misc]
        return
    try:
        import zstandard
    except ModuleNotFoundError:
        raise ArchiveError("writing .zst needs the zstandard package: pip install zstandard") from None
    with zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False) as zst:
        yield zst


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot write {path}: folder {path.parent} does not exist")


@contextmanager
def _atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside ``path``, renamed onto it only if the block succeeds."""
    _check_folder(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    # mkstemp makes private files; an export gets the permissions any new file would.
    os.chmod(temp, 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as raw:
            yield raw
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def _atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside ``path``, renamed to it only if the block succeeds."""
    _check_folder(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ArchiveError(f"{path} already exists and is not an empty folder: "
                           "choose a new folder for the Markdown export")
    temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    os.chmod(temp, 0o777 & ~_umask())
    try:
        yield temp
        if path.exists():
            path.rmdir()
        os.replace(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def _folder_digest(path: Path) -> tuple[str, int]:
    """sha256 of the folder's listing in ``sha256sum`` format (``<sha256>  <name>\\n`` per
    file, sorted by name): ``sha256sum *.md | sha256sum`` in the folder reproduces it."""
    listing = hashlib.sha256()
    names = sorted(p.name for p in path.iterdir())
    for name in names:
        listing.update(f"{_file_digest(path / name)[0]}  {name}\n".encode())
    return listing.hexdigest(), len(names)


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def write_manifest(session: Session, path: Path, result: ExportResult, selection: Selection,
                   archive_url: str | None) -> Path:
    """Write ``<output>.manifest.json`` (atomically) and return its path."""
    target = manifest_path(path)
    manifest = {
        "manifest_version": 1,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool": {"name": "civic-archive", "version": tool_version()},
        "archive": {"id": repo.archive_id(session), "url": archive_url,
                    "schema": MigrationContext.configure(session.connection()).get_current_revision()},
        "output": {"file": path.name, "format": result.format, "compression": result.compression,
                   "sha256": result.sha256, "bytes": result.bytes, "files": result.files},
        "parameters": {"unique": selection.unique, "with_comments": selection.with_comments,
                       "with_images": selection.with_images,
                       "fields": None if result.format in CAPTURE_FORMATS else list(selection.fields),
                       **result.parameters},
        "filters": selection.filters.as_dict(),
        "counts": result.counts,
    }
    with _atomic_file(target) as raw:
        raw.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return target


def estimate(session: Session, fmt: str, filters: Filters, *, unique: bool = True) -> int:
    """How many records (captures, for WARC) an export will write, for a progress bar."""
    site_ids = resolve_sites(session, filters.sites)
    if fmt in CAPTURE_FORMATS:
        return count_captures(session, filters, site_ids)
    return count_selected(session, Selection(filters, site_ids, unique))

