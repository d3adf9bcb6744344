"""Rendering rows for people (a table) or scripts (json, jsonl, csv) on stdout."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import click

from storage.json_text import dumps

FORMATS = ("table", "json", "jsonl", "csv")


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format`` and the sqlite-utils style shortcuts ``--json/--nl/--csv``."""
    func = click.option("--csv", "fmt", flag_value="csv", help="Shortcut for --format csv.")(func)
    func = click.option("--nl", "fmt", flag_value="jsonl", help="Shortcut for --format jsonl.")(func)
    func = click.option("--json", "fmt", flag_value="json", help="Shortcut for --format json.")(func)
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format: a table for people, json/jsonl/csv for scripts.",
    )(func)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def render(rows: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """Write ``rows`` to stdout; json/jsonl keep every field, table/csv show ``columns``."""
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(dumps(row) + "\n")
    elif fmt == "json":
        out.write(dumps(list(rows), indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
    else:
        render_table([[_cell(r.get(c)) for c in columns] for r in rows], columns)


def render_table(cells: list[list[str]], columns: Sequence[str], max_width: int = 60) -> None:
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(columns)]
    line = "  ".join(h.ljust(w) for h, w in zip(columns, widths))
    click.echo(line.rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
