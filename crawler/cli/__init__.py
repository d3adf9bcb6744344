"""The ``civic-archive`` command line: parse → call the library → render.

Start-up time matters (an archivist runs many searches in a row): this module imports only
click, and each command's module, with what it needs, is imported when that command runs.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import click

from crawler.cli.context import AppContext

from crawler.exit_codes import (  # noqa: F401 - the CLI's codes, importable from here too
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OWED,
    EXIT_PARTIAL,
)

# name → (module, attribute, one-line help). The help line is shown by `civic-archive --help`
# without importing the command's module; tests check it matches the command's docstring.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "browse": ("crawler.cli.browse", "browse",
               "Browse and search the archive in Datasette (listening on 127.0.0.1 only)."),
    "crawl": ("crawler.cli.crawl", "crawl",
              "Crawl blogs into the archive (new sites are added first)."),
    "db": ("crawler.cli.admin", "db", "Manage the archive's database schema."),
    "dedupe": ("crawler.cli.stories", "dedupe_command",
               "Re-cluster the whole archive from stored text (crawls already do this as they go)."),
    "demo": ("crawler.cli.demo", "demo",
             "Generate a sample civic blog, serve it on 127.0.0.1, crawl, deduplicate, search and "
             "export it with the real pipeline, and report what was archived."),
    "dupes": ("crawler.cli.stories", "dupes",
              "List repeated stories (clusters), or with --related the posts that reuse others' text."),
    "export": ("crawler.cli.export", "export",
               "Export posts (or, for warc and wacz, the raw captures) for research and safekeeping."),
    "queue": ("crawler.cli.worker", "queue_group",
              "Fill the shared crawl queue that workers take sites from."),
    "reextract": ("crawler.cli.crawl", "reextract",
                  "Rebuild posts from stored captures with the current extractors (no network)."),
    "runs": ("crawler.cli.crawl", "runs", "List recorded crawl runs, newest first."),
    "search": ("crawler.cli.search", "search",
               "Full-text search of post titles and bodies (or comments with --in comments)."),
    "show": ("crawler.cli.search", "show",
             "Show one post: metadata, text, URLs and aliases, story cluster and related posts."),
    "site": ("crawler.cli.sites", "site", "Add, list and remove the blogs the archive crawls."),
    "stats": ("crawler.cli.search", "stats",
              "Count what the archive holds: posts per site, year and author, story clusters, "
              "related pairs, captures and the last crawl runs."),
    "status": ("crawler.cli.admin", "status", "Say which archive is in use and what it holds."),
    "worker": ("crawler.cli.worker", "worker",
               "Crawl sites from the shared queue, one at a time, until stopped."),
}


def _sqlalchemy_error(exc: BaseException) -> bool:
    # Only a command that opened the archive can raise one, and it has imported SQLAlchemy.
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


class LazyGroup(click.Group):
    """Loads each command on first use, and turns library errors into one clear line on
    stderr (a traceback only with ``-v``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in COMMANDS:
            module, attribute, _ = COMMANDS[name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2] if name in COMMANDS and name not in self.commands
                 else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, _shorten(h, limit)) for n, h in rows])

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from storage.errors import ArchiveError, LockHeld

        try:
            return super().invoke(ctx)
        except LockHeld as exc:
            # Its own exit code, so cron wrappers can tell "busy" from "broken".
            click.echo(f"Error: {exc}", err=True)
            raise click.exceptions.Exit(EXIT_LOCKED) from None
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, with the status a shell shows
            # for a command that SIGPIPE ended. Point stdout at /dev/null so the interpreter's
            # final flush does not fail again (the recipe in Python's `signal` docs).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except ArchiveError as exc:
            if _verbose(ctx):
                raise
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if _verbose(ctx):
                raise
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if not _sqlalchemy_error(exc) or _verbose(ctx):
                raise
            from storage.errors import mask_url

            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise click.ClickException(f"database error: {mask_url(first)}") from None


def _shorten(line: str, limit: int) -> str:
    """The line cut at a word to fit ``limit`` characters, as Click shortens command help."""
    if len(line) <= limit:
        return line
    return line[: max(limit - 3, 1)].rsplit(" ", 1)[0].rstrip(" ,;.") + "..."


def _verbose(ctx: click.Context) -> bool:
    return isinstance(ctx.obj, AppContext) and ctx.obj.verbose > 0


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="CIVIC_ARCHIVE_DB", metavar="PATH|URL",
              help="Archive to use: an SQLite file or an SQLAlchemy URL "
                   "[env CIVIC_ARCHIVE_DB; default ~/.local/share/civic-archive/archive.db].")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr (for cron).")
@click.version_option(package_name="civic-archive", prog_name="civic-archive")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int, quiet: bool) -> None:
    """Keep a faithful, searchable, deduplicated archive of civic blogs.

    Example:

        civic-archive demo

        civic-archive site add https://harrow-residents.example/ --name "Harrow residents"
    """
    from crawler.cli.logs import configure_logging

    configure_logging(verbose, quiet)
    ctx.obj = AppContext(db=db, verbose=verbose, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    cli(prog_name="civic-archive")
