"""``civic-archive dedupe`` and ``civic-archive dupes``: repeated stories and text reuse."""

from __future__ import annotations

import sys
from typing import Any

import click

import dedupe
from crawler import matching
from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import output_options, render
from storage import story_rows
from storage.db import ArchiveError
from storage.json_text import dumps
from storage.lock import crawl_lock


@click.command("dedupe")
@click.option("--rebuild", is_flag=True, help="Fingerprint every post again, not only stale ones.")
@click.option("--threshold", type=click.FloatRange(0.5, 1.0), metavar="T",
              help="Jaccard similarity at which two posts are the same story "
                   f"[default {dedupe.Params().jaccard_threshold}].")
@pass_app
def dedupe_command(app: AppContext, rebuild: bool, threshold: float | None) -> None:
    """Re-cluster the whole archive from stored text (crawls already do this as they go).

    Example:

        civic-archive dedupe --threshold 0.8
    """
    params = dedupe.Params() if threshold is None else dedupe.Params(jaccard_threshold=threshold)
    # Re-clustering rewrites every cluster: not while a crawl is adding to them.
    with crawl_lock(app.archive), app.archive.Session.begin() as session:
        total = story_rows.matchable_posts(session)
        with click.progressbar(length=total, label="matching", file=sys.stderr,
                               hidden=app.quiet or not sys.stderr.isatty()) as bar:
            result = matching.recluster(session, params, force=rebuild, progress=bar.update)
    app.info(f"{result['posts']} posts: {result['clusters']} repeated stories "
             f"({result['duplicates']} duplicate posts), {result['related']} text-reuse pairs")


@click.group("dupes", invoke_without_command=True)
@click.option("--related", is_flag=True, help="List text-reuse pairs instead of clusters.")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@output_options
@click.pass_context
def dupes(ctx: click.Context, related: bool, limit: int, offset: int, fmt: str) -> None:
    """List repeated stories (clusters), or with --related the posts that reuse others' text.

    Example:

        civic-archive dupes --format json

        civic-archive dupes --related
    """
    if ctx.invoked_subcommand:
        return
    app = ctx.find_object(AppContext)
    with app.archive.Session() as session:
        if related:
            rows = story_rows.related_rows(session, limit, offset)
            render(rows, fmt, ["post_id", "post_title", "source_id", "source_title",
                               "shared_fraction"])
        else:
            rows = story_rows.cluster_rows(session, limit, offset)
            render(rows, fmt, ["id", "size", "title", "sites", "min_similarity", "max_similarity"])


@dupes.command("show")
@click.argument("cluster_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app
def dupes_show(app: AppContext, cluster_id: int, fmt: str) -> None:
    """Show a cluster's members: URLs, dates, why each matches the canonical (the deciding
    measure, its value and threshold, and which paragraphs align: "=" aligned, "x" not),
    and a paragraph diff.

    Example:

        civic-archive dupes show 3
    """
    with app.archive.Session() as session:
        detail = matching.cluster_detail(session, cluster_id)
    if detail is None:
        raise ArchiveError(f"no such cluster: {cluster_id}")
    if fmt == "json":
        click.echo(dumps(detail, indent=2))
        return
    for member in detail["members"]:
        mark = "canonical" if member["canonical"] else (
            f"{member['method']} {member['similarity']:.2f}")
        click.echo(f"#{member['id']} [{mark}] {member['title']}")
        click.echo(f"    {member['url']}  published {_when(member['published'])}")
        if member["explanation"]:
            for line in _explain_lines(member["explanation"]):
                click.echo(f"    {line}")
        for op in member["diff"]:
            for line in op["canonical"]:
                click.echo(f"    - {line[:100]}")
            for line in op["member"]:
                click.echo(f"    + {line[:100]}")


def _explain_lines(e: dict) -> list[str]:
    """The decision against the canonical, its measures and the paragraph alignment."""
    measures = e["measures"]
    if e["method"] == "exact":
        decided = "decided by exact: same normalized text"
    elif e["threshold"] is None or e["method"] == "none":
        decided = f"no direct link (coverage {e['value']:.2f} < {e['threshold']:.2f})"
    else:
        decided = f"decided by {e['measure']} {e['value']:.2f} >= {e['threshold']:.2f}"
    lines = [decided + f" | Jaccard {measures['jaccard']:.2f}, containment "
             f"{measures['containment']:.2f}, coverage {measures['coverage']:.2f} (member "
             f"{measures['covered_first']:.2f}, canonical {measures['covered_second']:.2f})"]
    for p in e["paragraphs"]:
        target = "-" if p["canonical"] is None else f"canonical ¶{p['canonical']}"
        mark = "=" if p["aligned"] else "x"
        lines.append(f"  {mark} ¶{p['member']} ~ {target} ({p['covered']:.0%} covered) "
                     f"{p['text'][:60]}")
    return lines


def _when(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
