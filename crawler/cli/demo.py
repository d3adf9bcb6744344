"""``civic-archive demo``: the whole pipeline on a sample blog served on this machine."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from crawler.cli.context import AppContext, pass_app


@click.command()
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), metavar="PATH",
              help="Keep the archive, export and served site in this folder.")
@click.option("--posts", type=click.IntRange(10, 20000), default=60, show_default=True,
              help="How many posts the sample blog has.")
@pass_app
def demo(app: AppContext, keep: Path | None, posts: int) -> None:
    """Generate a sample civic blog, serve it on 127.0.0.1, crawl, deduplicate, search and
    export it with the real pipeline, and report what was archived.

    Example:

        civic-archive demo --keep ./demo-archive
    """
    from crawler.demo.tour import run_tour

    folder = keep.resolve() if keep else Path(tempfile.mkdtemp(prefix="civic-archive-demo-"))
    try:
        report = run_tour(folder, n_posts=posts, say=app.info)
        for line in report_lines(report, kept=keep is not None):
            click.echo(line)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def report_lines(report, kept: bool) -> list[str]:  # noqa: ANN001 - a TourReport
    s, run = report.status, report.run
    lines = [
        "civic-archive demo report",
        f"  blog      {report.site_url} ({report.published} published posts, plus an About page "
        "and a password-protected post)",
        f"  crawl     {run['status']}: {run['pages']} pages fetched in {run['seconds']} s",
        f"  archived  {s['posts']} posts, {s['urls']} addresses, {s['comments']} comments, "
        f"{s['captures']} captures",
        f"  stories   {len(report.clusters)} repeated stories, {len(report.related)} posts reusing "
        "another's paragraphs",
    ]
    for cluster in report.clusters:
        lines.append(f"    - {cluster['size']} copies: {cluster['title']} "
                     f"({', '.join(cluster['methods']) or 'exact'})")
    for rel in report.related:
        lines.append(f"    ~ {rel['post']} reuses {rel['shared']:.0%} of post #{rel['source']}")
    lines.append(f"  search    {report.query!r}: {len(report.hits)} top hits")
    for hit in report.hits:
        lines.append(f"    * {hit['title']} — {hit['snippet'][:90]}")
    where = report.export_path if kept else "a temporary folder, removed on exit"
    lines.append(f"  export    {report.exported} unique posts as JSONL → {where}")
    db = f"--db {report.folder / 'archive.db'}"
    if kept:
        lines += ["", f"archive kept at {report.folder / 'archive.db'}; try:",
                  f"  civic-archive {db} status", f"  civic-archive {db} search \"bins OR potholes\"",
                  f"  civic-archive {db} dupes", f"  civic-archive {db} export --format csv --output posts.csv"]
    else:
        lines += ["", "run `civic-archive demo --keep ./demo` to keep the archive and explore it with "
                  "status, search, show, dupes and export"]
    return lines
