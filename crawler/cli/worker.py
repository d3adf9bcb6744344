"""``civic-archive worker`` and ``civic-archive queue``: crawling on many machines."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from crawler.cli.context import AppContext, pass_app
from crawler.exit_codes import EXIT_UNREACHABLE
from crawler.cli.logs import log_to_file
from storage.errors import ArchiveError

# Documented in the README ("Exit codes"): the archive stayed away past --max-outage.


@click.command()
@click.option("--name", metavar="NAME", help="Lease owner shown by `status` [default: host:pid].")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting for every site, as `crawl -s` does.")
@click.option("--loopback", is_flag=True,
              help="No politeness delay (for blogs served on this machine, e.g. tests).")
@click.option("--until-empty", is_flag=True,
              help="Stop once no site is pending or running, instead of waiting for more.")
@click.option("--lease", type=float, default=120, show_default=True, metavar="SECONDS",
              help="A site is taken from a worker that sends no heartbeat for this long.")
@click.option("--max-attempts", type=int, default=3, show_default=True,
              help="Failed attempts before a site is marked failed.")
@click.option("--backoff", type=float, default=300, show_default=True, metavar="SECONDS",
              help="Wait before a failed site is tried again (doubled per attempt).")
@click.option("--site-timeout", type=float, default=6 * 3600, show_default=True,
              metavar="SECONDS", help="Stop an attempt still running after this long.")
@click.option("--max-outage", type=float, default=600, show_default=True, metavar="SECONDS",
              help="Wait this long for an unreachable archive, then exit with code 7.")
@click.option("--poll", type=float, default=30, show_default=True, metavar="SECONDS",
              help="How often an idle worker asks the queue again.")
@click.option("--log-file", type=click.Path(dir_okay=False), metavar="PATH",
              help="Also write the log (info level) to this file.")
@pass_app
def worker(app: AppContext, name: str | None, settings: tuple[str, ...], loopback: bool,
           until_empty: bool, lease: float, max_attempts: int, backoff: float,
           site_timeout: float, max_outage: float, poll: float, log_file: str | None) -> None:
    """Crawl sites from the shared queue, one at a time, until stopped.

    Run any number of workers, on any number of machines, against one PostgreSQL archive;
    `civic-archive queue add --all` fills the queue. SIGTERM or Ctrl-C drains the worker (it
    finishes the site in hand, then exits 0); a second one stops the crawl in hand and gives
    the site back. Exit codes: 0 drained or queue empty, 6 archive unreachable past
    --max-outage.

    Example:

        civic-archive --db postgresql+psycopg://archivist@db.example/civic worker
    """
    from crawler.cli.crawl import _parse_settings
    from crawler.worker import ArchiveUnreachable, Worker, WorkerConfig, open_archive_waiting

    if lease <= 0 or max_attempts < 1 or site_timeout <= 0:
        raise click.UsageError("--lease and --site-timeout must be positive, --max-attempts at least 1")
    overrides: dict[str, Any] = {}
    if loopback:
        from crawler.process import LOOPBACK_SETTINGS

        overrides.update(LOOPBACK_SETTINGS)
    overrides.update(_parse_settings(settings))
    if log_file:
        log_to_file(log_file)
    config = WorkerConfig(lease=lease, max_attempts=max_attempts, backoff=backoff,
                          site_timeout=site_timeout, max_outage=max_outage, poll=poll,
                          until_empty=until_empty, overrides=overrides, log_file=log_file,
                          verbose=app.verbose, quiet=app.quiet)
    archive = None
    try:
        archive = open_archive_waiting(app.db, max_outage)
        crawler_worker = Worker(archive, config, owner=name)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: crawler_worker.drain())
        counts = crawler_worker.run()
    except ArchiveUnreachable as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_UNREACHABLE)
    finally:
        if archive is not None:
            archive.dispose()
    app.info("civic-archive worker: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@click.group("queue")
def queue_group() -> None:
    """Fill the shared crawl queue that workers take sites from.

    Example:

        civic-archive queue add --all
    """


@queue_group.command("add")
@click.argument("urls", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Queue every site in the archive.")
@click.option("--full", is_flag=True, help="Re-walk everything instead of a recrawl.")
@pass_app
def queue_add(app: AppContext, urls: tuple[str, ...], all_sites: bool, full: bool) -> None:
    """Queue sites for the workers (new sites are added first). A site already pending or
    running stays as it is, so a nightly cron line can run this whatever is in hand.

    Example:

        civic-archive queue add --all
    """
    from storage import queue, repo

    if not urls and not all_sites:
        raise click.UsageError("give one or more blog URLs, or --all")
    with app.archive.Session.begin() as session:
        sites = ([repo.get_or_add_site(session, u) for u in urls] if urls
                 else repo.list_sites(session))
        if not sites:
            raise ArchiveError("no sites in the archive: add one with `civic-archive site add URL`")
        counts = queue.enqueue(session, sites, full=full)
    app.info(f"queued {counts['queued']} site(s); {counts['already']} already pending or running")


@queue_group.command("retry")
@pass_app
def queue_retry(app: AppContext) -> None:
    """Queue the failed sites again with fresh attempts.

    Example:

        civic-archive queue retry
    """
    from storage import queue

    with app.archive.Session.begin() as session:
        count = queue.retry_failed(session)
    app.info(f"queued {count} failed site(s) again")
