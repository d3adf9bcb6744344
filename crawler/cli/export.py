"""``civic-archive export``: the corpus as JSONL, CSV, Parquet, WARC or Markdown."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.search import filter_options, make_filters, user_errors
from storage import export as export_lib
from storage import repo


@click.command()
@click.option("--format", "fmt", type=click.Choice(export_lib.FORMATS),
              help="Output format [default: from the output name, e.g. posts.jsonl.gz].")
@click.option("-o", "--output", required=True, metavar="PATH|-",
              help="File to write (.gz/.zst compress it), a new folder for markdown, "
                   "or - for stdout.")
@filter_options
@click.option("--unique/--all-copies", default=True, show_default=True,
              help="One record per story (the canonical's text with every copy's URL and "
                   "site), or one per copy.")
@click.option("--with-comments", is_flag=True, help="Include each post's comments.")
@click.option("--with-images", is_flag=True,
              help="Include each post's images: address, stored or skipped (why), sha256.")
@click.option("--csv-lists", type=click.Choice(["joined", "json"]), default=None,
              help="CSV list fields (tags, duplicate_urls…): items joined with '; ' or JSON "
                   "text  [default: joined].")
@click.option("--fold-newlines", is_flag=True,
              help="CSV: one line per record (paragraph breaks become ' ¶ ').")
@pass_app
def export(app: AppContext, fmt: str | None, output: str, unique: bool, with_comments: bool,
           with_images: bool, csv_lists: str | None, fold_newlines: bool, **options: Any) -> None:
    """Export posts (or, for warc and wacz, the raw captures) for research and safekeeping.

    Writes to a temporary name and renames when complete, then writes
    OUTPUT.manifest.json with counts, filters, the archive's id and the data's sha256.
    WARC exports hold raw captures, pages and their images, stylesheets, scripts and
    fonts (revisit records for repeated bodies), and take only --site, --since and
    --until (fetch dates). WACZ packs that WARC with its index and the posts as pages,
    for ReplayWeb.page and pywb.

    Example:

        civic-archive export -o corpus.jsonl.gz --since 2020 --with-comments

        civic-archive export --format parquet -o corpus.parquet --all-copies

        civic-archive export -o harrow.warc.gz --site harrow

        civic-archive export -o harrow.wacz --site harrow

        civic-archive export --format markdown -o notes/ --tag planning

        civic-archive export -o posts.csv --fold-newlines
    """
    from storage.export_formats import CsvOptions

    filters = make_filters(options)
    with user_errors():
        fmt = fmt or export_lib.guess_format(output)
        export_lib.check_request(fmt, output, filters)
        # Given only when asked for, so the library can refuse them for other formats.
        csv = (CsvOptions(lists=csv_lists or "joined", fold_newlines=fold_newlines)
               if csv_lists or fold_newlines else None)
    archive = app.archive
    with archive.Session.begin() as session:
        # Give the archive its identity first, in a short write: the export itself only
        # reads, so a crawl can keep writing while it runs.
        repo.archive_id(session)
    with user_errors(), archive.Session() as session:
        with _progress(app, session, fmt, filters, unique) as tick:
            result = export_lib.export(session, output, fmt, filters, unique=unique,
                                       with_comments=with_comments, with_images=with_images,
                                       archive_url=archive.display_url, progress=tick,
                                       csv=csv)
    where = "stdout" if output == "-" else result.output
    app.info(f"exported {result.records} {'captures' if fmt in export_lib.CAPTURE_FORMATS else 'records'} "
             f"to {where}" + (f" (manifest {result.manifest})" if result.manifest else ""))


@contextmanager
def _progress(app: AppContext, session: Any, fmt: str, filters: Any,
              unique: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, only for people watching a terminal (never under cron
    or ``-q``, never mixed into data on stdout)."""
    if app.quiet or not sys.stderr.isatty():
        yield None
        return
    total = export_lib.estimate(session, fmt, filters, unique=unique)
    with click.progressbar(length=total, label="exporting", file=sys.stderr,
                           show_pos=True) as bar:
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            bar.update(n - done)
            done = n

        yield tick
