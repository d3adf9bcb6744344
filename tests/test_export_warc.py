"""WARC export of raw captures, read back with warcio: responses, revisits for repeated
bodies, metadata records, reconstructed HTTP headers."""

from __future__ import annotations

import zlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from tests.support.archive_builder import BuildSpec, build_archive, scratch_archive
from tests.support.postgres import PG_URL, pg_unavailable
from crawler.cli import cli
from crawler.cli import export as export_cli
from storage import repo
from storage.export import export
from storage.export_warc import http_headers, payload_digest
from storage.models import Capture
from storage.search_filters import Filters, parse_date

if "export" not in cli.commands:  # registered by the lead in crawler/cli/__init__.py
    cli.add_command(export_cli.export)

REVISIT = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def captured(request, tmp_path_factory):
    """30 captures, the 1st, 11th and 21st fetched again unchanged, plus one gzip-era
    capture with list-valued headers."""
    if request.param == "postgres" and pg_unavailable():
        pytest.skip(pg_unavailable())
    with scratch_archive(request.param, tmp_path_factory.mktemp("warc"), PG_URL) as archive:
        build_archive(archive, BuildSpec(posts=40, sites=2, captures=30, words=20))
        with archive.Session.begin() as session:
            repo.record_capture(session, url="https://site1.example/feed/", status=404,
                                body=b"gone", site_id=1, fetched_at=parse_date("2025-07-01"),
                                headers={"Content-Encoding": "gzip", "Set-Cookie": ["a=1", "b=2"],
                                         "Transfer-Encoding": "chunked"})
        yield archive


def read_warc(path):
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(stream)]


def bodies(archive):
    with archive.Session() as session:
        return {c.id: zlib.decompress(c.body) for c in session.scalars(select(Capture))}


@pytest.mark.parametrize("name", ["captures.warc.gz", "captures.warc"])
def test_warc_reads_back_with_revisits(captured, tmp_path, name):
    with captured.Session.begin() as session:
        result = export(session, str(tmp_path / name), "warc")
    records = read_warc(tmp_path / name)
    kinds = [r[0] for r in records]
    assert kinds[0] == "warcinfo"
    assert (kinds.count("response"), kinds.count("revisit"), kinds.count("metadata")) == (31, 3, 34)
    assert result.counts["revisit"] == 3 and result.records == 34
    responses = {h.get_header("WARC-Record-ID"): (h, body) for t, h, _, body in records if t == "response"}
    for kind, headers, http, body in records:
        if kind == "revisit":
            original, original_body = responses[headers.get_header("WARC-Refers-To")]
            assert headers.get_header("WARC-Profile") == REVISIT
            assert headers.get_header("WARC-Payload-Digest") == original.get_header("WARC-Payload-Digest")
            assert headers.get_header("WARC-Refers-To-Target-URI") == original.get_header("WARC-Target-URI")
            assert headers.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
            assert body == b"" and http.get_statuscode() == "200"
        if kind == "response":
            assert headers.get_header("WARC-Payload-Digest") == payload_digest(body)
    assert {body for _, body in responses.values()} <= set(bodies(captured).values())


def test_http_headers_fit_the_stored_body(captured, tmp_path):
    with captured.Session.begin() as session:
        export(session, str(tmp_path / "c.warc"), "warc", Filters(since=parse_date("2025-07")))
    (_, warc_headers, http, body), = [r for r in read_warc(tmp_path / "c.warc") if r[0] == "response"]
    assert http.statusline == "404 Not Found" and body == b"gone"
    assert http.get_header("Content-Length") == "4" and http.get_header("Content-Encoding") is None
    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert http.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert [v for k, v in http.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert warc_headers.get_header("WARC-Date") == "2025-07-01T00:00:00.000000Z"


def test_encoded_bodies_keep_their_encoding_header():
    import gzip
    packed = gzip.compress(b"hello")
    headers = http_headers(200, {"Content-Encoding": "gzip", "Content-Length": str(len(packed))}, packed)
    assert headers.get_header("Content-Encoding") == "gzip"
    assert headers.get_header("Content-Length") == str(len(packed))


def test_site_filter_and_stable_record_ids(captured, tmp_path):
    runner = CliRunner()
    for name in ("a.warc", "b.warc"):
        result = runner.invoke(cli, ["--db", captured.url, "export", "-o", str(tmp_path / name),
                                     "--site", "site2"])
        assert result.exit_code == 0, result.output
    first, second = read_warc(tmp_path / "a.warc"), read_warc(tmp_path / "b.warc")
    uris = {h.get_header("WARC-Target-URI") for t, h, _, _ in first if t == "response"}
    assert uris and all(u.startswith("https://site2.example/") for u in uris)
    ids = [h.get_header("WARC-Record-ID") for t, h, _, _ in first if t != "warcinfo"]
    assert ids == [h.get_header("WARC-Record-ID") for t, h, _, _ in second if t != "warcinfo"]


def test_warc_to_stdout(captured):
    result = CliRunner().invoke(cli, ["--db", captured.url, "export", "--format", "warc", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"WARC/1.1\r\n")


def test_progress_estimate_counts_captures(captured):
    from storage.export import estimate

    with captured.Session() as session:
        assert estimate(session, "warc", Filters()) == 34
        assert estimate(session, "warc", Filters(sites=("site2",))) == 15
