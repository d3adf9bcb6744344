"""``civic-archive site``: the blogs the archive follows."""

from __future__ import annotations

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import output_options, render
from storage import repo
from storage.db import ArchiveError


@click.group()
def site() -> None:
    """Add, list and remove the blogs the archive crawls.

    Example:

        civic-archive site add https://harrow-residents.example/ --name "Harrow residents"
    """


@site.command("add")
@click.argument("url")
@click.option("--name", help="A short name to refer to the site by "
                             "[default: the name the blog gives itself, learnt on crawl].")
@click.option("--alias", "aliases", multiple=True, metavar="HOST",
              help="Another host the blog has lived on (repeatable).")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A crawl setting for this site, e.g. DOWNLOAD_DELAY=5 (repeatable).")
@pass_app
def site_add(app: AppContext, url: str, name: str | None, aliases: tuple[str, ...],
             settings: tuple[str, ...]) -> None:
    """Add a blog to the archive.

    Example:

        civic-archive site add https://harrow-residents.example/ --name harrow --set DOWNLOAD_DELAY=5
    """
    parsed = dict(_parse_setting(s) for s in settings)
    with app.archive.Session.begin() as session:
        added = repo.add_site(session, url, name, aliases=aliases, settings=parsed)
        click.echo(f"{added.id}\t{added.url}\t{added.name}")


def _parse_setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"expected NAME=VALUE, got {text!r}", param_hint="--set")
    return name.strip(), value.strip()


@site.command("list")
@output_options
@pass_app
def site_list(app: AppContext, fmt: str) -> None:
    """List the blogs in the archive with their post counts.

    Example:

        civic-archive site list --format json
    """
    with app.archive.Session() as session:
        counts = repo.post_counts_by_site(session)
        rows = [{"id": s.id, "name": s.name, "url": s.url, "platform": s.platform,
                 "posts": counts.get(s.id, 0), "aliases": s.aliases, "settings": s.settings,
                 "added_at": s.added_at} for s in repo.list_sites(session)]
    render(rows, fmt, ["id", "name", "url", "platform", "posts"])


@site.command("remove")
@click.argument("site_ref", metavar="SITE")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def site_remove(app: AppContext, site_ref: str, yes: bool) -> None:
    """Remove a blog and everything archived from it (by id, URL or name).

    Example:

        civic-archive site remove harrow --yes
    """
    with app.archive.Session.begin() as session:
        found = repo.find_site(session, site_ref)
        if found is None:
            raise ArchiveError(f"no such site: {site_ref}")
        if not yes:
            click.confirm(f"Remove {found.url} and all its posts?", abort=True, err=True)
        repo.remove_site(session, found)
    app.info(f"removed {found.url}")
