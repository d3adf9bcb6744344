"""Web-archive exports that replay: WARC with requisites, WACZ, checked by warcio, the wacz
validator and pywb's own WSGI application."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.support.requisite_site import SLUG

pytestmark = pytest.mark.slow
NOTICE = "/wp-content/uploads/2025/10/notice-1024x576.jpg"


@pytest.fixture(scope="module")
def exported(requisite_crawl, tmp_path_factory):
    """The two-post blog crawled, then exported as WARC and as WACZ."""
    db, site, _result = requisite_crawl
    folder = tmp_path_factory.mktemp("wacz")
    runner = CliRunner()
    for name in ("blog.warc.gz", "blog.wacz"):
        out = runner.invoke(cli, ["--db", db, "-q", "export", "-o", str(folder / name)],
                            catch_exceptions=False)
        assert out.exit_code == 0, out.output
    return folder, site


def test_warcio_check_passes_and_requisites_are_records(exported):
    folder, site = exported
    warc = folder / "blog.warc.gz"
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(warc)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    from warcio.archiveiterator import ArchiveIterator

    kinds: dict[str, set[str]] = {}
    with warc.open("rb") as data:
        for record in ArchiveIterator(data):
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            kinds.setdefault(url.split("?")[0].replace(site.base, ""), set()).add(record.rec_type)
    assert "response" in kinds[NOTICE]
    assert "response" in kinds["/wp-includes/css/dist/fonts/body.woff2"]
    # The stylesheet under its second ?ver= holds the same bytes: a revisit record.
    assert {"response", "revisit"} <= kinds["/wp-includes/css/dist/block-library/style.min.css"]
    assert "/wp-content/uploads/huge.png" not in kinds  # over the size limit: never stored


def test_wacz_layout_pages_and_digests(exported):
    folder, site = exported
    with zipfile.ZipFile(folder / "blog.wacz") as wacz:
        names = set(wacz.namelist())
        assert {"archive/data.warc.gz", "indexes/index.cdx", "pages/pages.jsonl",
                "datapackage.json", "datapackage-digest.json"} <= names
        assert wacz.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        package = json.loads(wacz.read("datapackage.json"))
        index = wacz.read("indexes/index.cdx").decode().splitlines()
        for resource in package["resources"]:
            body = wacz.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
            assert resource["bytes"] == len(body)
    assert pages[0]["format"] == "json-pages-1.0"
    assert {p["url"] for p in pages[1:]} == {f"{site.base}/{SLUG}/", f"{site.base}/second-parking-post/"}
    assert all(p["title"] and p["ts"].endswith("Z") for p in pages[1:])
    assert index == sorted(index) and any("notice-1024x576.jpg" in line for line in index)


def test_wacz_validator_accepts_it(exported):
    folder, _site = exported
    validator = pytest.importorskip("wacz.main", reason="the wacz package is not installed (test extra)")
    # py-wacz's own validator: required files, frictionless datapackage, paths and hashes.
    assert validator.main(["validate", "-f", str(folder / "blog.wacz")]) == 0


def _replay(wacz, folder, *paths: str) -> dict[str, dict]:
    """pywb's WSGI application, in its own process (it monkey-patches with gevent)."""
    script = Path(__file__).parent / "support" / "pywb_replay.py"
    done = subprocess.run([sys.executable, str(script), str(wacz), str(folder), *paths],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {r["path"]: {**r, "body": base64.b64decode(r["body"])} for r in results}


def test_pywb_replays_the_wacz_with_its_pictures(exported, tmp_path):
    pytest.importorskip("pywb", reason="pywb is not installed (test extra)")
    folder, site = exported
    page, notice = f"/civic/id_/{site.base}/{SLUG}/", f"/civic/id_/{site.base}{NOTICE}"
    others = [f"/civic/id_/{site.base}{p}" for p in (
        "/wp-content/uploads/photo-2400.png", "/wp-includes/css/dist/block-library/style.min.css",
        "/wp-includes/css/dist/fonts/body.woff2")]
    rewritten = f"/civic/mp_/{site.base}/{SLUG}/"
    replayed = _replay(folder / "blog.wacz", tmp_path, page, notice, *others, rewritten)
    assert replayed[page]["status"].startswith("200"), replayed[page]["status"]
    assert b"High street parking charges" in replayed[page]["body"]
    assert replayed[notice]["status"].startswith("200"), replayed[notice]["status"]
    assert replayed[notice]["body"] == site.image(NOTICE)
    assert replayed[notice]["content_type"] == "image/png"
    for path in others:
        assert replayed[path]["status"].startswith("200"), (path, replayed[path]["status"])
    # The rewritten page replays too, its pictures pointing back into the archive.
    assert replayed[rewritten]["status"].startswith("200")
    assert b"/civic/" in replayed[rewritten]["body"]
    assert b"notice-1024x576.jpg" in replayed[rewritten]["body"]
