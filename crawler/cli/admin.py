"""``civic-archive status`` and ``civic-archive db``: the archive itself."""

from __future__ import annotations

import json

import click

from crawler.cli.context import AppContext, pass_app
from storage import db as storage_db
from storage import queue, repo
from storage.crawl_state import owed_failures

# URLs still owed that ``status`` lists by name (``--json`` lists them all).
OWED_SHOWN = 20


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Say which archive is in use and what it holds.

    Example:

        civic-archive --db ./harrow.db status
    """
    archive = app.archive
    with archive.Session.begin() as session:
        facts = {"archive": archive.display_url, "archive_id": repo.archive_id(session),
                 "schema": storage_db.current_revision(archive.engine), **repo.summary(session),
                 "queue": queue.summary(session)}
        sites = {site.id: site.url for site in repo.list_sites(session)}
        facts["owed"] = [{"site": sites.get(row.site_id), "url": row.url, "reason": row.reason,
                          "failed_runs": row.failures, "first_failed_at": row.first_failed_at.isoformat(),
                          "last_failed_at": row.last_failed_at.isoformat()}
                         for row in owed_failures(session)]
    if as_json:
        click.echo(json.dumps(facts, indent=2))
        return
    click.echo(f"archive   {facts['archive']}")
    click.echo(f"schema    {facts['schema']}")
    for key in ("sites", "posts", "pages", "gone", "versions", "urls", "comments",
                "captures", "clusters", "related", "runs"):
        click.echo(f"{key:<9} {facts[key]}")
    last = facts["last_run"]
    if last:
        click.echo(f"last run  #{last['id']} {last['status']} started {last['started_at']}")
    _echo_owed(facts["owed"])
    _echo_queue(facts["queue"])


def _echo_owed(owed: list[dict]) -> None:
    """The URLs whose last fetch failed: asked for again by the next crawls."""
    click.echo(f"owed      {len(owed)}" + (" (failed fetches, asked again by the next crawl)" if owed else ""))
    for row in owed[:OWED_SHOWN]:
        runs = "run" if row["failed_runs"] == 1 else "runs"
        click.echo(f"  {row['url']}  {row['reason']}  ({row['failed_runs']} {runs}, "
                   f"since {row['first_failed_at'][:19]})")
    if len(owed) > OWED_SHOWN:
        click.echo(f"  … and {len(owed) - OWED_SHOWN} more (status --json lists them all)")


def _echo_queue(facts: dict) -> None:
    """The crawl queue (``civic-archive worker``): counts, who holds what, what failed."""
    counts = facts["counts"]
    if not any(counts.values()):
        return
    click.echo("queue     " + " · ".join(f"{counts[k]} {k}" for k in queue.STATES))
    for row in facts["running"]:
        click.echo(f"  running {row['site']}  owner {row['owner']}  for {row['age_s']} s"
                   f"  attempt {row['attempt']}  lease ends in {row['expires_in_s']} s")
    for row in facts["failed"]:
        click.echo(f"  failed  {row['site']}  after {row['attempts']} attempt(s): {row['error']}")


@click.group()
def db() -> None:
    """Manage the archive's database schema.

    Example:

        civic-archive --db postgresql+psycopg://archivist@localhost/civic db upgrade
    """


@db.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Apply pending schema migrations (commands also do this on first use).

    Example:

        civic-archive db upgrade
    """
    url = storage_db.resolve_url(app.db)
    engine = storage_db.make_engine(url)
    try:
        before, after = storage_db.upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        app.info(f"{storage_db.mask_url(url)}: schema already at {after}")
    else:
        app.info(f"{storage_db.mask_url(url)}: schema upgraded from {before or 'empty'} to {after}")
