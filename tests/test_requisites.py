"""Page requisites: pure extraction, then a real crawl that keeps them and records every skip."""

from __future__ import annotations

import hashlib
import json
import zlib
from importlib.resources import files

import jsonschema
import pyarrow.parquet as pq

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from crawler.cli import cli
from crawler.requisites import (
    HostPolicy, Requisite, page_requisites, srcset_candidates, stylesheet_requisites, type_fits,
)
from tests.support.requisite_site import SECOND, SLUG
from storage import repo
from storage.db import open_archive
from storage.models import Capture, Post, PostRequisite

POLICY = HostPolicy(frozenset({"blog.example", "blog.example:8080"}))
PAGE = """<html><head>
<link rel="stylesheet" href="/theme.css?ver=2"><link rel='preload' as='font' href='/f.woff2'>
<link rel="stylesheet" href="https://fonts.elsewhere.example/css">
<script src="/app.js"></script><script>inline()</script>
<style>@font-face { src: url("/inline.woff") }</style></head><body>
<img src="data:image/gif;base64,R0lGOD" class="lazy">
<article><img src="/a.jpg" srcset="/a-300.jpg 300w, /a-1024.jpg 1024w, /a.jpg 640w">
<img src="https://i2.wp.com/blog.example/b.jpg"></article></body></html>"""


def test_post_images_come_first_then_stylesheets_scripts_fonts():
    found = page_requisites("https://blog.example/post/", PAGE,
                            ["https://blog.example/a.jpg", "https://i2.wp.com/blog.example/b.jpg"],
                            POLICY)
    assert found.wanted == [
        Requisite("https://blog.example/a.jpg", "image"),
        Requisite("https://i2.wp.com/blog.example/b.jpg", "image"),
        Requisite("https://blog.example/a-1024.jpg", "image"),
        Requisite("https://blog.example/theme.css?ver=2", "stylesheet"),
        Requisite("https://blog.example/app.js", "script"),
        Requisite("https://blog.example/f.woff2", "font"),
        Requisite("https://blog.example/inline.woff", "font"),
    ]
    reasons = {(s.url[:30], s.reason) for s in found.skipped}
    assert reasons == {("https://blog.example/a-300.jpg", "srcset_smaller"),
                       ("data:image/gif;base64,R0lGOD", "data_uri"),
                       ("https://fonts.elsewhere.exampl", "offsite")}


def test_kinds_can_be_turned_off():
    found = page_requisites("https://blog.example/post/", PAGE, ["https://blog.example/a.jpg"],
                            POLICY, kinds=("image",))
    assert {r.kind for r in found.wanted} == {"image"}


def test_host_policy_keeps_blog_subdomains_and_media_hosts_only():
    assert POLICY.allows("https://blog.example:8080/x.png")
    assert POLICY.allows("https://cdn.blog.example/x.png")
    assert POLICY.allows("https://harrowblog.files.wordpress.com/2020/01/x.jpg")
    assert POLICY.allows("https://1.bp.blogspot.com/x.jpg")
    assert not POLICY.allows("https://blog.example.evil.test/x.png")
    assert not POLICY.allows("https://secure.gravatar.com/avatar/1")
    assert HostPolicy(frozenset({"blog.example"}), frozenset({"media.council.example"})).allows(
        "https://media.council.example/a.jpg")


def test_srcset_parsing_tolerates_junk():
    assert srcset_candidates("a.jpg 300w, b.jpg 2x, c.jpg, , d.jpg bogusw") == [
        ("a.jpg", 300.0), ("b.jpg", 2.0), ("c.jpg", 1.0), ("d.jpg", 1.0)]


def test_stylesheet_fonts_and_imports():
    css = "@import url('print.css'); @font-face{src:url(../f/a.woff2) format('woff2'), url(data:x)}"
    found = stylesheet_requisites("https://blog.example/css/s.css", css, POLICY)
    assert [(r.url, r.kind) for r in found.wanted] == [
        ("https://blog.example/css/print.css", "stylesheet"), ("https://blog.example/f/a.woff2", "font")]
    assert [s.reason for s in found.skipped] == ["data_uri"]


@pytest.mark.parametrize("kind,content_type,fits", [
    ("image", "image/jpeg", True), ("image", "text/html; charset=utf-8", False),
    ("stylesheet", "text/css", True), ("script", "application/javascript", True),
    ("font", "font/woff2", True), ("font", "text/html", False), ("image", "", True)])
def test_content_types(kind, content_type, fits):
    assert type_fits(kind, content_type) is fits


@pytest.fixture(scope="module")
def crawled(requisite_crawl):
    db, site, result = requisite_crawl
    archive = open_archive(db)
    yield archive, site, result
    archive.dispose()


def _requisites(archive, slug):
    with archive.Session() as session:
        post = session.scalars(select(Post).where(Post.canonical_url.contains(slug))).one()
        rows = session.scalars(select(PostRequisite).where(PostRequisite.post_id == post.id)).all()
        return post, {r.url.split("/", 3)[-1]: r for r in rows}


@pytest.mark.slow
def test_crawl_keeps_requisites_and_records_each_skip(crawled):
    archive, site, _result = crawled
    _post, rows = _requisites(archive, SLUG)
    outcome = {path.split("?")[0]: (r.kind, r.status, r.reason) for path, r in rows.items()}
    assert outcome["wp-content/uploads/2025/10/notice-1024x576.jpg"] == ("image", "stored", None)
    assert outcome["wp-content/uploads/photo-300.png"] == ("image", "stored", None)
    assert outcome["wp-content/uploads/photo-2400.png"] == ("image", "stored", None)
    assert outcome["wp-content/uploads/photo-600.png"] == ("image", "skipped", "srcset_smaller")
    assert outcome["wp-content/uploads/missing.jpg"] == ("image", "skipped", "status_404")
    assert outcome["wp-content/uploads/huge.png"] == ("image", "skipped", "too_large")
    assert outcome["wp-content/uploads/not-an-image.jpg"] == ("image", "skipped", "wrong_type")
    assert outcome["hotlinked.jpg"] == ("image", "skipped", "offsite")
    assert outcome["wp-includes/css/dist/block-library/style.min.css"] == ("stylesheet", "stored", None)
    assert outcome["wp-includes/css/dist/fonts/body.woff2"] == ("font", "stored", None)
    assert outcome["wp-includes/js/comment-reply.min.js"] == ("script", "stored", None)
    assert any(r.reason == "data_uri" for r in rows.values())
    # Commenters' avatars are not in the post: they are not its requisites.
    assert not any("gravatar" in url for url in rows)


@pytest.mark.slow
def test_each_url_fetched_once_and_bytes_stored_once(crawled):
    archive, site, _result = crawled
    assert site.hits["/wp-content/uploads/2025/10/notice-1024x576.jpg"] == 1
    assert site.hits["/wp-content/uploads/photo-600.png"] == 0  # a smaller size: not fetched
    assert site.hits["/wp-content/uploads/huge.png"] == 1
    _post, rows = _requisites(archive, SECOND)
    assert rows["wp-content/uploads/2025/10/notice-1024x576.jpg"].status == "stored"
    with archive.Session() as session:
        css = session.scalars(select(Capture).where(Capture.url.contains("style.min.css"))
                              .order_by(Capture.id)).all()
        # Two addresses (?ver=6.7.2, ?ver=6.7.3), one copy of the bytes.
        assert len(css) == 2 and css[0].sha256 == css[1].sha256
        assert [len(zlib.decompress(c.body)) > 0 for c in css] == [True, False]
        assert repo.capture_body(css[1]) == repo.capture_body(css[0]) == site.files[
            "/wp-includes/css/dist/block-library/style.min.css"][2]


@pytest.mark.slow
def test_show_lists_a_posts_images(crawled):
    archive, _site, _result = crawled
    post, _rows = _requisites(archive, SLUG)
    shown = CliRunner().invoke(cli, ["--db", archive.url, "show", str(post.id)], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert "notice-1024x576.jpg  [stored, " in shown.output
    assert "missing.jpg  [skipped: status_404]" in shown.output
    as_json = CliRunner().invoke(cli, ["--db", archive.url, "show", str(post.id), "--format", "json"])
    detail = json.loads(as_json.output)
    stored = [i for i in detail["images"] if i["status"] == "stored"]
    assert {i["url"].rsplit("/", 1)[-1] for i in stored} == {
        "notice-1024x576.jpg", "photo-300.png", "photo-2400.png"}
    assert all(i["content_type"] == "image/png" and i["size"] > 0 for i in stored)
    assert detail["requisites"]["stylesheet/stored"] == 1


@pytest.mark.slow
def test_record_exports_can_list_each_posts_images(crawled, tmp_path):
    archive, site, _result = crawled
    out = tmp_path / "posts.jsonl"
    done = CliRunner().invoke(cli, ["--db", archive.url, "-q", "export", "-o", str(out),
                                    "--all-copies", "--with-images"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    first = next(r for r in records if SLUG in r["url"])
    images = {i["url"].split("/")[-1]: i for i in first["images"]}
    notice = images["notice-1024x576.jpg"]
    assert notice["status"] == "stored"
    assert notice["sha256"] == hashlib.sha256(
        site.image("/wp-content/uploads/2025/10/notice-1024x576.jpg")).hexdigest()
    assert (images["missing.jpg"]["status"], images["missing.jpg"]["reason"]) == ("skipped", "status_404")
    assert images["missing.jpg"]["sha256"] is None
    schema = json.loads(files("storage").joinpath("record.schema.json").read_text())
    for record in records:
        jsonschema.validate(record, schema)
    parquet = tmp_path / "posts.parquet"
    done = CliRunner().invoke(cli, ["--db", archive.url, "-q", "export", "-o", str(parquet),
                                    "--all-copies", "--with-images"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    table = pq.read_table(parquet)
    assert table.schema.field("images").type.value_type.names == ["url", "status", "reason", "sha256"]
    assert any(i["status"] == "stored" for row in table.column("images").to_pylist() for i in row)
