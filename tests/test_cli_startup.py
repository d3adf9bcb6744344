"""Start-up and Unix manners: commands import only what they use; a closed pipe is quiet."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest

from crawler.cli import COMMANDS, EXIT_BROKEN_PIPE, cli
from storage import db


def test_help_lines_match_the_commands_docstrings():
    ctx = click.Context(cli)
    for name, (_, _, line) in COMMANDS.items():
        assert cli.get_command(ctx, name).get_short_help_str(limit=500) == line, name


def test_schema_head_is_alembics_head():
    assert db.SCHEMA_HEAD == db.head_revision()


def _modules_after(args: list[str], tmp_path) -> set[str]:
    """The heavy libraries imported by running ``civic-archive ARGS`` in a fresh process."""
    code = (
        "import sys, json\n"
        "from crawler.cli import cli\n"
        "try:\n"
        f"    cli({args!r}, prog_name='civic-archive')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlalchemy', 'alembic', 'scrapy', 'twisted', 'datasketch', 'numpy', 'pyarrow')\n"
        "sys.stderr.write(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_no_heavy_library(tmp_path):
    assert _modules_after(["--help"], tmp_path) == set()


@pytest.mark.parametrize("args", [["status"], ["search", "council"], ["dupes"], ["runs"],
                                  ["stats"], ["show", "1"]])
def test_read_commands_import_only_the_database_layer(tmp_path, args):
    archive = str(tmp_path / "archive.db")
    db.open_archive(archive).dispose()  # migrated beforehand: no Alembic needed any more
    assert _modules_after(["--db", archive, *args], tmp_path) == {"sqlalchemy"}


@pytest.mark.parametrize("args", [["status"], ["site", "list"], ["stats"]])
def test_a_closed_pipe_ends_quietly(tmp_path, args):
    archive = str(tmp_path / "archive.db")
    db.open_archive(archive).dispose()
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is written
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", archive, *args],
                          stdout=writer, stderr=subprocess.PIPE, text=True)
    os.close(writer)
    assert done.returncode == EXIT_BROKEN_PIPE
    assert done.stderr == ""


def test_help_into_a_closed_pipe_is_quiet(tmp_path):
    reader, writer = os.pipe()
    os.close(reader)
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "--help"],
                          stdout=writer, stderr=subprocess.PIPE, text=True)
    os.close(writer)
    assert done.returncode != 0 and done.stderr == ""
