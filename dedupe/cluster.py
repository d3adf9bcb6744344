"""Group duplicate stories into clusters with one canonical post each (union-find)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from dedupe.match import Match

__all__ = ["Cluster", "ClusterMember", "Edge", "Member", "cluster"]

_DUPLICATE_KINDS = frozenset({"exact", "near"})


@dataclass(frozen=True)
class Member:
    """A post that may belong to a cluster.

    Attributes:
        key: The post's key.
        published: Publication time (timezone-aware), ``None`` if unknown (sorts last).
        site_rank: Rank of the post's site; lower is more original (e.g. the blog the story
            first appeared on, or the order sites were added).
        url: The post's canonical URL.
    """

    key: Hashable
    published: datetime | None = None
    site_rank: int = 0
    url: str = ""


@dataclass(frozen=True)
class Edge:
    """A verified link between two posts (from :func:`dedupe.match`).

    For ``method == "excerpt"`` the excerpt is ``a`` and the post it opens is ``b``.
    """

    a: Hashable
    b: Hashable
    kind: str
    method: str
    similarity: float

    @classmethod
    def from_match(cls, key: Hashable, m: Match) -> Edge:
        """The edge between the post ``key`` and the archived post of match ``m``."""
        if m.method == "excerpt" and m.other_in_new > m.new_in_other:
            return cls(m.key, key, m.kind, m.method, m.similarity)
        return cls(key, m.key, m.kind, m.method, m.similarity)


@dataclass(frozen=True)
class ClusterMember:
    """A post in a cluster, and how it is linked to the canonical post.

    Attributes:
        key: The post's key.
        similarity: Similarity to the canonical post: of the direct edge when there is one,
            else the weakest edge on the shortest path (1.0 for the canonical itself).
        method: ``"canonical"``, the direct edge's method, or ``"transitive"``.
    """

    key: Hashable
    similarity: float
    method: str


@dataclass(frozen=True)
class Cluster:
    """Duplicate stories: one canonical post and all members (canonical first)."""

    canonical: Hashable
    members: list[ClusterMember] = field(default_factory=list)

    @property
    def keys(self) -> list[Hashable]:
        """Keys of all members, canonical first."""
        return [m.key for m in self.members]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: Hashable, b: Hashable) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


def _canonical_order(member: Member) -> tuple:
    """Earliest published first; ties → lower site rank, then shorter URL, then URL."""
    published = member.published
    return (published is None, published.timestamp() if published else 0.0,
            member.site_rank, len(member.url), member.url)


def _links_from(canonical: Hashable, group: set, adjacency: dict) -> dict[Hashable, ClusterMember]:
    """Breadth-first from the canonical post: similarity and method per member."""
    best = {canonical: ClusterMember(canonical, 1.0, "canonical")}
    queue = deque([(canonical, 1.0)])
    while queue:
        node, weakest = queue.popleft()
        for other, edge in adjacency[node].items():
            if other in best or other not in group:
                continue
            if node == canonical:
                best[other] = ClusterMember(other, edge.similarity, edge.method)
            else:
                best[other] = ClusterMember(other, min(weakest, edge.similarity), "transitive")
            queue.append((other, best[other].similarity))
    return best


def _attach_excerpts(forest: _UnionFind, excerpts: list[Edge], by_key: dict) -> None:
    """Join each excerpt to one story only.

    An excerpt (a post's opening) may open several posts that share that opening, such as
    parts of a series. Excerpt links therefore never bridge clusters: each excerpt's cluster
    joins the cluster of its best link only (highest similarity, then the canonical rule),
    and a cluster that has joined another through an excerpt joins no third one that way.
    """
    links: dict[Hashable, list[Edge]] = defaultdict(list)
    for edge in excerpts:
        links[edge.a].append(edge)
    joined: set[Hashable] = set()
    for excerpt in sorted(links, key=lambda k: _canonical_order(by_key[k])):
        root = forest.find(excerpt)
        if root in joined:
            continue
        best = min(links[excerpt], key=lambda e: (-e.similarity, _canonical_order(by_key[e.b])))
        if forest.find(best.b) != root:
            forest.union(best.b, excerpt)
            joined.add(forest.find(excerpt))


def cluster(members: Iterable[Member], edges: Iterable[Edge]) -> list[Cluster]:
    """Union duplicate edges into clusters of two or more posts.

    Only ``exact`` and ``near`` edges join posts; ``related`` edges (text reuse) are ignored,
    and so are edges naming a post missing from ``members``. Excerpt edges join an excerpt
    to one story only (see :func:`_attach_excerpts`). The canonical post is the earliest
    published; ties go to the lower site rank, then the shortest URL.

    Returns:
        Clusters ordered by their canonical post; in each, the members in the same order
        (canonical first).
    """
    by_key = {m.key: m for m in members}
    forest = _UnionFind()
    adjacency: dict[Hashable, dict[Hashable, Edge]] = defaultdict(dict)
    excerpts = []
    for edge in edges:
        if edge.kind not in _DUPLICATE_KINDS or edge.a == edge.b:
            continue
        if edge.a not in by_key or edge.b not in by_key:
            continue
        if edge.method == "excerpt":
            excerpts.append(edge)
            forest.find(edge.a), forest.find(edge.b)
        else:
            forest.union(edge.a, edge.b)
        for x, y in ((edge.a, edge.b), (edge.b, edge.a)):
            current = adjacency[x].get(y)
            if current is None or edge.similarity > current.similarity:
                adjacency[x][y] = edge
    _attach_excerpts(forest, excerpts, by_key)
    groups: dict[Hashable, list[Member]] = defaultdict(list)
    for key in adjacency:
        groups[forest.find(key)].append(by_key[key])
    clusters = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=_canonical_order)
        links = _links_from(group[0].key, {m.key for m in group}, adjacency)
        clusters.append(Cluster(group[0].key, [links[m.key] for m in group]))
    clusters.sort(key=lambda c: _canonical_order(by_key[c.canonical]))
    return clusters
