"""``civic-archive search``, ``show`` and ``stats`` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.cli import export as export_cli
from crawler.cli import search as search_cli
from storage.search import POST_HIT_FIELDS

# The lead registers these in crawler/cli/__init__.py; until then the tests add them.
for _command in (search_cli.search, search_cli.show, search_cli.stats, export_cli.export):
    if _command.name not in cli.commands:
        cli.add_command(_command)


@pytest.fixture(scope="module")
def shared(sample_archive):
    """The shared sample archive's URL, for the CLI, and its post ids."""
    archive, ids = sample_archive
    return archive.url, ids


def run(url, *args):
    return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)


def test_search_table(shared):
    url, ids = shared
    result = run(url, "search", "library")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == [str(ids["library"]), "2023-03-01", "harrow"]
    assert "Library opening hours extended" in lines[0] and "also at 1 other URL" in lines[0]
    assert "library" in lines[1]
    assert result.stderr.strip() == "3 hits"


def test_search_json_has_documented_fields(shared):
    url, ids = shared
    result = run(url, "search", "sundays", "--json")
    (hit,) = json.loads(result.stdout)
    assert tuple(hit) == POST_HIT_FIELDS
    assert hit["id"] == ids["library"] and hit["copies"] == 1 and "[Sundays]" in hit["snippet"]
    assert hit["published"] == "2023-03-01T10:00:00+00:00"


def test_search_jsonl_and_csv(shared):
    url, _ = shared
    lines = run(url, "search", "library", "--all-copies", "--nl").stdout.splitlines()
    assert len(lines) == 4 and all(json.loads(line)["title"] for line in lines)
    rows = list(csv.reader(io.StringIO(run(url, "search", "library", "--csv").stdout)))
    assert tuple(rows[0]) == POST_HIT_FIELDS and len(rows) == 4


def test_search_filters_and_paging(shared):
    url, ids = shared
    result = run(url, "search", "library", "--site", "pinner", "--since", "2023-03-02",
                 "--sort", "oldest", "--nl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [ids["copy"], ids["recycling"]]
    result = run(url, "search", "library", "--limit", "1")
    assert "more with --offset 1" in result.stderr


def test_search_comments(shared):
    url, ids = shared
    (hit,) = json.loads(run(url, "search", "sundays", "--in", "comments", "--json").stdout)
    assert hit["post_id"] == ids["library"] and hit["author"] == "Edith"


@pytest.mark.parametrize("args, message", [
    (["search", "-library"], "only excludes"),
    (["search", "'; DROP TABLE posts; --", "--site", "nowhere"], "no site 'nowhere'"),
    (["search", "library", "--since", "last tuesday"], "not a date"),
    (["search", '"'], "nothing to search for"),
])
def test_search_errors_are_one_line(shared, args, message):
    result = run(shared[0], *args)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_search_sql_prints_statement_and_parameters(shared):
    result = run(shared[0], "search", "counc* -parking", "--sql")
    assert "MATCH" in result.stdout or "@@" in result.stdout
    assert "-- query = " in result.stdout and "parking" in result.stdout.split("-- query = ")[1]


def test_show_text(shared):
    url, ids = shared
    result = run(url, "show", str(ids["library"]), "--comments", "--history")
    out = result.stdout
    assert result.exit_code == 0, result.output
    assert out.startswith("Library opening hours extended\n")
    assert "https://harrow.example/library-hours/  [canonical, page]" in out
    assert "cluster" in out and "https://pinner.example/2023/03/library-hours/" in out
    assert "Dev · 2023-03-01 12:00" in out and "      Sundays at last." in out
    assert "+Opening starts in April." in out


def test_show_by_alias_url_as_json(shared):
    url, ids = shared
    result = run(url, "show", "https://harrow.example/budget-notes/?utm_source=feed", "--json",
                 "--html", "--history")
    detail = json.loads(result.stdout)
    assert detail["id"] == ids["budget"] and detail["tags"] == ["budget"]
    assert detail["related"] == [{"id": ids["recycling"], "url": "https://pinner.example/2024/01/recycling/",
                                  "title": "Recycling collection changes", "shared_fraction": 0.4,
                                  "method": "paragraphs", "relation": "reused_by"}]
    assert detail["html"] == "" and detail["versions"][0]["diff"] == ""
    assert detail["urls"][0]["found_via"] == ["canonical", "page"]


def test_show_unknown_post(shared):
    result = run(shared[0], "show", "https://nowhere.example/")
    assert result.exit_code == 1 and "no post" in result.stderr


def test_stats(shared):
    url, _ = shared
    facts = json.loads(run(url, "stats", "--json").stdout)
    assert facts["totals"]["posts"] == 7 and facts["clusters"]["clustered_posts"] == 2
    assert [s["posts"] for s in facts["sites"]] == [4, 3]
    assert facts["years"][0] == {"year": 2020, "posts": 2}
    assert facts["authors"][0] == {"author": "Ann Hale", "posts": 3}
    assert facts["related"]["pairs"] == 1
    text = run(url, "stats").stdout
    assert "posts per site" in text and "1 clusters hold 2 posts" in text
