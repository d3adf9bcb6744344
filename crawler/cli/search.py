"""``civic-archive search``, ``show`` and ``stats``: finding things in the archive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from crawler.cli.context import AppContext, pass_app
from crawler.cli.output import output_options, render
from storage import search as search_lib
from storage.search_filters import STATUSES, Filters, parse_date
from storage.search_show import post_detail
from storage.search_sql import SORTS
from storage.json_text import dumps
from storage.search_stats import archive_stats

BOLD, RESET = "\x1b[1m", "\x1b[22m"


def to_json(value: Any) -> str:
    """Pretty JSON with ISO 8601 datetimes."""
    return dumps(value, indent=2)


@contextmanager
def user_errors() -> Iterator[None]:
    """The library's ValueError (a query or option it cannot use) as one line."""
    try:
        yield
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The post filters search and export share."""
    options = [
        click.option("--site", "sites", multiple=True, metavar="SITE",
                     help="Only this site: id, URL or name (repeatable: any of them)."),
        click.option("--author", "authors", multiple=True, help="Only this author (repeatable)."),
        click.option("--tag", "tags", multiple=True, help="Only posts with this tag (repeatable)."),
        click.option("--category", "categories", multiple=True,
                     help="Only posts in this category (repeatable)."),
        click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY[-MM[-DD]])."),
        click.option("--status", type=click.Choice(STATUSES), default="live", show_default=True,
                     help="Posts still online, gone from the web, or all."),
        click.option("--include-pages", is_flag=True, help="Also static pages (About, Contact…)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_filters(options: dict[str, Any]) -> Filters:
    """Filters from the values of :func:`filter_options` (removed from ``options``)."""
    since, until = options.pop("since"), options.pop("until")
    with user_errors():
        return Filters(
            sites=options.pop("sites"), authors=options.pop("authors"), tags=options.pop("tags"),
            categories=options.pop("categories"), status=options.pop("status"),
            include_pages=options.pop("include_pages"),
            since=parse_date(since) if since else None,
            until=parse_date(until, end=True) if until else None,
        )


# Unknown options pass through as the query, so `search "-closure library"` is a query.
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@click.option("--in", "target", type=click.Choice(["posts", "comments"]), default="posts",
              show_default=True, help="Search post titles and bodies, or comments.")
@filter_options
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many hits (paging).")
@click.option("--all-copies", is_flag=True,
              help="List every copy of a story, not one hit per story cluster.")
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL instead of running it.")
@output_options
@pass_app
def search(app: AppContext, query: str, target: str, sort: str, limit: int, offset: int,
           all_copies: bool, show_sql: bool, fmt: str, **options: Any) -> None:
    """Full-text search of post titles and bodies (or comments with --in comments).

    QUERY: words (all must match), "exact phrases", OR between alternatives, -word to
    exclude, prefix* for word beginnings. Title matches rank above body matches. One hit
    per story: copies of a story on other sites are counted, not listed (--all-copies).

    Example:

        civic-archive search 'library "opening hours" -closure' --site harrow --since 2023

        civic-archive search 'flood*' --in comments --format jsonl
    """
    filters = make_filters(options)
    with user_errors(), app.archive.Session() as session:
        request = search_lib.prepare(session, query, filters, target=target, sort=sort,
                                     limit=limit, offset=offset, all_copies=all_copies)
        if show_sql:
            _print_sql(*search_lib.sql_text(session, request))
            return
        highlight = (BOLD, RESET) if fmt == "table" else search_lib.DEFAULT_HIGHLIGHT
        hits = search_lib.run(session, request, highlight)
    _render_hits([h.as_dict() for h in hits], fmt, target)
    more = f" (more with --offset {offset + limit})" if len(hits) == limit else ""
    app.info(f"{len(hits)} hit{'s' * (len(hits) != 1)}{more}")


def _print_sql(sql: str, params: dict[str, object]) -> None:
    click.echo(sql.rstrip() + ";")
    for name, value in params.items():
        click.echo(f"-- {name} = {value!r}")


def _render_hits(rows: list[dict[str, Any]], fmt: str, target: str) -> None:
    fields = search_lib.COMMENT_HIT_FIELDS if target == "comments" else search_lib.POST_HIT_FIELDS
    if fmt != "table":
        render(rows, fmt, fields)
        return
    width = max([len(str(r["id"])) for r in rows] + [2])
    for row in rows:
        date = row["published"].strftime("%Y-%m-%d") if row["published"] else "????-??-??"
        title = row.get("title") or row.get("post_title") or "(untitled)"
        also = f"  (also at {row['copies']} other URL{'s' * (row['copies'] != 1)})" \
            if row.get("copies") else ""
        who = f" — {row['author']}" if target == "comments" and row["author"] else ""
        click.echo(f"{row['id']:>{width}}  {date}  {row['site_name']}  "
                   f"{click.style(title, bold=True)}{who}{also}")
        click.echo(" " * (width + 2) + " ".join(row["snippet"].split()))


@click.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--comments", is_flag=True, help="Also the comments, threaded.")
@click.option("--history", is_flag=True, help="Also every version, with diffs between them.")
@click.option("--html", is_flag=True, help="Also the stored (sanitized) HTML.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--json", "fmt", flag_value="json", help="Shortcut for --format json.")
@pass_app
def show(app: AppContext, ref: str, comments: bool, history: bool, html: bool, fmt: str) -> None:
    """Show one post: metadata, text, URLs and aliases, story cluster and related posts.

    Example:

        civic-archive show 1234 --comments

        civic-archive show https://harrow-residents.example/?p=88 --history --format json
    """
    with app.archive.Session() as session:
        detail = post_detail(session, ref, comments=comments, history=history, html=html)
    if fmt == "json":
        click.echo(to_json(detail))
        return
    for line in _detail_lines(detail):
        click.echo(line)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _detail_lines(d: dict[str, Any]) -> Iterator[str]:
    yield click.style(d["title"] or "(untitled)", bold=True)
    yield f"id          {d['id']} ({d['kind']}, {d['status']})"
    yield f"url         {d['url']}"
    yield f"site        {d['site_name']}  {d['site']}"
    yield f"author      {', '.join(d['authors']) or d['author'] or '-'}"
    yield f"published   {_when(d['published'])}   modified {_when(d['modified'])}"
    yield f"seen        {_when(d['first_seen'])} → {_when(d['last_seen'])}"
    yield f"categories  {', '.join(d['categories']) or '-'}"
    yield f"tags        {', '.join(d['tags']) or '-'}"
    yield f"words       {d['word_count']}   sha256 {d['sha256']}"
    yield "urls"
    for u in d["urls"]:
        yield f"  {u['url']}  [{', '.join(u['found_via'])}]"
    yield from _cluster_lines(d["cluster"], d["id"])
    yield from _image_lines(d["images"], d["requisites"])
    for r in d["related"]:
        verb = "reuses" if r["relation"] == "reuses" else "is reused by"
        yield f"related     {verb} #{r['id']} ({r['shared_fraction']:.0%}) {r['title']}"
    yield ""
    yield d["text"]
    for extra in ("comments", "versions", "html"):
        if extra in d:
            yield from _EXTRA_LINES[extra](d[extra])


def _image_lines(images: list[dict[str, Any]], requisites: dict[str, int]) -> Iterator[str]:
    if images:
        yield "images"
    for image in images:
        if image["status"] == "stored":
            note = f"stored, {image['size']} bytes, {image['content_type'] or 'untyped'}"
        else:
            note = image["status"] + (f": {image['reason']}" if image["reason"] else "")
        yield f"  {image['url']}  [{note}]"
    others = {k: n for k, n in requisites.items() if not k.startswith("image/")}
    if others:
        yield "page files  " + ", ".join(f"{n} {k.replace('/', ' ')}" for k, n in sorted(others.items()))


def _cluster_lines(cluster: dict[str, Any] | None, own_id: int) -> Iterator[str]:
    if not cluster:
        return
    yield f"story       cluster {cluster['id']} with {len(cluster['members'])} members"
    for m in cluster["members"]:
        mark = "*" if m["canonical"] else " "
        me = "  (this post)" if m["id"] == own_id else ""
        sim = f"{m['similarity']:.2f}" if m["similarity"] is not None else "-"
        yield f"  {mark} #{m['id']}  {m['url']}  {m['method'] or ''} {sim}{me}"


def _comment_lines(comments: list[dict[str, Any]], depth: int = 0) -> Iterator[str]:
    if depth == 0:
        yield ""
        yield click.style("Comments", bold=True)
    for c in comments:
        pad = "  " * (depth + 1)
        yield f"{pad}{c['author'] or 'anonymous'} · {_when(c['published'])} · #{c['id']}"
        for line in c["text"].splitlines():
            yield f"{pad}  {line}"
        yield from _comment_lines(c["replies"], depth + 1)


def _version_lines(versions: list[dict[str, Any]]) -> Iterator[str]:
    yield ""
    yield click.style("History", bold=True)
    for v in versions:
        yield f"version {v['number']}  seen {_when(v['seen_at'])}  sha256 {v['sha256'][:12]}"
        if v["diff"]:
            yield v["diff"]


def _html_lines(html: str) -> Iterator[str]:
    yield ""
    yield click.style("HTML", bold=True)
    yield html


_EXTRA_LINES: dict[str, Callable[[Any], Iterator[str]]] = {
    "comments": _comment_lines, "versions": _version_lines, "html": _html_lines,
}


@click.command()
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="How many authors to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--json", "fmt", flag_value="json", help="Shortcut for --format json.")
@pass_app
def stats(app: AppContext, top: int, fmt: str) -> None:
    """Count what the archive holds: posts per site, year and author, story clusters,
    related pairs, captures and the last crawl runs.

    Example:

        civic-archive stats --top 20

        civic-archive stats --format json
    """
    with app.archive.Session() as session:
        facts = archive_stats(session, top=top)
    if fmt == "json":
        click.echo(to_json(facts))
        return
    for line in _stats_lines(facts):
        click.echo(line)


def _stats_lines(f: dict[str, Any]) -> Iterator[str]:
    yield "  ".join(f"{k} {v}" for k, v in f["totals"].items())
    yield from _section("posts per site", [
        f"{s['name']:<24} {s['posts']:>8} posts {s['pages']:>5} pages {s['gone']:>6} gone"
        for s in f["sites"]])
    yield from _section("posts per year", [f"{y['year'] or '-':<6} {y['posts']:>8}" for y in f["years"]])
    yield from _section("top authors", [f"{a['author']:<30} {a['posts']:>8}" for a in f["authors"]])
    c, r, k = f["clusters"], f["related"], f["captures"]
    yield from _section("stories", [
        f"{c['with_members']} clusters hold {c['clustered_posts']} posts (largest {c['largest']})",
        f"{r['pairs']} related pairs (mean shared fraction {r['mean_shared_fraction'] or 0})",
        f"{k['captures']} captures, {k['bytes']:,} bytes"
        + "".join(f", {n} × HTTP {s}" for s, n in k["by_status"].items())])
    yield from _section("last runs", [
        f"#{run['id']:<5} {run['site'] or '-':<20} {run['status']:<11} {_when(run['started_at'])}"
        for run in f["runs"]])


def _section(title: str, lines: list[str]) -> Iterator[str]:
    yield ""
    yield click.style(title, bold=True)
    yield from (f"  {line}" for line in lines or ["(none)"])
