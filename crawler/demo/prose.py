"""Fill sentence templates into civic-blog prose: titles, paragraphs, comments."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from . import texts

if TYPE_CHECKING:
    import random
    from collections.abc import Callable

    from .topics import Topic

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_LOWERABLE = {
    "The", "A", "An", "It", "This", "That", "There", "We", "Our", "Many", "Most", "Some",
    "None", "Nobody", "Nothing", "Several", "Every", "No", "Residents", "Officers",
    "Councillors", "Members", "Only", "Just", "Almost", "Nearly", "Spending", "Fees",
}
_ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]
_OPEN_DOUBLE = re.compile(r'(^|[\s(\[\u2014\u2013])"')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[\u2014\u2013])'")


@lru_cache(maxsize=None)
def _compile(template: str) -> tuple[str | tuple[str, ...], ...]:
    """Split a template into literal runs and ``[a|b]`` choice groups, once per template."""
    parts: list[str | tuple[str, ...]] = []
    last = 0
    for match in _CHOICE.finditer(template):
        parts.append(template[last : match.start()])
        parts.append(tuple(match.group(1).split("|")))
        last = match.end()
    parts.append(template[last:])
    return tuple(parts)


def texturize(text: str) -> str:
    """Curl quotes and apostrophes the way WordPress displays them.

    A quote after a space, bracket or dash (or at the start) opens; any other closes.
    """
    if '"' in text:
        text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    if "'" in text:
        text = _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")
    return text


def money(rng: random.Random, low: int, high: int) -> str:
    """A plausible sum in pounds, written as councils and bloggers write it."""
    value = rng.randint(low, high)
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.1f}m".replace(".0m", "m")
    if value >= 10_000:
        return f"£{round(value, -3):,}"
    return f"£{value:,}"


def _when(slots: Slots, earliest: int = 3, latest: int = 45) -> str:
    """A day a few weeks after (or, with negative bounds, before) the post's date."""
    day = slots.when + timedelta(days=slots.rng.randint(earliest, latest))
    return f"{day.day} {texts.MONTHS[day.month - 1]}"


def _name(slots: Slots) -> str:
    return f"{slots.rng.choice(texts.FIRST_NAMES)} {slots.rng.choice(texts.SURNAMES)}"


# Values drawn afresh at every use, so the same template never repeats its numbers.
_FRESH: dict[str, Callable[[Slots], str]] = {
    "amount": lambda s: money(s.rng, 40_000, 9_000_000),
    "amount2": lambda s: money(s.rng, 20_000, 4_000_000),
    "small_amount": lambda s: money(s.rng, 25, 180),
    "pct": lambda s: f"{s.rng.randint(3, 48)}%",
    "pct2": lambda s: f"{s.rng.randint(10, 70)}%",
    "n": lambda s: str(s.rng.randint(2, 12)),
    "n2": lambda s: str(s.rng.randint(14, 60)),
    "n3": lambda s: str(s.rng.randint(2, 6)),
    "big_n": lambda s: f"{s.rng.randint(120, 9800):,}",
    "big_n2": lambda s: f"{s.rng.randint(90, 7200):,}",
    "date": _when,
    "past_date": lambda s: _when(s, -60, -3),
    "time": lambda s: f"{s.rng.choice([6, 7])}.{s.rng.choice(['00', '30'])}pm",
    "weekday": lambda s: s.rng.choice(texts.WEEKDAYS[:5]),
    "resident": _name,
    "first": lambda s: s.rng.choice(texts.FIRST_NAMES),
    "ordinal": lambda s: s.rng.choice(_ORDINALS),
}


class Slots(dict):
    """Template values: fixed per post when stored, drawn fresh on each use otherwise."""

    def __init__(self, rng: random.Random, when: datetime, base: dict[str, str]) -> None:
        super().__init__(base)
        self.rng = rng
        self.when = when

    def __missing__(self, key: str) -> str:
        return _FRESH[key](self)


class Writer:
    """Writes titles, paragraphs and comments for one blog, from one random stream."""

    def __init__(self, rng: random.Random, borough: str, wards: list[str], groups: list[str]) -> None:
        self.rng = rng
        self.borough = borough
        self.wards = wards
        self.groups = groups
        self.streets = [f"{a} {b}" for a in texts.STREET_NAMES for b in texts.STREET_KINDS]

    def person(self) -> str:
        return f"{self.rng.choice(texts.FIRST_NAMES)} {self.rng.choice(texts.SURNAMES)}"

    def context(self, topic: Topic, when: datetime) -> Slots:
        """The fixed cast and places of one post, plus fresh numbers on demand."""
        rng = self.rng
        ward, ward2 = rng.sample(self.wards, 2)
        committee = rng.choice(texts.COMMITTEES)
        bare = committee.removeprefix("the ")
        meet_day = when + timedelta(days=-rng.randint(2, 30))
        base = {
            "borough": self.borough,
            "council": f"{self.borough} Council",
            "ward": ward,
            "ward2": ward2,
            "street": rng.choice(self.streets),
            "cllr": f"Cllr {self.person()}",
            "opp": f"Cllr {self.person()}",
            "officer": self.person(),
            "officer_role": rng.choice(texts.OFFICER_ROLES),
            "committee": committee,
            "committee_bare": bare,
            "meeting": f"the {bare} meeting on {meet_day.day} {texts.MONTHS[meet_day.month - 1]}",
            "year": str(when.year - rng.randint(1, 5)),
            "next_year": str(when.year + 1),
            "month": rng.choice(texts.MONTHS),
            "group": rng.choice(self.groups),
        }
        slots = Slots(rng, when, base)
        slots["venue"] = self.fill(rng.choice(texts.VENUES), slots)
        subject = self.fill(rng.choice(topic.subjects), slots)
        slots["subject"] = subject
        slots["subject_cap"] = subject[0].upper() + subject[1:]
        return slots

    def fill(self, template: str, slots: Slots) -> str:
        """One template with its choices made and its slots filled (not yet curled)."""
        draw = self.rng.random  # indexing by random() is much quicker than rng.choice()
        chosen = [p if isinstance(p, str) else p[int(draw() * len(p))] for p in _compile(template)]
        return "".join(chosen).format_map(slots)

    def sentence(self, template: str, slots: Slots) -> str:
        text = self.fill(template, slots)
        roll = self.rng.random()
        first, _, rest = text.partition(" ")
        if roll < 0.2 and first in _LOWERABLE:
            text = f"{self.rng.choice(texts.OPENERS)} {first.lower()} {rest}"
        elif roll > 0.85 and text.endswith(".") and not text.endswith('."'):
            text = text[:-1] + self.rng.choice(texts.TAILS) + "."
        return text[0].upper() + text[1:]

    def title(self, topic: Topic, slots: Slots) -> str:
        title = self.fill(self.rng.choice(topic.titles), slots)
        if self.rng.random() < 0.4 and not any(mark in title for mark in ":?—"):
            title = f"{title}: {self.fill(self.rng.choice(texts.TITLE_TAILS), slots)}"
        return texturize(title)

    def paragraphs(self, topic: Topic, slots: Slots, words: int) -> list[str]:
        """Paragraphs totalling about ``words`` words: an intro, a varied middle, a close."""
        picker = _Picker(self.rng, topic)
        paras = [self._paragraph(picker, "intro", slots)]
        total = len(paras[0].split())
        while total < words - 60:
            para = self._paragraph(picker, self.rng.choice(_MIDDLE), slots)
            paras.append(para)
            total += len(para.split())
        paras.append(self._paragraph(picker, "closing", slots))
        return paras

    def short_paragraphs(self, slots: Slots) -> list[str]:
        """A notice of a few dozen words."""
        parts = (texts.SHORT_POSTS, texts.SHORT_MIDDLES, texts.SHORT_TAILS)
        return [texturize(" ".join(self.fill(self.rng.choice(pool), slots) for pool in parts))]

    def line(self, templates: list[str], slots: Slots) -> str:
        """One filled, curled sentence from a list of templates."""
        return texturize(self.fill(self.rng.choice(templates), slots))

    def _paragraph(self, picker: _Picker, kind: str, slots: Slots) -> str:
        plan = _PLANS[kind]
        count = self.rng.randint(plan[0], plan[1])
        pools = plan[2]
        chosen = [pools[min(i, len(pools) - 1)] for i in range(count)]
        return texturize(" ".join(self.sentence(picker.take(pool), slots) for pool in chosen))


class _Picker:
    """Draws templates without repeats inside one post, refilling a pool when it runs dry."""

    def __init__(self, rng: random.Random, topic: Topic) -> None:
        self.rng = rng
        self.sources = {
            "topic": list(topic.sentences),
            "general": texts.GENERAL,
            "question": texts.QUESTIONS,
            "answer": texts.ANSWERS,
            "resident": texts.RESIDENT_QUOTES,
            "numbers": texts.NUMBERS,
            "opinion": texts.OPINION,
            "closing": texts.CLOSINGS,
        }
        self.left: dict[str, list[str]] = {}

    def take(self, pool: str) -> str:
        left = self.left.get(pool)
        if not left:
            left = list(self.sources[pool])
            self.rng.shuffle(left)
            self.left[pool] = left
        return left.pop()


# kind -> (min sentences, max sentences, pool per sentence position; the last repeats)
_PLANS: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "intro": (2, 3, ("topic", "general")),
    "topic": (2, 4, ("topic", "general", "topic", "general")),
    "general": (2, 3, ("general",)),
    "qa": (2, 3, ("question", "answer", "opinion")),
    "resident": (1, 2, ("resident", "general")),
    "numbers": (2, 3, ("numbers", "general")),
    "opinion": (2, 3, ("opinion", "general")),
    "closing": (1, 2, ("closing", "opinion")),
}
_MIDDLE = ("topic", "topic", "general", "general", "qa", "resident", "numbers", "opinion")


def add_typos(paragraphs: list[str], rng: random.Random, count: int = 3) -> list[str]:
    """Swap two inner letters in ``count`` longer words, as a hurried author would."""
    paras = list(paragraphs)
    for _ in range(count):
        index = rng.randrange(len(paras))
        words = paras[index].split(" ")
        spots = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if not spots:
            continue
        spot = rng.choice(spots)
        word = words[spot]
        cuts = [i for i in range(2, len(word) - 2) if word[i] != word[i + 1]]
        cut = rng.choice(cuts)
        words[spot] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
        paras[index] = " ".join(words)
    return paras
