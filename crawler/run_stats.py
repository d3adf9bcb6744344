"""A crawl run's figures: written by the crawl into Scrapy's stats, read back typed.

The crawl counts into Scrapy's own stats collector, under Scrapy's flat ``group/name`` keys
(``downloader/response_count``, ``skipped/unchanged``, ``refused/port``…), so ``scrapy crawl``
users find them where they expect; the run's row stores them as they were at the end. Every
reader (the crawl summary, ``runs``, the demo, the live progress line) goes through
:class:`RunStats` instead of picking keys out of the dict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What saving one item did to the archive."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ALIAS = "alias"
    ALIAS_UNKNOWN = "alias_unknown"
    GONE = "gone"
    GONE_UNKNOWN = "gone_unknown"


# Keys the crawl writes (beside Scrapy's own).
PAGES = "downloader/response_count"
CAPTURES = "captures"
DUPLICATES = "duplicates"
RELATED = "related"
OWED, OWED_REASONS, OWED_URLS = "owed", "owed_reasons", "owed_urls"
REASON = "reason"


def outcome_key(outcome: Outcome | str) -> str:
    """The stats key counting items saved with ``outcome``."""
    return f"posts_{outcome}"


def skipped_key(reason: str) -> str:
    return f"skipped/{reason}"


def refused_key(reason: str) -> str:
    return f"refused/{reason}"


def error_key(name: str) -> str:
    return f"errors/{name}"


def storable(stats: Mapping[str, Any]) -> dict[str, Any]:
    """Scrapy's stats as JSON values: numbers and strings, times as ISO 8601."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in stats.items()
            if isinstance(v, (int, float, str)) or hasattr(v, "isoformat")}


def _group(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: int(v) for k, v in stats.items()
            if k.startswith(prefix) and isinstance(v, (int, float))}


@dataclass(frozen=True)
class RunStats:
    """One run's figures (or several runs' summed with :meth:`total`)."""

    pages: int = 0
    posts: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    owed: int = 0
    owed_reasons: Counter[str] = field(default_factory=Counter)
    owed_urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, stats: Mapping[str, Any] | None) -> RunStats:
        """From a run's stored stats, or a live Scrapy stats dict."""
        stats = stats or {}
        return cls(
            pages=int(stats.get(PAGES, 0)),
            posts=Counter({o.value: int(stats.get(outcome_key(o), 0)) for o in Outcome}),
            duplicates=int(stats.get(DUPLICATES, 0)),
            skipped=Counter(_group(stats, skipped_key(""))),
            refused=Counter(_group(stats, refused_key(""))),
            errors=sum(_group(stats, error_key("")).values()),
            owed=int(stats.get(OWED, 0)),
            owed_reasons=Counter(stats.get(OWED_REASONS) or {}),
            owed_urls=dict(stats.get(OWED_URLS) or {}))

    @classmethod
    def total(cls, runs: Iterable[RunStats]) -> RunStats:
        runs = list(runs)
        return cls(pages=sum(r.pages for r in runs), posts=sum((r.posts for r in runs), Counter()),
                   duplicates=sum(r.duplicates for r in runs),
                   skipped=sum((r.skipped for r in runs), Counter()),
                   refused=sum((r.refused for r in runs), Counter()),
                   errors=sum(r.errors for r in runs), owed=sum(r.owed for r in runs),
                   owed_reasons=sum((r.owed_reasons for r in runs), Counter()),
                   owed_urls={u: why for r in runs for u, why in r.owed_urls.items()})

    def count(self, outcome: Outcome) -> int:
        return self.posts[outcome.value]

    @property
    def new(self) -> int:
        return self.count(Outcome.NEW)

    @property
    def changed(self) -> int:
        return self.count(Outcome.CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def gone(self) -> int:
        return self.count(Outcome.GONE)
