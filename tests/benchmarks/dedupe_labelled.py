"""A labelled set for the dedupe quality benchmark: generated civic-blog posts and variants.

Originals are built from sentence templates and word lists about a London borough's council
affairs (seeded, so every run gives the same set). Variants come from realistic operations:
reposts, typo fixes, updates, cut or reordered paragraphs, new intros or titles, cross-posts
with page furniture, listing excerpts, heavy edits (many words reworded in most paragraphs,
sentences cut, an update appended, the intro replaced, a paragraph dropped or added: shingle
Jaccard 0.45-0.7); text-reuse posts, sentence-level reuse and digests (related, not
duplicates); and hard negatives: same-topic stories, shared campaign footers, short notices
that differ in a date or a venue, series parts sharing an intro, and different stories that
share only sign-offs and "Read more" lines (neither merged nor related).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from dedupe.document import analyze
from dedupe.verify import jaccard

__all__ = ["LabelledPost", "LabelledSet", "build", "make_post"]

PLACES = ["Harrow", "Wealdstone", "Pinner", "Stanmore", "Edgware", "Kenton", "Belmont",
          "Headstone", "Greenhill", "Roxeth", "Queensbury", "Canons Park", "Hatch End",
          "Rayners Lane", "North Harrow", "South Harrow", "Harrow Weald", "West Harrow",
          "Sudbury Hill", "Whitchurch"]
FIRST = ("Amina Brian Chandra David Elaine Farid Gita Hugh Imran Janet Kiran Leila Marcus Nadia "
         "Oliver Priya Rashid Sarah Tariq Uma Victor Wendy Yusuf Zara Paul Hitesh Stephen "
         "Gareth Anjana Ghazanfar").split()
LAST = ("Patel Osborn Karia Perry Hickman Thomas Shah Ali Begum Murphy Okafor Singh Green "
        "Chahal Parnum Dykes Harrison Kumar Lewis Novak Quinn Rahman Sandhu Turner Walsh Ahmed "
        "Baxter Coleman Dhillon Evans").split()
ROLES = ["cabinet member for housing", "leader of the opposition", "portfolio holder for "
         "finance", "chair of the scrutiny committee", "ward councillor", "director of "
         "children's services", "chief executive", "shadow portfolio holder", "local MP",
         "chair of the residents' association"]
BODIES = ["council", "cabinet", "scrutiny committee", "planning committee", "Department for "
          "Education", "NHS trust", "residents' association", "Greater London Authority",
          "local police", "school governors", "Ofsted", "audit committee"]
TOPICS = {
    "housing": "housing estate|council homes|temporary accommodation|housing waiting list|"
               "tower block|affordable homes|repairs backlog|regeneration scheme",
    "children": "children's services|care leavers|foster carers|safeguarding procedures|"
                "youth centre|special needs transport|school places|early help service",
    "parks": "park|playground|green spaces|tree planting|allotments|Green Flag award|"
             "leisure centre|sports pitches",
    "transport": "parking charges|pothole repairs|low traffic neighbourhood|bus route|"
                 "cycle lane|station step-free access|school streets|speed cameras",
    "budget": "council tax|budget gap|reserves|capital programme|savings plan|"
              "consultants' fees|income target|borrowing costs",
    "health": "GP surgeries|hospital waiting lists|adult social care|mental health service|"
              "physician associates|care homes|pharmacy closures|health centre",
    "planning": "planning application|tall buildings|conservation area|high street shops|"
                "local plan|car park redevelopment|basement extensions|shopfront design",
}
VERBS = ["said", "warned", "argued", "confirmed", "claimed", "insisted", "admitted", "revealed",
         "told the meeting", "pointed out", "wrote", "complained", "suggested", "noted",
         "told this blog", "stressed", "accepted", "alleged"]
# "[a|b]" picks one alternative each time a template is used, so two sentences from one
# template rarely share five words in a row unless one copies the other.
CLAUSES = [
    "the {t} budget [would be|will be|is to be|could be] [cut|reduced|trimmed] by £{m} million "
    "[next year|from April|over two years|by {y}]",
    "{n} [families|households|residents|tenants|pupils] in {p} had been [affected|hit|let down] "
    "by [changes to|cuts to|delays in] the {t}",
    "the decision on the {t} had been [taken|made|rushed through] without [proper|any real|"
    "meaningful] [consultation|scrutiny|debate]",
    "a [report|review|paper] on the {t} [would go to|is due at|goes before] the {b} in {mo}",
    "the {b} had [failed|refused|been slow] to [act on|deal with|address] the {t} since {y}",
    "the {t} in {p} would cost [at least|more than|up to|nearly] £{m} million",
    "[more than|over|nearly|almost] {n} [residents|people|local people|parents] had [signed|"
    "backed|put their names to] a petition [about|over|against] the {t}",
    "officers had [underestimated|misjudged|overlooked] [demand for|the cost of|pressure on] the "
    "{t} by {k} per cent",
    "{p} had lost {k} per cent of its {t} [funding|budget|staff] [over|in] {d} years",
    "[nobody|no one|not one officer] from the {b} had [visited|been to|come to] {p} to [look at|"
    "see|inspect] the {t}",
    "the [figures|numbers|sums] for the {t} [did not add up|were wrong|had been revised {d} "
    "times]",
    "the {b} [should|must|ought to] publish the [full|whole|independent] [review|audit|report] "
    "of the {t}",
    "complaints about the {t} had [doubled|risen by {k} per cent|soared] since {mo}",
    "{x} had asked [twice|{d} times|repeatedly] for a [meeting|briefing|site visit] about the "
    "{t} in {p}",
    "the {t} contract with [a private firm|an outside supplier|a housing association] "
    "[ends|runs out|is up for renewal] in {mo} {y}",
    "the {t} was [among the worst|one of the slowest|the most expensive] in London [according "
    "to|in figures from|says] the {b}",
    "a freedom of information request [showed|revealed|found] £{m} million [spent|wasted|paid "
    "out] on the {t}",
    "the promised {t} for {p} had been [quietly dropped|shelved|put on hold|delayed to {y}]",
    "[staff shortages|budget pressures|building works] meant the {t} could not [open|operate|"
    "run] on {dd}s",
    "the {b} had [ignored|dismissed|sat on] {d} [warnings|letters|reports] about the {t}",
]
OPENERS = ["", "", "", "In {mo}, ", "At the {b} meeting on {dd}, ", "Last week ",
           "Speaking in {p}, ", "In a letter to residents, ", "Once again ", "On {dd} ",
           "Earlier this year ", "In {y}, ", "After the {b} vote, ", "Later, "]
TAILS = ["", "", " last week", " at a [packed|heated|short] meeting in {p}",
         ", according to papers seen by this blog", " despite objections from {p} residents",
         " in {mo} {y}", ", a claim the {b} disputes", " after months of delay",
         " before the {mo} elections"]
QUOTES = ["This is simply not good enough for {p}", "We were promised answers and got none",
          "Residents deserve to know where the money went", "The {b} must take responsibility",
          "Nobody asked the people who actually use the {t}", "We will keep pushing on the {t}",
          "I have raised the {t} {d} times and nothing has changed",
          "The people of {p} have been let down again"]
TITLES = ["{P}: {T} plans under fire", "Questions over {t} in {p}", "{T} - what the {b} "
          "is not telling you", "Why {p} deserves better {t}", "{T} decision delayed again",
          "Council U-turn on {t}", "{p} residents demand answers on {t}"]
FOOTER = ("Harrow Matters is run by volunteers and takes no advertising. If you value independent "
          "reporting on council decisions, please share this post, come to our monthly meeting "
          "at the Civic Centre and write to your ward councillors.")
DISCLAIMER = ("The views expressed here are those of the author and not of any political party. "
              "Corrections are welcome: contact the editor and we will update the post.")
FURNITURE_END = ["Share this:", "Twitter", "Facebook", "Like this:", "Like Loading…",
                 "Posted in {C} | Tagged {t}, {p} | Leave a comment", "Related"]
#: Short lines many posts of one site end with: reuse of these is not text reuse.
SIGNOFFS = ["Read more", "Thanks for reading.", "Please share this post with your neighbours.",
            "Comments are open below, as always.", "See you at the next council meeting.",
            "Sign up to our newsletter for a weekly round-up of council news.",
            "Got a story? Get in touch with the editor.", "Follow us for updates."]
#: Rewordings a sub-editor makes: word → alternatives (both directions are used).
SYNONYMS = {
    "said": ["stated", "told reporters"], "warned": ["cautioned", "feared"],
    "argued": ["contended", "maintained"], "claimed": ["asserted", "alleged"],
    "revealed": ["disclosed", "showed"], "residents": ["locals", "householders"],
    "people": ["residents", "locals"], "meeting": ["session", "gathering"],
    "council": ["authority", "town hall"], "report": ["paper", "document"],
    "review": ["inquiry", "assessment"], "budget": ["funding", "spending plan"],
    "would": ["will", "could"], "had": ["has"], "more": ["greater"], "nearly": ["almost"],
    "over": ["more than"], "since": ["from"], "cut": ["slashed"], "delayed": ["postponed"],
    "complaints": ["objections", "grievances"], "petition": ["campaign"],
    "million": ["m"], "families": ["households"], "local": ["area"], "last": ["previous"],
    "week": ["seven days"], "officers": ["officials", "staff"], "about": ["regarding", "on"],
    "however": ["but", "still"], "meanwhile": ["at the same time"], "despite": ["in spite of"],
}
FILLERS = ["also", "now", "still", "reportedly", "again", "indeed", "already"]
MONTHS = "January February March April May June July September October November".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday".split()


@dataclass
class Story:
    """The cast of one story: topic, people and places its sentences draw on."""

    topic: str
    things: list[str]
    people: list[str]
    places: list[str]
    body: str


def _story(rng: random.Random, topic: str | None = None, like: Story | None = None) -> Story:
    if like is not None:
        return Story(like.topic, like.things, like.people, like.places, like.body)
    topic = topic or rng.choice(sorted(TOPICS))
    people = [f"Cllr {rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
    return Story(topic, TOPICS[topic].split("|"), people, rng.sample(PLACES, 3), rng.choice(BODIES))


_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def _fill(rng: random.Random, s: Story, template: str) -> str:
    t = rng.choice(s.things)
    template = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return template.format(
        t=t, T=t.capitalize(), p=rng.choice(s.places), P=rng.choice(s.places),
        b=rng.choice([s.body] * 3 + BODIES), m=rng.choice([1.5, 2, 3.2, 4, 7.5, 12, 18, 40, 135]),
        n=rng.randint(12, 4000), k=rng.randint(3, 60), d=rng.randint(2, 9),
        y=rng.randint(2007, 2025), mo=rng.choice(MONTHS), dd=rng.choice(DAYS),
        x=rng.choice(s.people), C=rng.choice(["Council", "Local politics", "Planning", "News"]))


def _sentence(rng: random.Random, s: Story) -> str:
    if rng.random() < 0.12:
        return _fill(rng, s, f'"{rng.choice(QUOTES)}," said {rng.choice(s.people)}.')
    opener = rng.choice(OPENERS)
    who = rng.choice(s.people * 2 + [f"the {s.body}", "local campaigners", "a spokesperson",
                                     f"{rng.choice(FIRST)} {rng.choice(LAST)} from {{p}}"])
    if rng.random() < 0.4:
        who = f"{who}, the {rng.choice(ROLES)},"
    text = f"{opener}{who} {rng.choice(VERBS)} that {rng.choice(CLAUSES)}{rng.choice(TAILS)}."
    if rng.random() < 0.35:
        text += f" {rng.choice(['However', 'Meanwhile', 'In response', 'Yet', 'Even so'])}, " \
                f"{rng.choice(CLAUSES)}{rng.choice(TAILS)}."
    text = _fill(rng, s, text)
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, s: Story, sentences: tuple[int, int] = (2, 4)) -> str:
    return " ".join(_sentence(rng, s) for _ in range(rng.randint(*sentences)))


def make_post(rng: random.Random, story: Story | None = None, words: int = 0) -> list[str]:
    """A post as paragraphs, title first; ``words`` > 0 grows it to about that length."""
    s = story or _story(rng)
    paras = [_fill(rng, s, rng.choice(TITLES))]
    target = words or rng.randint(250, 700)
    while sum(len(p.split()) for p in paras[1:]) < target:
        paras.append(_paragraph(rng, s))
    return paras


def _typos(rng: random.Random, text: str, count: int) -> str:
    tokens = text.split(" ")
    for _ in range(count):
        i = rng.randrange(len(tokens))
        w = tokens[i]
        if len(w) >= 5 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            tokens[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(tokens)


def _edit_lightly(rng: random.Random, para: str) -> str:
    sentences = para.split(". ")
    if len(sentences) >= 3 and rng.random() < 0.5:
        del sentences[rng.randrange(1, len(sentences))]
        return ". ".join(sentences).rstrip(".") + "."
    return _typos(rng, para, 2)


@dataclass
class LabelledPost:
    """One post of the set. Posts with the same ``story`` are duplicates of each other;
    ``lineage`` names every story whose text the post carries (its own, and any reused)."""

    key: str
    text: str
    story: str
    scenario: str
    source: str | None = None
    lineage: frozenset[str] = frozenset()


@dataclass
class LabelledSet:
    """Posts plus the pairs that must be related and the hard-negative pairs."""

    posts: list[LabelledPost] = field(default_factory=list)
    related: list[tuple[str, str, str]] = field(default_factory=list)
    negatives: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, paras: list[str], story: str, scenario: str, source: str | None = None,
            reused: tuple[str, ...] = ()) -> str:
        key = f"p{len(self.posts):05d}"
        lineage = frozenset((story, *reused))
        self.posts.append(LabelledPost(key, "\n\n".join(paras), story, scenario, source, lineage))
        return key


DUPLICATE_SCENARIOS = ("exact_repost", "typo_fix", "update_appended", "paragraph_removed",
                       "paragraphs_reordered", "new_intro", "title_changed", "cross_post_furniture",
                       "excerpt", "combined_edits", "short_repost", "short_furniture",
                       "short_expanded", "heavy_edit")
#: Shingle Jaccard range of a heavy edit with its original.
HEAVY_JACCARD = (0.45, 0.7)


def _reword(rng: random.Random, para: str, rate: float) -> str:
    """Reword about ``rate`` of a paragraph's words: synonyms, changed figures, fillers
    added or words dropped, as a sub-editor does."""
    tokens = para.split(" ")
    out = []
    for token in tokens:
        core = token.strip(".,;:\"'").lower()
        if rng.random() >= rate or not core:
            out.append(token)
            continue
        tail = token[len(token.rstrip(".,;:\"'")):]
        choice = rng.random()
        if core in SYNONYMS:
            out.append(rng.choice(SYNONYMS[core]) + tail)
        elif core.replace(".", "").isdigit():
            out.append(str(rng.randint(2, 90)) + tail)
        elif choice < 0.5:
            out += [rng.choice(FILLERS), token]
        elif choice < 0.8 and not tail and len(out) > 1:
            continue  # a word cut
        else:
            out.append(token)
    return " ".join(out)


def _heavy_edit(rng: random.Random, paras: list[str], s: Story) -> list[str]:
    """One story republished with many small edits; shingle Jaccard in HEAVY_JACCARD."""
    original = analyze("\n\n".join(paras))
    tried: list[tuple[float, list[str]]] = []
    for rate in (0.03, 0.06, 0.09, 0.12, 0.15, 0.18, 0.22, 0.26):
        body = [_reword(rng, p, rate) if rng.random() < 0.85 else p for p in paras[1:]]
        for i, para in enumerate(body):
            sentences = para.split(". ")
            if len(sentences) >= 3 and rng.random() < 0.3:
                del sentences[rng.randrange(1, len(sentences))]
                body[i] = ". ".join(sentences).rstrip(".") + "."
        body[0] = _sentence(rng, s) + " " + ". ".join(body[0].split(". ")[1:])
        # A paragraph dropped only from a long post: the republished story keeps most of
        # what it told (a post cut by half is another, shorter story).
        if len(body) >= 5 and rng.random() < 0.5:
            del body[rng.randrange(1, len(body))]
        elif rng.random() < 0.5:
            body.insert(rng.randrange(1, len(body) + 1), _paragraph(rng, s, (1, 2)))
        if rng.random() < 0.6:
            body.append(f"Update: {_sentence(rng, s)}")
        title = paras[0] if rng.random() < 0.5 else _fill(rng, s, rng.choice(TITLES))
        edited = [title] + body
        score = jaccard(original, analyze("\n\n".join(edited)))
        if HEAVY_JACCARD[0] <= score < HEAVY_JACCARD[1]:
            return edited
        tried.append((score, edited))
    low, high = HEAVY_JACCARD
    return min(tried, key=lambda t: max(low - t[0], t[0] - high))[1]


def _variant(rng: random.Random, scenario: str, paras: list[str], s: Story) -> list[str]:
    title, body = paras[0], list(paras[1:])
    if scenario == "typo_fix":
        return [title] + [_typos(rng, p, 1) if rng.random() < 0.4 else p for p in body]
    if scenario == "update_appended":
        return paras + [f"Update ({rng.choice(MONTHS)} {rng.randint(1, 28)}): "
                        + _paragraph(rng, s, (2, 6))]
    if scenario == "paragraph_removed" and len(body) > 2:
        del body[rng.randrange(1, len(body))]
    elif scenario == "paragraphs_reordered" and len(body) > 2:
        i, j = rng.sample(range(len(body)), 2)
        body[i], body[j] = body[j], body[i]
    elif scenario == "new_intro":
        body[0] = _sentence(rng, s) + " " + body[0]
    elif scenario == "title_changed":
        title = _fill(rng, s, rng.choice(TITLES))
    elif scenario in ("cross_post_furniture", "short_furniture"):
        extra = [_fill(rng, s, line) for line in FURNITURE_END]
        return [f"Posted on {rng.randint(1, 28)} {rng.choice(MONTHS)} 2025 by {s.people[0]}"] \
            + paras + extra
    elif scenario == "excerpt":
        words = " ".join(body).split()[: rng.randint(45, 60)]
        return [title, " ".join(words) + rng.choice([" … Continue reading →", " […]"])]
    elif scenario == "combined_edits":
        edited = _variant(rng, "typo_fix", paras, s)
        edited = _variant(rng, "update_appended", edited, s)
        return _variant(rng, "cross_post_furniture", edited, s)
    elif scenario == "short_expanded":
        return paras + [_paragraph(rng, s, (1, 2))]
    elif scenario == "heavy_edit":
        return _heavy_edit(rng, paras, s)
    return [title] + body


def _notice(rng: random.Random, s: Story) -> list[str]:
    venue = rng.choice(["the Civic Centre", "St Anselm's hall", "the library", "the community "
                        "centre", "Headstone Manor"])
    return [_fill(rng, s, f"Meeting on the {{t}} in {rng.choice(s.places)}"),
            _fill(rng, s, f"The next public meeting about the {{t}} in {{p}} will be held on "
                  f"{{dd}} {rng.randint(1, 28)} {{mo}} at {rng.randint(6, 8)}pm in {venue}. "
                  "All residents are welcome and there will be time for questions.")]


def build(originals: int = 300, seed: int = 7) -> LabelledSet:
    """Generate the labelled set: ``originals`` stories, each with a few variants."""
    rng = random.Random(seed)
    out = LabelledSet()
    for n in range(originals):
        story_id = f"s{n}"
        s = _story(rng)
        paras = make_post(rng, s)
        if n % 4 == 0:
            paras.append(FOOTER)
        if n % 7 == 0:
            paras.append(DISCLAIMER)
        if n % 3 == 0:
            paras += _signoffs(rng)
        source = out.add(paras, story_id, "original")
        for scenario in rng.sample(DUPLICATE_SCENARIOS[:10], 4):
            out.add(_variant(rng, scenario, paras, s), story_id, scenario, source)
        out.add(_variant(rng, "heavy_edit", paras, s), story_id, "heavy_edit", source)
        _reuse(rng, out, n, s, paras, source)
        if n % 2 == 1:
            _sentence_reuse(rng, out, n, s, paras, source)
        _negatives(rng, out, n, s, paras, source)
    rng.shuffle(out.posts)
    return out


def _reuse(rng: random.Random, out: LabelledSet, n: int, s: Story, paras: list[str],
           source: str) -> None:
    body = paras[1:]
    # Part of the story: paragraphs holding 30-60% of its words (at least one paragraph).
    share = rng.uniform(0.3, 0.6)
    total, kept, words = sum(len(p.split()) for p in body), [], 0
    for i in rng.sample(range(len(body)), len(body)):
        size = len(body[i].split())
        if kept and words + size > 0.6 * total:
            continue
        kept.append(i)
        words += size
        if words >= share * total:
            break
    kept.sort()
    reused = [_edit_lightly(rng, body[i]) if rng.random() < 0.4 else body[i] for i in kept]
    fresh = make_post(rng, _story(rng, s.topic), rng.randint(150, 400))
    mixed = fresh[1:]
    for para in reused:
        mixed.insert(rng.randint(0, len(mixed)), para)
    key = out.add([fresh[0]] + mixed, f"r{n}", "text_reuse", source, (f"s{n}",))
    out.related.append((key, source, "text_reuse"))
    if n % 5 == 0 and len(out.posts) > 40:
        others = [p for p in out.posts if p.scenario == "original" and p.key != source]
        others = rng.sample(others[-8:], rng.choice((1, 1, 2)))
        digest = ["This week's round-up", f"{len(others) + 1} stories from the council this week."]
        digest += paras[1:]
        for other in others:
            digest += other.text.split("\n\n")[1:]
        key = out.add(digest, f"d{n}", "digest", source,
                      (f"s{n}", *(other.story for other in others)))
        out.related.append((key, source, "digest"))
        for other in others:
            out.related.append((key, other.key, "digest"))
            out.negatives.append((source, other.key, "digest_sources"))


def _signoffs(rng: random.Random) -> list[str]:
    return rng.sample(SIGNOFFS, rng.randint(2, 4))


def _sentences_of(paras: list[str], min_words: int = 10) -> list[str]:
    found = []
    for para in paras:
        found += [t if t.endswith((".", '"')) else t + "."
                  for t in re.split(r"(?<=[.!?])\s+", para) if len(t.split()) >= min_words]
    return found


def _sentence_reuse(rng: random.Random, out: LabelledSet, n: int, s: Story, paras: list[str],
                    source: str) -> None:
    """A new story whose own paragraphs quote a few of the original's sentences (no whole
    paragraph reused), like standard wording of a notice copied into a new post."""
    boilerplate = {FOOTER, DISCLAIMER, *SIGNOFFS}
    quoted = _sentences_of([p for p in paras[1:] if p not in boilerplate])
    if len(quoted) < 3:
        return
    quoted = rng.sample(quoted, rng.randint(3, min(5, len(quoted))))
    fresh = make_post(rng, _story(rng, s.topic), rng.randint(200, 450))
    body = fresh[1:]
    for sentence in quoted:
        i = rng.randrange(len(body))
        parts = body[i].split(". ")
        parts.insert(rng.randint(0, len(parts)), sentence.rstrip("."))
        body[i] = ". ".join(parts).rstrip(".") + "."
    key = out.add([fresh[0]] + body, f"t{n}", "sentence_reuse", source, (f"s{n}",))
    out.related.append((key, source, "sentence_reuse"))


def _negatives(rng: random.Random, out: LabelledSet, n: int, s: Story, paras: list[str],
               source: str) -> None:
    same = make_post(rng, _story(rng, like=s), rng.randint(250, 600))
    if n % 4 == 0:
        same.append(FOOTER)
    key = out.add(same, f"n{n}", "same_topic_story")
    out.negatives.append((key, source, "same_topic_story"))
    if n % 3 == 0:
        # Another story from the same site, ending in the same sign-offs.
        signed = make_post(rng, _story(rng, s.topic), rng.randint(120, 400)) + _signoffs(rng)
        key = out.add(signed, f"b{n}", "shared_signoffs")
        out.negatives.append((key, source, "shared_signoffs"))
    if n % 3 == 0:
        part2 = [paras[0] + " (part 2)", paras[1]] + make_post(rng, _story(rng, like=s), 300)[1:]
        key = out.add(part2, f"q{n}", "series_part", reused=(f"s{n}",))
        out.negatives.append((key, source, "series_part"))
    if n % 2 == 0:
        notice = _notice(rng, s)
        a = out.add(notice, f"m{n}", "short_original")
        for scenario in ("short_repost", "short_furniture", "short_expanded"):
            out.add(_variant(rng, scenario, notice, s), f"m{n}", scenario, a)
        other = out.add(_notice(rng, s), f"o{n}", "short_notice")
        out.negatives.append((other, a, "short_notice"))
