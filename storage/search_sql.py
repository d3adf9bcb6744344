"""Pure SQL builders for search: (dialect, parsed query, filters) → a SELECT, no database.

SQLite ranks with FTS5 ``bm25`` (title weighted 10, body 1) and cuts snippets with
``snippet``; PostgreSQL ranks with ``ts_rank`` (weights A=1.0 title, B=0.1 body) and cuts
them with ``ts_headline``. Snippets are made only for the page of hits returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BindParameter, ColumnElement, FromClause, Select, bindparam, case, column, func, literal,
    literal_column, select, table,
)

from storage.models import Cluster, Comment, Post, Site
from storage.search_filters import (
    DEFAULT_FILTERS, Filters, dated_clauses, post_clauses, representative,
)
from storage.search_query import Query, to_fts5, to_tsquery

SORTS = ("relevance", "newest", "oldest")
PG_CONFIG = "english"  # the text search configuration migration 0002 indexes with
TARGETS = ("posts", "comments")
# Snippet highlight markers: control characters no archived text contains; the caller
# swaps in the markers it wants.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 24
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
PG_WEIGHTS = "'{0.0, 0.0, 0.1, 1.0}'::float4[]"  # D, C, B (body), A (title)
PG_HEADLINE = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=18, "
               "MinWords=6, FragmentDelimiter=\" … \"")

posts = Post.__table__
member = posts.alias("member")  # built once: an alias copies every column
sites = Site.__table__
clusters = Cluster.__table__
comments = Comment.__table__


@dataclass(frozen=True)
class SearchRequest:
    """One search: what to look for, where, in which order and which page."""

    query: Query
    filters: Filters = DEFAULT_FILTERS
    site_ids: tuple[int, ...] = ()
    target: str = "posts"
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    all_copies: bool = False
    # Rank only this many best matches before filtering and collapsing stories (see
    # storage.search.plan); None ranks every match.
    candidates: int | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.target not in TARGETS:
            raise ValueError(f"can search {' or '.join(TARGETS)}, not {self.target!r}")
        if not 1 <= self.limit <= 10_000:
            raise ValueError(f"limit must be between 1 and 10000, not {self.limit}")
        if self.offset < 0:
            raise ValueError(f"offset must not be negative, not {self.offset}")


class _Backend:
    """How one dialect matches, scores and highlights rows of one indexed table."""

    def __init__(self, dialect: str, indexed: FromClause, query: Query) -> None:
        self.pg = dialect == "postgresql"
        self.indexed = indexed
        self.fts = literal_column(f"{indexed.name}_fts")
        self.expression: BindParameter[str] = bindparam(
            "query", to_tsquery(query) if self.pg else to_fts5(query))
        self.tsquery = func.to_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), self.expression)
        self.vector = literal_column(f"{indexed.name}.search_vector")
        self.has_prefix = any(term.prefix for term in query.terms())

    def matches(self, weights: tuple[float, ...], best: int | None = None) -> FromClause:
        """(id, score) of the matching rows (the ``best`` ones only, if given); higher
        scores are better."""
        if self.pg:
            score = func.ts_rank(literal_column(PG_WEIGHTS), self.vector, self.tsquery).label("score")
            query = select(self.indexed.c.id, score).where(self.vector.op("@@")(self.tsquery))
            ident = self.indexed.c.id
        else:
            fts = table(f"{self.indexed.name}_fts", column("rowid"))
            score = (-func.bm25(self.fts, *weights)).label("score")
            query = select(fts.c.rowid.label("id"), score).where(self.fts.match(self.expression))
            ident = fts.c.rowid
        if best is not None:
            # Ordering by the label lets the database compute each score once.
            query = query.order_by(score.desc(), ident).limit(best)
        return query.subquery("matches")

    def found(self) -> Select:
        """The ids of the matching rows, unranked."""
        if self.pg:
            return select(self.indexed.c.id).where(self.vector.op("@@")(self.tsquery))
        fts = table(f"{self.indexed.name}_fts", column("rowid"))
        return select(fts.c.rowid.label("id")).where(self.fts.match(self.expression))

    def matches_row(self, row: FromClause) -> ColumnElement[bool]:
        """Whether ``row`` (an alias of the indexed table) matches too: a probe, not a scan."""
        if self.pg:
            return literal_column(f"{row.name}.search_vector").op("@@")(self.tsquery)
        fts = table(f"{self.indexed.name}_fts", column("rowid"))
        return (select(fts.c.rowid).where(self.fts.match(self.expression), fts.c.rowid == row.c.id)
                .exists())

    def scans_for_snippets(self) -> bool:
        """Whether the page's snippets should come from one scan of the matches rather than
        one ``rowid =`` probe per hit: each FTS5 probe re-expands a prefix term over every
        indexed word it starts (measured at 1M posts: 135 ms for 20 probes of ``paif*``
        against 13 ms for one scan), while for plain words a probe is the cheaper."""
        return not self.pg and self.has_prefix

    def snippet(self, row_id: ColumnElement[int], text: ColumnElement[str],
                column_index: int) -> ColumnElement[str]:
        if self.pg:
            return func.ts_headline(literal_column(f"'{PG_CONFIG}'::regconfig"), text,
                                    self.tsquery, literal(PG_HEADLINE))
        fts = table(f"{self.indexed.name}_fts", column("rowid"))
        # A correlated lookup, so FTS5 builds snippets only for the returned page.
        return (select(self._cut(column_index)).select_from(fts)
                .where(self.fts.match(self.expression), fts.c.rowid == row_id).scalar_subquery())

    def page_snippets(self, top: FromClause, column_index: int) -> FromClause:
        """(id, snippet) of the rows of ``top`` (a CTE) from one scan of the matches.
        ``rowid + 0`` keeps the IN list away from FTS5, which would otherwise turn it into
        one probe per id; MATERIALIZED keeps SQLite from flattening this into the page's
        join, which would probe again."""
        fts = table(f"{self.indexed.name}_fts", column("rowid"))
        return (select(fts.c.rowid.label("id"), self._cut(column_index).label("snippet"))
                .where(self.fts.match(self.expression), (fts.c.rowid + 0).in_(select(top.c.id)))
                .cte(f"{top.name}_snippets").prefix_with("MATERIALIZED"))

    def _cut(self, column_index: int) -> ColumnElement[str]:
        return func.snippet(self.fts, column_index, literal(MARK_START), literal(MARK_END),
                            literal("…"), SNIPPET_TOKENS)


def _order(sort: str, score: ColumnElement[float], published: ColumnElement[object],
           ident: ColumnElement[int]) -> list[ColumnElement[object]]:
    if sort == "newest":
        return [published.desc().nulls_last(), ident.desc()]
    if sort == "oldest":
        return [published.asc().nulls_last(), ident.asc()]
    return [score.desc(), ident.asc()]


def post_search(dialect: str, request: SearchRequest) -> Select:
    """Hits over post titles and bodies: one per story cluster unless ``all_copies``."""
    backend = _Backend(dialect, posts, request.query)
    matches = backend.matches((TITLE_WEIGHT, BODY_WEIGHT), request.candidates)
    joined = matches.join(posts, posts.c.id == matches.c.id)
    where = post_clauses(request.filters, request.site_ids)
    if not request.all_copies:
        # A story shows once, by its representative among the matching members (the
        # canonical when it matches); only clustered matches pay for the check.
        joined = joined.outerjoin(clusters, clusters.c.id == posts.c.cluster_id)
        where.append(representative(request.filters, request.site_ids,
                                    lambda rival: [backend.matches_row(rival)]))
    top = (select(matches.c.id, matches.c.score, posts.c.published).select_from(joined)
           .where(*where)
           .order_by(*_order(request.sort, matches.c.score, posts.c.published, matches.c.id))
           .limit(request.limit).offset(request.offset))
    return _post_page(backend, top, request.sort)


def _snippet_join(backend: _Backend, page: Select, column_index: int, text: ColumnElement[str]
                  ) -> tuple[FromClause, FromClause, ColumnElement[str]]:
    """``page`` as the ``top`` of the final SELECT, the FROM to extend and the snippet
    column: a correlated probe per hit, or (see :meth:`_Backend.scans_for_snippets`) a
    left join to the snippets of one scan."""
    if not backend.scans_for_snippets():
        top = page.subquery("top")
        return top, top, backend.snippet(top.c.id, text, column_index).label("snippet")
    top = page.cte("top")
    snippets = backend.page_snippets(top, column_index)
    return (top, top.outerjoin(snippets, snippets.c.id == top.c.id),
            snippets.c.snippet.label("snippet"))


def _post_page(backend: _Backend, page: Select, sort: str) -> Select:
    members = (select(func.count()).select_from(member)
               .where(member.c.cluster_id == posts.c.cluster_id).scalar_subquery())
    copies = case((posts.c.cluster_id.is_(None), 0), else_=members - 1)
    top, source, snippet = _snippet_join(backend, page, 1, posts.c.text)
    return (
        select(
            top.c.id, top.c.score, posts.c.title, posts.c.canonical_url.label("url"),
            sites.c.url.label("site"), sites.c.name.label("site_name"), posts.c.author,
            posts.c.published, posts.c.status, posts.c.kind, posts.c.cluster_id.label("cluster"),
            copies.label("copies"), snippet,
        )
        .select_from(source.join(posts, posts.c.id == top.c.id)
                     .join(sites, sites.c.id == posts.c.site_id))
        .order_by(*_order(sort, top.c.score, top.c.published, top.c.id))
    )


def comment_search(dialect: str, request: SearchRequest) -> Select:
    """Hits over comment bodies; post filters apply to the commented post, author and
    dates to the comment."""
    backend = _Backend(dialect, comments, request.query)
    matches = backend.matches((1.0,))
    where = post_clauses(request.filters, request.site_ids, own_fields=False)
    where += dated_clauses(request.filters, comments.c.author, comments.c.published)
    page = (select(matches.c.id, matches.c.score, comments.c.published)
            .select_from(matches.join(comments, comments.c.id == matches.c.id)
                         .join(posts, posts.c.id == comments.c.post_id))
            .where(*where)
            .order_by(*_order(request.sort, matches.c.score, comments.c.published, matches.c.id))
            .limit(request.limit).offset(request.offset))
    top, source, snippet = _snippet_join(backend, page, 0, comments.c.text)
    return (
        select(
            top.c.id, top.c.score, comments.c.author, comments.c.published,
            comments.c.parent_id, comments.c.post_id, posts.c.title.label("post_title"),
            posts.c.canonical_url.label("post_url"), sites.c.url.label("site"),
            sites.c.name.label("site_name"), snippet,
        )
        .select_from(source.join(comments, comments.c.id == top.c.id)
                     .join(posts, posts.c.id == comments.c.post_id)
                     .join(sites, sites.c.id == posts.c.site_id))
        .order_by(*_order(request.sort, top.c.score, top.c.published, top.c.id))
    )


def build(dialect: str, request: SearchRequest) -> Select:
    """The statement for ``request`` on ``dialect`` (``sqlite`` or ``postgresql``)."""
    builder = comment_search if request.target == "comments" else post_search
    return builder(dialect, request)


def candidates_full(dialect: str, request: SearchRequest) -> Select:
    """Whether more posts match than ``request.candidates`` (true or false, as 1 or 0):
    a count that stops early and ranks nothing, so :func:`storage.search.run` re-ranks
    every match only when some were left out of the candidates."""
    assert request.candidates is not None
    found = _Backend(dialect, posts, request.query).found()
    limited = found.limit(request.candidates + 1).subquery("found")
    return select(func.count() > request.candidates).select_from(limited)


def lexeme_count(query: Query) -> Select:
    """PostgreSQL: how many operands survive stopword removal (0 → nothing to match)."""
    tsquery = func.to_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"),
                              bindparam("query", to_tsquery(query)))
    return select(func.numnode(tsquery))


def render(statement: Select, dialect: object) -> tuple[str, dict[str, object]]:
    """SQL text and parameters as the database will receive them (for ``--sql``)."""
    compiled = statement.compile(dialect=dialect)  # type: ignore[arg-type]
    return str(compiled), dict(compiled.params)

