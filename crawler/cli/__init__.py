"""The ``civic-archive`` command line: parse → call the library → render."""

from __future__ import annotations

import logging
import sys
from importlib.metadata import PackageNotFoundError, version

import click
from sqlalchemy.exc import SQLAlchemyError

from crawler.cli.context import AppContext
from storage.db import ArchiveError, mask_secrets, mask_url
from storage.lock import LockHeld

# Documented in the README ("Exit codes"); cron wrappers depend on them.
EXIT_PARTIAL = 3
EXIT_LOCKED = 4
EXIT_INTERRUPTED = 5
# The crawl finished but left URLs owed (failed fetches asked for again on the next run).
EXIT_OWED = 6

try:
    __version__ = version("civic-archive")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"


class ArchiveGroup(click.Group):
    """Turns library errors into one clear line on stderr (a traceback only with ``-v``)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LockHeld as exc:
            # Its own exit code, so cron wrappers can tell "busy" from "broken".
            click.echo(f"Error: {exc}", err=True)
            raise click.exceptions.Exit(EXIT_LOCKED) from None
        except ArchiveError as exc:
            if _verbose(ctx):
                raise
            raise click.ClickException(str(exc)) from None
        except SQLAlchemyError as exc:
            if _verbose(ctx):
                raise
            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise click.ClickException(f"database error: {mask_url(first)}") from None
        except OSError as exc:
            if _verbose(ctx):
                raise
            raise click.ClickException(str(exc)) from None


def _verbose(ctx: click.Context) -> bool:
    return isinstance(ctx.obj, AppContext) and ctx.obj.verbose > 0


def _no_traceback(record: logging.LogRecord) -> bool:
    """One line per failure on stderr; Scrapy logs some with exc_info, shown only with -v."""
    if record.exc_info and record.name.startswith(("scrapy.", "twisted")):
        error = record.exc_info[1]
        record.msg = f"{record.getMessage()} ({type(error).__name__})" if error else record.getMessage()
        record.args, record.exc_info, record.exc_text = (), None, None
    return True


def mask_record(record: logging.LogRecord) -> bool:
    """Mask database passwords in every log line, whoever logs it (Scrapy prints settings)."""
    message = record.getMessage()
    masked = mask_secrets(message)
    if masked != message:
        record.msg, record.args = masked, ()
    return True


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The level sits on the handler: Scrapy sets its own loggers to DEBUG, and their
    # records reach the root handlers whatever the root logger's level.
    handler.setLevel(level)
    if verbose == 0:
        handler.addFilter(_no_traceback)
    handler.addFilter(mask_record)
    logging.root.addHandler(handler)
    logging.root.setLevel(min(level, logging.INFO))


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="CIVIC_ARCHIVE_DB", metavar="PATH|URL",
              help="Archive to use: an SQLite file or an SQLAlchemy URL "
                   "[env CIVIC_ARCHIVE_DB; default ~/.local/share/civic-archive/archive.db].")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr (for cron).")
@click.version_option(__version__, prog_name="civic-archive")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int, quiet: bool) -> None:
    """Keep a faithful, searchable, deduplicated archive of civic blogs.

    Example:

        civic-archive demo

        civic-archive site add https://harrow-residents.example/ --name "Harrow residents"
    """
    _configure_logging(verbose, quiet)
    ctx.obj = AppContext(db=db, verbose=verbose, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from crawler.cli import admin, crawl, demo, sites, stories
    from crawler.cli import export as export_cli
    from crawler.cli import search as search_cli

    for command in (sites.site, admin.status, admin.db, demo.demo, crawl.crawl, crawl.runs,
                    crawl.reextract, stories.dedupe_command, stories.dupes, search_cli.search,
                    search_cli.show, search_cli.stats, export_cli.export):
        cli.add_command(command)

_register()


def main() -> None:
    cli(prog_name="civic-archive")
