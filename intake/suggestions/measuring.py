"""How well ``suggest`` finds what the fixtures record from the articles.

The fixtures (fixtures/markets.json, sellers.json) record what the two articles
(fixtures/articles/*.txt) state, each fact with its quote, a verbatim piece of an
article. A suggestion matches a fact when its sentence overlaps one of the fact's
quotes and its value agrees: a date's day and precision, a market's ISO code or a
region's code, a figure's unit and every value the fact records (before and after).

Recall is the share of facts some suggestion matches; precision the share of
suggestions that match some fact. A suggestion matching none is not necessarily wrong:
the fixtures do not record every date, market or number an article mentions, so the
unmatched are listed for a human to judge. An event whose date the text does not state
(no ``date_wording``: inferred by an analyst) cannot be found in the text; those are
listed apart, not counted.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from intake.suggestions import draft_event, suggest
from intake.suggestions.base import (
    DateSuggestion,
    FigureSuggestion,
    MarketSuggestion,
    RegionSuggestion,
    Suggestion,
)

KINDS = ("dates", "markets", "figures")
#: The record each evidence model quotes for.
EVIDENCE_OF = {"markets.eventevidence": "markets.modeevent"}


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    language: str
    published_on: datetime.date | None


@dataclass
class Fact:
    kind: str
    record: str  # the fixture record it comes from, as "model:key"
    value: tuple
    quotes: tuple[str, ...]
    article: str = ""

    def describe(self) -> str:
        return f"{self.record} {self.value!r} «{self.quotes[0] if self.quotes else ''}»"


@dataclass
class Score:
    kind: str
    facts: list[Fact] = field(default_factory=list)
    found: list[Fact] = field(default_factory=list)
    missed: list[Fact] = field(default_factory=list)
    suggestions: int = 0
    matching: int = 0
    unmatched: list[tuple[str, Suggestion]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.facts) if self.facts else 0.0

    @property
    def precision(self) -> float:
        return self.matching / self.suggestions if self.suggestions else 0.0


@dataclass
class Measurement:
    scores: dict[str, Score]
    #: Events whose date the text does not state: listed, not counted.
    unstated: list[Fact]
    articles: list[Article]


def load_articles(fixtures_dir: Path, articles_dir: Path) -> list[Article]:
    """The article texts, each with its source's language and publication date (the
    source whose title the article carries)."""
    records = json.loads((fixtures_dir / "markets.json").read_text(encoding="utf-8"))
    sources = [
        item["fields"]
        for item in records
        if item["model"] == "markets.source" and item["fields"]["kind"] == "article"
    ]
    articles = []
    for path in sorted(articles_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        source = next((s for s in sources if s["title"] and s["title"] in text), None)
        published_on = (
            datetime.date.fromisoformat(source["published_on"])
            if source and source.get("published_on")
            else None
        )
        language = source["language"] if source else "zh-Hans"
        articles.append(Article(path.name, text, language, published_on))
    return articles


def load_facts(fixtures_dir: Path) -> tuple[list[Fact], list[Fact]]:
    """The facts the fixtures record, and the events whose date no wording states."""
    records = []
    for name in ("markets.json", "sellers.json"):
        path = fixtures_dir / name
        if path.exists():
            records.extend(json.loads(path.read_text(encoding="utf-8")))
    quotes: dict[tuple[str, str], list[str]] = {}
    for item in records:
        if item["model"].endswith("evidence"):
            owner = EVIDENCE_OF.get(
                item["model"], item["model"].removesuffix("evidence")
            )
            key = (owner, str(item["fields"]["fact"][0]))
            quotes.setdefault(key, []).append(item["fields"]["quote"])
    facts: list[Fact] = []
    unstated: list[Fact] = []
    for item in records:
        model, fields = item["model"], item["fields"]
        if model == "markets.modeevent":
            key = fields["slug"]
            said = tuple(quotes.get((model, key), ()))
            record = f"event:{key}"
            date = (
                datetime.date.fromisoformat(fields["date"]),
                fields["date_precision"],
            )
            fact = Fact("dates", record, date, said)
            (facts if fields["date_wording"] else unstated).append(fact)
            facts.extend(_places(record, said, fields["markets"], []))
        elif model == "markets.marketfigure":
            key = fields["uuid"]
            said = tuple(quotes.get((model, key), ()))
            record = f"figure:{fields['metric_zh']}"
            value = (fields["unit"], (Decimal(fields["value"]),))
            facts.append(Fact("figures", record, value, said))
            regions = [fields["region"]] if fields["region"] else []
            facts.extend(_places(record, said, fields["markets"], regions))
        elif model == "sellers.sellercase":
            key = fields["slug"]
            said = tuple(quotes.get((model, key), ()))
            facts.extend(
                _places(
                    f"seller:{key}",
                    said,
                    fields["target_markets"],
                    fields["target_regions"],
                )
            )
        elif model == "sellers.sellerfigure":
            key = fields["uuid"]
            said = tuple(quotes.get((model, key), ()))
            values = tuple(
                Decimal(fields[name])
                for name in ("value_before", "value_after")
                if fields[name] is not None
            )
            record = f"seller-figure:{fields['metric_zh']}"
            facts.append(Fact("figures", record, (fields["unit"], values), said))
    return facts, unstated


def _places(record: str, said: tuple, markets: list, regions: list) -> list[Fact]:
    found = [Fact("markets", record, ("market", code[0]), said) for code in markets]
    found += [
        Fact("markets", record, ("region", region[0]), said) for region in regions
    ]
    return found


def _kind(suggestion: Suggestion) -> str:
    if isinstance(suggestion, DateSuggestion):
        return "dates"
    if isinstance(suggestion, MarketSuggestion | RegionSuggestion):
        return "markets"
    return "figures"


def _agrees(fact: Fact, suggestion: Suggestion) -> bool:
    if isinstance(suggestion, DateSuggestion):
        return fact.value == (suggestion.day, suggestion.precision)
    if isinstance(suggestion, MarketSuggestion):
        return fact.value == ("market", suggestion.code)
    if isinstance(suggestion, RegionSuggestion):
        return fact.value == ("region", suggestion.region)
    if isinstance(suggestion, FigureSuggestion):
        unit, values = fact.value
        return unit == suggestion.unit and any(
            value in values for value in suggestion.values
        )
    return False


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans = []
    at = text.find(quote)
    while at != -1 and quote:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spans


def measure(fixtures_dir: Path, articles_dir: Path) -> Measurement:
    articles = load_articles(fixtures_dir, articles_dir)
    facts, unstated = load_facts(fixtures_dir)
    suggested: list[tuple[Article, Suggestion]] = []
    for article in articles:
        seen = set()
        for suggestion in suggest(
            article.text, language=article.language, published_on=article.published_on
        ):
            # One suggestion per value and sentence: a name said twice is one fact.
            key = (_kind(suggestion), suggestion.start, _value_key(suggestion))
            if key not in seen:
                seen.add(key)
                suggested.append((article, suggestion))
    spans: dict[int, list[tuple[str, int, int]]] = {}
    for index, fact in enumerate(facts):
        spans[index] = [
            (article.name, start, end)
            for article in articles
            for quote in fact.quotes
            for start, end in _quote_spans(article.text, quote)
        ]
        if spans[index]:
            fact.article = spans[index][0][0]
    scores = {kind: Score(kind) for kind in KINDS}
    for fact in facts:
        scores[fact.kind].facts.append(fact)
    # The values each fact's matching suggestions give: a figure with a before and an
    # after is found once both are (in one suggestion or two of its sentence).
    covered: dict[int, set] = {}
    for article, suggestion in suggested:
        kind = _kind(suggestion)
        score = scores[kind]
        score.suggestions += 1
        matches = [
            index
            for index, fact in enumerate(facts)
            if fact.kind == kind
            and _agrees(fact, suggestion)
            and any(
                name == article.name
                and start < suggestion.end
                and suggestion.start < end
                for name, start, end in spans[index]
            )
        ]
        if matches:
            score.matching += 1
            for index in matches:
                covered.setdefault(index, set()).update(_values(suggestion))
        else:
            score.unmatched.append((article.name, suggestion))
    for index, fact in enumerate(facts):
        score = scores[fact.kind]
        if fact.kind == "figures":
            found = index in covered and set(fact.value[1]) <= covered[index]
        else:
            found = index in covered
        (score.found if found else score.missed).append(fact)
    return Measurement(scores=scores, unstated=unstated, articles=articles)


def _values(suggestion: Suggestion) -> tuple:
    return suggestion.values if isinstance(suggestion, FigureSuggestion) else ()


def _value_key(suggestion: Suggestion) -> tuple:
    if isinstance(suggestion, DateSuggestion):
        return (suggestion.day, suggestion.precision)
    if isinstance(suggestion, MarketSuggestion):
        return ("market", suggestion.code)
    if isinstance(suggestion, RegionSuggestion):
        return ("region", suggestion.region)
    if isinstance(suggestion, FigureSuggestion):
        return (suggestion.unit, suggestion.values, suggestion.wording_start)
    return ()


# The corpus: more public sources, each a text (<slug>.txt) and the facts an analyst
# read in it (<slug>.json). Fixture facts are judged as values; here a found event is
# also judged as the draft an analyst would get from it (draft_event), field by field,
# since what saves an analyst's time is a draft that needs no change.

#: The fields of a drafted event compared with the corpus fact, in report order.
EVENT_FIELDS = ("mode", "kind", "date", "date_precision", "markets", "is_scheduled")


@dataclass(frozen=True)
class CorpusSource:
    slug: str
    text: str
    language: str
    published_on: datetime.date | None
    url: str
    publisher: str
    events: tuple[dict, ...]
    figures: tuple[dict, ...]


@dataclass
class SourceScore:
    """One source's events and figures: found, and how right the found events'
    drafts are, field by field."""

    source: CorpusSource
    events: int = 0
    found: int = 0
    #: Per field, how many found events' drafts give the fact's value.
    right: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(EVENT_FIELDS, 0)
    )
    unchanged: int = 0
    figures: int = 0
    figures_found: int = 0
    missed: list[dict] = field(default_factory=list)
    #: Found events whose draft differs: (fact, {field: drafted value}).
    changed: list[tuple[dict, dict]] = field(default_factory=list)

    def add(self, other: "SourceScore") -> None:
        self.events += other.events
        self.found += other.found
        self.unchanged += other.unchanged
        self.figures += other.figures
        self.figures_found += other.figures_found
        for name in EVENT_FIELDS:
            self.right[name] += other.right[name]

    @property
    def recall(self) -> float:
        return self.found / self.events if self.events else 0.0

    def share_right(self, name: str) -> float:
        return self.right[name] / self.found if self.found else 0.0

    @property
    def share_unchanged(self) -> float:
        return self.unchanged / self.found if self.found else 0.0


def load_corpus(corpus_dir: Path) -> list[CorpusSource]:
    """Every source of ``corpus_dir``: a text and its facts, paired by name."""
    sources = []
    for path in sorted(corpus_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        about = data["source"]
        published = about.get("published_on")
        sources.append(
            CorpusSource(
                slug=path.stem,
                text=path.with_suffix(".txt").read_text(encoding="utf-8"),
                language=about["language"],
                published_on=datetime.date.fromisoformat(published)
                if published
                else None,
                url=about["url"],
                publisher=about["publisher"],
                events=tuple(data.get("events", ())),
                figures=tuple(data.get("figures", ())),
            )
        )
    return sources


def measure_corpus(corpus_dir: Path) -> tuple[list[SourceScore], SourceScore]:
    """Each source's score and their sum. An event is found when a date suggestion
    agreeing with its date and precision overlaps its quote; its draft is the one
    ``draft_event`` makes from that date and its sentence's places, the best-agreeing
    where several dates match."""
    scores = []
    for source in load_corpus(corpus_dir):
        suggestions = suggest(
            source.text, language=source.language, published_on=source.published_on
        )
        score = SourceScore(source, events=len(source.events))
        for fact in source.events:
            _judge_event(score, fact, source, suggestions)
        score.figures = len(source.figures)
        score.figures_found = sum(
            _figure_found(fact, source.text, suggestions) for fact in source.figures
        )
        scores.append(score)
    total = SourceScore(CorpusSource("overall", "", "", None, "", "", (), ()))
    for score in scores:
        total.add(score)
    return scores, total


def _judge_event(
    score: SourceScore, fact: dict, source: CorpusSource, suggestions: list
) -> None:
    spans = _quote_spans(source.text, fact["quote"])
    wanted = (datetime.date.fromisoformat(fact["date"]), fact["date_precision"])
    dates = [
        s
        for s in suggestions
        if isinstance(s, DateSuggestion)
        and s.value == wanted
        and any(s.start < end and start < s.end for start, end in spans)
    ]
    if not dates:
        score.missed.append(fact)
        return
    score.found += 1
    differences = min(
        (_differences(fact, date, suggestions, source.published_on) for date in dates),
        key=len,
    )
    for name in EVENT_FIELDS:
        score.right[name] += name not in differences
    if differences:
        score.changed.append((fact, differences))
    else:
        score.unchanged += 1


def _differences(
    fact: dict,
    date: DateSuggestion,
    suggestions: list,
    published_on: datetime.date | None,
) -> dict:
    """The fields where the draft from ``date`` differs from the fact: its values."""
    places = [
        s
        for s in suggestions
        if isinstance(s, MarketSuggestion | RegionSuggestion) and s.start == date.start
    ]
    draft = draft_event(date, places, published_on=published_on)
    drafted = {
        "mode": draft.fields["mode"],
        "kind": draft.fields["kind"],
        "date": draft.fields["date"].isoformat(),
        "date_precision": draft.fields["date_precision"],
        "markets": sorted(draft.markets),
        "is_scheduled": draft.fields["is_scheduled"],
    }
    wanted = {name: fact[name] for name in EVENT_FIELDS}
    wanted["markets"] = sorted(fact["markets"])
    return {
        name: drafted[name] for name in EVENT_FIELDS if drafted[name] != wanted[name]
    }


def _figure_found(fact: dict, text: str, suggestions: list) -> bool:
    spans = _quote_spans(text, fact["quote"])
    value = Decimal(fact["value"])
    return any(
        isinstance(s, FigureSuggestion)
        and s.unit == fact["unit"]
        and value in s.values
        and any(s.start < end and start < s.end for start, end in spans)
        for s in suggestions
    )
