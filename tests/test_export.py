"""Exports re-read and checked: JSONL against the JSON Schema, CSV, Parquet's Arrow
schema, Markdown front matter, compression by extension, atomic rename and manifests."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from click.testing import CliRunner

from tests.support.archive_builder import BuildSpec, build_archive
from crawler.cli import cli
from crawler.cli import export as export_cli
from storage import export_formats, json_text, repo
from storage.export_formats import CsvOptions
from storage.db import ArchiveError, head_revision
from storage.export import export, manifest_path
from storage.export_records import RECORD_FIELDS, Selection, iter_records
from storage.search_filters import Filters, parse_date

if "export" not in cli.commands:  # registered by the lead in crawler/cli/__init__.py
    cli.add_command(export_cli.export)

SCHEMA = json.loads(files("storage").joinpath("record.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def shared(sample_archive):
    """The hand-written sample archive plus 150 synthetic posts on other sites."""
    archive, ids = sample_archive
    build_archive(archive, BuildSpec(posts=150, sites=3, captures=20, words=40))
    return archive, ids


SAMPLE_SITES = Filters(sites=("harrow", "pinner"))


def run_export(archive, path, fmt, filters=SAMPLE_SITES, **options):
    with archive.Session.begin() as session:
        return export(session, str(path), fmt, filters, **options)


def read_jsonl(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def by_name(records, ids):
    names = {v: k for k, v in ids.items()}
    return {names[r["id"]]: r for r in records}


def test_jsonl_unique_records_validate_against_schema(shared, tmp_path):
    archive, ids = shared
    result = run_export(archive, tmp_path / "posts.jsonl", "jsonl")
    records = read_jsonl(tmp_path / "posts.jsonl")
    for record in records:
        VALIDATOR.validate(record)
        assert tuple(record) == RECORD_FIELDS
    named = by_name(records, ids)
    assert set(named) == {"library", "budget", "recycling", "allotment-title", "allotment-body"}
    assert result.records == 5
    library = named["library"]
    assert library["duplicate_urls"] == ["https://pinner.example/2023/03/library-hours/"]
    assert library["duplicate_sites"] == ["https://pinner.example/"]
    assert library["tags"] == ["library", "sundays"] and library["categories"] == ["Services"]
    assert library["published"] == "2023-03-01T10:00:00+00:00" and library["status"] == "live"
    assert library["sha256"] == repo.content_hash(library["title"], library["text"])
    assert named["recycling"]["related"] == [{"id": ids["budget"], "url": "https://harrow.example/budget-notes/",
                                              "relation": "reuses", "shared_fraction": 0.4}]


@pytest.mark.parametrize("options, filters, expected", [
    ({"unique": False}, SAMPLE_SITES, {"library", "copy", "budget", "recycling", "allotment-title",
                                       "allotment-body"}),
    ({}, Filters(sites=("pinner",)), {"copy", "recycling"}),
    ({}, Filters(sites=("harrow", "pinner"), include_pages=True, status="all"),
     {"library", "budget", "recycling", "allotment-title", "allotment-body", "about", "flood"}),
    ({}, Filters(sites=("harrow", "pinner"), tags=("library",)), {"library"}),
    ({}, Filters(sites=("harrow",), authors=("Ann Hale",), until=parse_date("2020", end=True)),
     {"allotment-title", "allotment-body"}),
])
def test_selection(shared, tmp_path, options, filters, expected):
    archive, ids = shared
    run_export(archive, tmp_path / "posts.jsonl", "jsonl", filters, **options)
    assert set(by_name(read_jsonl(tmp_path / "posts.jsonl"), ids)) == expected


def test_comments_when_asked(shared, tmp_path):
    archive, ids = shared
    result = run_export(archive, tmp_path / "posts.jsonl", "jsonl", with_comments=True)
    records = read_jsonl(tmp_path / "posts.jsonl")
    for record in records:
        VALIDATOR.validate(record)
    first, reply = by_name(records, ids)["library"]["comments"]
    assert (first["author"], reply["author"], reply["parent_id"]) == ("Dev", "Edith", first["id"])
    assert result.counts == {"records": 5, "comments": 2}


def test_csv(shared, tmp_path):
    archive, ids = shared
    run_export(archive, tmp_path / "posts.csv", "csv")
    with open(tmp_path / "posts.csv", newline="", encoding="utf-8") as data:
        rows = list(csv.DictReader(data))
    assert tuple(rows[0]) == RECORD_FIELDS and len(rows) == 5
    library = next(r for r in rows if r["id"] == str(ids["library"]))
    # Spreadsheet-friendly by default: list items joined with "; ".
    assert library["tags"] == "library; sundays"
    assert library["duplicate_urls"] == "https://pinner.example/2023/03/library-hours/"
    assert library["published"] == "2023-03-01T10:00:00+00:00" and library["author"] == "Ann Hale"
    assert "\n\n" in library["text"]


def test_csv_lists_as_json_and_folded_newlines(shared, tmp_path):
    archive, ids = shared
    result = run_export(archive, tmp_path / "posts.csv", "csv", with_comments=True,
                        csv=CsvOptions(lists="json", fold_newlines=True))
    lines = (tmp_path / "posts.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + result.records  # one physical line per record
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    library = next(r for r in rows if r["id"] == str(ids["library"]))
    assert json.loads(library["tags"]) == ["library", "sundays"]
    assert library["text"].startswith("The council agreed to keep the library open on Sundays. ¶ "
                                      "Residents welcomed")
    assert [c["author"] for c in json.loads(library["comments"])] == ["Dev", "Edith"]
    manifest = json.loads(manifest_path(tmp_path / "posts.csv").read_text())
    assert manifest["parameters"]["csv"] == {"lists": "json", "fold_newlines": True}


def test_fold_newlines_keeps_paragraphs_apart():
    assert export_formats.fold_newlines("a\n\nb\nc\r\n\r\nd\n \ne") == "a ¶ b c ¶ d ¶ e"


def test_csv_options_refused_for_other_formats(shared, tmp_path):
    archive, _ = shared
    with pytest.raises(ValueError, match="apply to csv exports"):
        run_export(archive, tmp_path / "p.jsonl", "jsonl", csv=CsvOptions(fold_newlines=True))
    with pytest.raises(ValueError, match="joined or json"):
        CsvOptions(lists="xml")
    result = CliRunner().invoke(cli, ["--db", archive.url, "export", "-o", str(tmp_path / "p.jsonl"),
                                      "--fold-newlines"])
    assert result.exit_code == 1 and "apply to csv exports, not jsonl" in result.output


def test_parquet_schema_and_row_groups(shared, tmp_path, monkeypatch):
    archive, _ = shared
    monkeypatch.setattr(export_formats, "PARQUET_ROW_GROUP", 40)
    result = run_export(archive, tmp_path / "all.parquet", "parquet", Filters(), with_comments=True)
    parquet = pq.ParquetFile(tmp_path / "all.parquet")
    schema = parquet.schema_arrow
    assert schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("related").type.value_type.field("shared_fraction").type == pa.float64()
    assert schema.field("comments").type.value_type.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("id").type == pa.int64() and not schema.field("id").nullable
    assert parquet.metadata.num_rows == result.records and parquet.metadata.num_row_groups >= 3
    table = parquet.read()
    assert table.column("published")[0].as_py().tzinfo is not None
    assert table.column("id").to_pylist() == sorted(table.column("id").to_pylist())


def test_markdown_folder_with_front_matter(shared, tmp_path):
    archive, ids = shared
    result = run_export(archive, tmp_path / "notes", "markdown", with_comments=True)
    names = sorted(p.name for p in (tmp_path / "notes").iterdir())
    assert len(names) == result.files == 5
    page = (tmp_path / "notes" / f"{ids['library']}-library-opening-hours-extended.md").read_text()
    head, _, body = page.partition("\n---\n")
    assert head.startswith("---\n")
    meta = {k: json.loads(v) for k, v in (line.split(": ", 1) for line in head.splitlines()[1:])}
    assert meta["title"] == "Library opening hours extended" and meta["tags"] == ["library", "sundays"]
    assert "text" not in meta
    assert "# Library opening hours extended" in body and "## Comments" in body
    listing = "".join(f"{hashlib.sha256((tmp_path / 'notes' / n).read_bytes()).hexdigest()}  {n}\n"
                      for n in names)
    manifest = json.loads(manifest_path(tmp_path / "notes").read_text())
    assert manifest["output"]["sha256"] == hashlib.sha256(listing.encode()).hexdigest()


def test_compression_by_extension_and_manifest(shared, tmp_path):
    archive, _ = shared
    run_export(archive, tmp_path / "plain.jsonl", "jsonl")
    plain = (tmp_path / "plain.jsonl").read_bytes()
    result = run_export(archive, tmp_path / "posts.jsonl.gz", "jsonl")
    assert gzip.decompress((tmp_path / "posts.jsonl.gz").read_bytes()) == plain
    run_export(archive, tmp_path / "posts.jsonl.zst", "jsonl")
    reader = zstandard.ZstdDecompressor().stream_reader((tmp_path / "posts.jsonl.zst").read_bytes())
    assert reader.read() == plain
    manifest = json.loads(manifest_path(tmp_path / "posts.jsonl.gz").read_text())
    data = (tmp_path / "posts.jsonl.gz").read_bytes()
    assert manifest["output"] == {"file": "posts.jsonl.gz", "format": "jsonl", "compression": "gzip",
                                  "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                                  "files": None}
    assert manifest["counts"] == {"records": result.records}
    assert manifest["filters"]["sites"] == ["harrow", "pinner"] and manifest["parameters"]["unique"]
    with archive.Session() as session:
        assert manifest["archive"]["id"] == repo.archive_id(session)
    assert manifest["archive"]["schema"] == head_revision() and manifest["tool"]["name"] == "civic-archive"


def test_failed_export_leaves_no_partial_file(shared, tmp_path, monkeypatch):
    archive, _ = shared
    target = tmp_path / "posts.jsonl"
    target.write_text("previous export\n")
    calls = []

    def broken(self, record):
        calls.append(record)
        if len(calls) == 3:
            raise OSError("disk full")
        self.stream.write(b"{}\n")

    monkeypatch.setattr(export_formats.JsonlWriter, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        run_export(archive, target, "jsonl")
    assert target.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts.jsonl"]


def test_keyset_batches_cover_every_post_once(shared):
    archive, _ = shared
    selection = Selection(Filters(status="all", include_pages=True), unique=False)
    with archive.Session() as session:
        small = [r["id"] for r in iter_records(session, selection, batch=7)]
        large = [r["id"] for r in iter_records(session, selection, batch=5000)]
    assert small == large == sorted(set(large)) and len(large) == 158


@pytest.mark.parametrize("args, message", [
    (["--format", "parquet", "-o", "-"], "cannot be written to stdout"),
    (["-o", "{tmp}/x.parquet.gz"], "not compressed by extension"),
    (["-o", "{tmp}/x.warc.zst"], "not .zst"),
    (["-o", "{tmp}/x.warc", "--tag", "library"], "--site and fetch date"),
    (["-o", "{tmp}/x.txt"], "cannot tell the export format"),
    (["-o", "{tmp}/missing/x.jsonl"], "does not exist"),
    (["-o", "{tmp}/x.jsonl", "--site", "nowhere"], "no site 'nowhere'"),
])
def test_export_errors_are_one_line(shared, tmp_path, args, message):
    archive, _ = shared
    args = [a.format(tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, ["--db", archive.url, "export", *args])
    assert result.exit_code == 1, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_markdown_refuses_a_folder_with_files(shared, tmp_path):
    archive, _ = shared
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.md").write_text("mine")
    with pytest.raises(ArchiveError, match="not an empty folder"):
        run_export(archive, tmp_path / "notes", "markdown")


def test_cli_export_to_stdout_and_file(shared, tmp_path):
    archive, ids = shared
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", archive.url, "export", "--format", "jsonl", "-o", "-",
                                 "--site", "pinner"])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["id"] for line in result.stdout.splitlines()} == {ids["copy"], ids["recycling"]}
    assert "exported 2 records to stdout" in result.stderr
    result = runner.invoke(cli, ["--db", archive.url, "-q", "export", "-o", str(tmp_path / "p.csv.gz"),
                                 "--all-copies", "--site", "harrow"])
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(gzip.decompress((tmp_path / "p.csv.gz").read_bytes()).decode())))
    assert len(rows) == 4 and Path(str(tmp_path / "p.csv.gz") + ".manifest.json").exists()


def test_jsonl_is_the_same_with_or_without_orjson(shared, tmp_path, monkeypatch):
    archive, _ = shared
    run_export(archive, tmp_path / "a.jsonl", "jsonl", Filters(), with_comments=True)
    monkeypatch.setattr(json_text, "orjson", None)
    run_export(archive, tmp_path / "b.jsonl", "jsonl", Filters(), with_comments=True)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_batch_columns_hold_the_records_values(shared):
    """Parquet reads a batch column by column, the other writers record by record: both
    views of a batch must hold the same values."""
    from storage.export_records import iter_batches

    archive, _ = shared
    selection = Selection(Filters(status="all", include_pages=True), unique=False,
                          with_comments=True)
    with archive.Session() as session:
        for batch in iter_batches(session, selection, batch=7):
            records, columns = list(batch.records()), batch.columns()
            assert list(columns) == list(selection.fields)
            assert [dict(zip(columns, values)) for values in zip(*columns.values())] == records


def test_parquet_row_groups_do_not_depend_on_the_batch_size(shared, tmp_path, monkeypatch):
    from storage import export_records

    archive, _ = shared
    monkeypatch.setattr(export_formats, "PARQUET_ROW_GROUP", 10)
    tables = []
    for batch in (3, 7, 5000):
        monkeypatch.setattr(export_records, "BATCH", batch)
        run_export(archive, tmp_path / f"b{batch}.parquet", "parquet", Filters(), with_comments=True)
        parquet = pq.ParquetFile(tmp_path / f"b{batch}.parquet")
        groups = [parquet.metadata.row_group(i).num_rows for i in range(parquet.metadata.num_row_groups)]
        assert groups[:-1] == [10] * (len(groups) - 1) and 0 < groups[-1] <= 10
        tables.append(parquet.read())
    assert tables[0].equals(tables[1]) and tables[1].equals(tables[2])
