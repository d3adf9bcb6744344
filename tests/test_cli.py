"""The command line as a user meets it: exit codes, stdout data, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.cli import cli


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_help_lists_commands_and_every_command_has_an_example():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("site", "status", "db"):
        assert name in result.output
    ctx = cli.make_context("civic-archive", ["status"])
    for path in cli.list_commands(ctx):
        command = cli.get_command(ctx, path)
        subcommands = getattr(command, "commands", {}) or {"": command}
        for sub in subcommands:
            args = [path, sub, "--help"] if sub else [path, "--help"]
            out = run(*args)
            assert out.exit_code == 0, args
            assert "Example:" in out.output, args


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "civic-archive" in result.output


def test_status_on_a_new_archive(archive_url):
    result = run("--db", archive_url, "status", "--json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert facts["posts"] == 0 and facts["schema"]


def test_bad_db_path_is_one_clear_line(tmp_path):
    result = run("--db", str(tmp_path / "nope" / "x.db"), "status")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_server_is_one_clear_line():
    result = run("--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "status")
    assert result.exit_code == 1
    assert "cannot open archive" in result.stderr and "secret" not in result.stderr


def test_env_var_selects_the_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVIC_ARCHIVE_DB", str(tmp_path / "env.db"))
    assert run("status").exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_site_add_list_remove(tmp_path):
    db = str(tmp_path / "a.db")
    added = run("--db", db, "site", "add", "http://127.0.0.1:8080/blog", "--name", "demo",
                "--set", "DOWNLOAD_DELAY=0")
    assert added.exit_code == 0, added.output
    dup = run("--db", db, "site", "add", "http://127.0.0.1:8080/blog/")
    assert dup.exit_code == 1 and "already" in dup.stderr
    listed = run("--db", db, "site", "list", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert rows[0]["url"] == "http://127.0.0.1:8080/blog/"
    assert rows[0]["settings"] == {"DOWNLOAD_DELAY": "0"}
    csv_out = run("--db", db, "site", "list", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("id,name,url")
    assert run("--db", db, "site", "remove", "demo", "--yes").exit_code == 0
    assert run("--db", db, "site", "list", "--json").stdout.strip() == "[]"
    missing = run("--db", db, "site", "remove", "demo", "--yes")
    assert missing.exit_code == 1 and "no such site" in missing.stderr


@pytest.mark.parametrize("bad", ["ftp://x.example/", "not a url"])
def test_site_add_refuses_non_http(tmp_path, bad):
    result = run("--db", str(tmp_path / "a.db"), "site", "add", bad)
    assert result.exit_code == 1 and "http" in result.stderr


def test_db_upgrade_on_empty_database(tmp_path):
    result = run("--db", str(tmp_path / "new.db"), "db", "upgrade")
    assert result.exit_code == 0
    assert "upgraded from empty" in result.stderr
    assert "already at" in run("--db", str(tmp_path / "new.db"), "db", "upgrade").stderr
