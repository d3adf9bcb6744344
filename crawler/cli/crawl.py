"""``civic-archive crawl`` and ``civic-archive runs``."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import Any

import click

from crawler import exit_codes
from crawler.cli.context import AppContext, pass_app
from crawler.cli.logs import log_to_file
from crawler.cli.output import output_options, render
from crawler.run_stats import RunStats
from storage import repo
from storage.db import ArchiveError
from storage.lock import crawl_lock
from storage.models import CrawlRun



@click.command()
@click.argument("urls", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site in the archive.")
@click.option("--full", is_flag=True,
              help="Re-walk everything instead of fetching only what may have changed.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting for this crawl, as `scrapy crawl -s` does.")
@click.option("--loopback", is_flag=True,
              help="No politeness delay (for blogs served on this machine, e.g. tests).")
@click.option("--log-file", type=click.Path(dir_okay=False), metavar="PATH",
              help="Also write the crawl's log (info level) to this file.")
@pass_app
def crawl(app: AppContext, urls: tuple[str, ...], all_sites: bool, full: bool,
          settings: tuple[str, ...], loopback: bool, log_file: str | None) -> None:
    """Crawl blogs into the archive (new sites are added first). A recrawl fetches only what
    may have changed; one failing site does not stop the others.

    Exit codes: 0 every site crawled, 1 fatal error, 2 usage error, 3 some sites failed,
    4 another crawl holds the archive's lock, 5 interrupted (SIGINT/SIGTERM), 6 every site
    crawled but some URLs failed and are owed (asked for again on the next run).

    Example:

        civic-archive crawl https://harrow-residents.example/

        civic-archive -q crawl --all --log-file ~/civic-archive.log
    """
    from crawler.process import LOOPBACK_SETTINGS, CrawlTarget, project_settings, run_crawls

    if not urls and not all_sites:
        raise click.UsageError("give one or more blog URLs, or --all")
    overrides: dict[str, Any] = dict(LOOPBACK_SETTINGS) if loopback else {}
    overrides.update(_parse_settings(settings))
    if log_file:
        log_to_file(log_file)
    archive = app.archive
    with crawl_lock(archive):
        with archive.Session.begin() as session:
            sites = ([repo.get_or_add_site(session, u) for u in urls] if urls
                     else repo.list_sites(session))
            if not sites:
                raise ArchiveError("no sites in the archive: add one with `civic-archive site add URL`")
            targets = [CrawlTarget(s.url, dict(s.settings), tuple(s.aliases)) for s in sites]
            last_run = repo.last_run_id(session)
        if sys.stderr.isatty() and not app.quiet:
            overrides.setdefault("CIVIC_ARCHIVE_PROGRESS", True)
        run_crawls(project_settings(archive.url, overrides), targets, full=full)
    with archive.Session() as session:
        runs = repo.runs_after(session, last_run)
        names = {s.id: s.url for s in repo.list_sites(session)}
    _report(app, runs, names)
    sys.exit(exit_codes.for_crawl(runs, len(targets)))


def _owed(run: CrawlRun) -> int:
    return RunStats.read(run.stats).owed


def _report(app: AppContext, runs: list[CrawlRun], names: dict[int, str]) -> None:
    """A line per site on a terminal; one summary line otherwise (cron mails only that)."""
    failed = [run for run in runs if run.status != "finished" or _owed(run)]
    if sys.stderr.isatty() or failed:
        for run in runs if sys.stderr.isatty() else failed:
            if not app.quiet or run in failed:
                click.echo(summary_line(run, names.get(run.site_id, "?")), err=True)
    if not sys.stderr.isatty() and not app.quiet:
        total = RunStats.total(RunStats.read(run.stats) for run in runs)
        ok = sum(1 for run in runs if run.status == "finished")
        parts = [f"civic-archive crawl: {ok}/{len(runs)} sites ok", f"{total.pages} pages",
                 f"{total.new} new", f"{total.changed} changed", f"{total.gone} gone",
                 *_skips_and_errors(total), *_owed_part(total)]
        click.echo(" · ".join(parts), err=True)


def _counted(label: str, counts: Counter[str]) -> list[str]:
    """``label reason N, …`` for the non-zero counts, or nothing."""
    shown = sorted((k, v) for k, v in counts.items() if v)
    return [label + " " + ", ".join(f"{k} {v}" for k, v in shown)] if shown else []


def _skips_and_errors(stats: RunStats) -> list[str]:
    """``skipped <reason> N, …`` and ``N errors`` parts of a summary."""
    return _counted("skipped", stats.skipped) + ([f"{stats.errors} errors"] if stats.errors else [])


def _owed_part(stats: RunStats) -> list[str]:
    """``N URLs owed (http_503 2, empty_body 1)``: failed fetches left for the next run."""
    reasons = +stats.owed_reasons
    if not reasons:
        return []
    detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
    return [f"{sum(reasons.values())} URLs owed ({detail})"]


def summary_line(run: CrawlRun, site: str) -> str:
    stats = RunStats.read(run.stats)
    parts = [f"{site}: run #{run.id} {run.status}", f"{stats.pages} pages", f"{stats.new} new",
             f"{stats.changed} changed", f"{stats.unchanged} unchanged", f"{stats.gone} gone"]
    if stats.duplicates:
        parts.append(f"{stats.duplicates} duplicates")
    return " · ".join(parts + _skips_and_errors(stats) + _counted("refused", stats.refused)
                      + _owed_part(stats))


def _run_row(run: CrawlRun, site: str | None) -> dict[str, Any]:
    stats = RunStats.read(run.stats)
    return {"id": run.id, "site": site, "status": run.status, "started_at": run.started_at,
            "finished_at": run.finished_at, "pages": stats.pages, "new": stats.new,
            "changed": stats.changed, "gone": stats.gone, "owed": stats.owed,
            "owed_urls": stats.owed_urls, "stats": run.stats}


def _parse_settings(items: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-s")
        parsed[name.strip()] = value
    return parsed


@click.command()
@click.option("--last", "last", type=int, default=20, show_default=True, help="How many runs.")
@output_options
@pass_app
def runs(app: AppContext, last: int, fmt: str) -> None:
    """List recorded crawl runs, newest first.

    Example:

        civic-archive runs --last 5 --format json
    """
    with app.archive.Session() as session:
        names = {s.id: s.url for s in repo.list_sites(session)}
        rows = [_run_row(r, names.get(r.site_id)) for r in repo.latest_runs(session, last)]
    render(rows, fmt, ["id", "site", "status", "started_at", "finished_at", "pages", "new",
                       "changed", "gone", "owed"])


@click.command()
@click.option("--site", "site_ref", metavar="SITE", help="Only this site (id, URL or name).")
@pass_app
def reextract(app: AppContext, site_ref: str | None) -> None:
    """Rebuild posts from stored captures with the current extractors (no network).

    Example:

        civic-archive reextract --site harrow
    """
    from crawler.reextract import latest_capture_ids, reextract as run_reextract

    site_id = None
    if site_ref:
        with app.archive.Session() as session:
            found = repo.find_site(session, site_ref)
            if found is None:
                raise ArchiveError(f"no such site: {site_ref}")
            site_id = found.id
    total = len(latest_capture_ids(app.archive, site_id))
    show = sys.stderr.isatty() and not app.quiet
    with crawl_lock(app.archive), click.progressbar(
            length=total, label="re-extracting", file=sys.stderr, hidden=not show) as bar:
        counts = run_reextract(app.archive, site_id, progress=bar.update)
    app.info("re-extracted {} captures: ".format(total)
             + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
