"""``civic-archive browse``: the archive in Datasette, on this machine only."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import click

from crawler.cli.context import AppContext, pass_app


@click.command()
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True,
              help="Open a web browser at the archive.")
@pass_app
def browse(app: AppContext, port: int, open_browser: bool) -> None:
    """Browse and search the archive in Datasette (listening on 127.0.0.1 only).

    Needs the browse extra: pip install 'civic-archive[browse]'. Start with the
    post_summaries view (one short row per post, with a search box) or the canned
    queries: repeated stories, posts per author and year, text reuse, gone posts.
    Stop with Ctrl-C.

    Example:

        civic-archive --db ./harrow.db browse

        civic-archive browse --port 8080 --no-open
    """
    from storage import browse as browse_lib

    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install 'civic-archive[browse]'")
    archive = app.archive  # opening migrates, so the search tables are declared as Datasette expects
    path = browse_lib.sqlite_path(archive.url)
    metadata = browse_lib.datasette_metadata(browse_lib.database_name(path))
    with tempfile.TemporaryDirectory(prefix="civic-archive-browse-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
        app.info(f"opening {path} in Datasette on {browse_lib.LOOPBACK} (Ctrl-C stops it)")
        _serve(browse_lib.serve_arguments(path, metadata_file, port=port,
                                          open_browser=open_browser))


def _serve(arguments: list[str]) -> None:
    """Datasette's own ``serve`` command, in this process: its server stops on Ctrl-C or
    SIGTERM and returns here, so the temporary metadata file is removed."""
    from datasette.cli import serve

    serve.main(arguments, prog_name="datasette serve", standalone_mode=False)
