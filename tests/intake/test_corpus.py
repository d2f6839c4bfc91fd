"""The measured corpus (tests/intake/corpus): public sources on TikTok Shop's modes by
market, each with the facts an analyst read in it. The figures it gives are reported
(docs/intake.md), not held to a threshold here; what is held is that the corpus is
whole and every fact rests on words of its own source."""

import datetime
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from intake.suggestions.measuring import EVENT_FIELDS, load_corpus, measure_corpus
from markets.dates import DatePrecision
from markets.models.choices import EventKind
from markets.vocabulary import Mode

CORPUS = Path(__file__).parent / "corpus"


def test_corpus_loads_with_sources_in_both_languages():
    sources = load_corpus(CORPUS)
    languages = [source.language for source in sources]
    assert languages.count("en") >= 3
    assert languages.count("zh-Hans") >= 3
    for source in sources:
        assert source.url.startswith("http")
        assert source.publisher
        assert source.events


def test_every_fact_quotes_its_own_source():
    for source in load_corpus(CORPUS):
        for fact in [*source.events, *source.figures]:
            assert fact["quote"] in source.text, (source.slug, fact["quote"])


def test_every_event_uses_the_project_vocabulary():
    for source in load_corpus(CORPUS):
        for event in source.events:
            assert set(EVENT_FIELDS) <= set(event)
            assert event["mode"] in Mode.values
            assert event["kind"] in EventKind.values
            assert event["date_precision"] in DatePrecision.values
            datetime.date.fromisoformat(event["date"])
            assert all(len(code) == 2 and code.isupper() for code in event["markets"])


def test_measurement_counts_every_event_and_reports_shares():
    scores, total = measure_corpus(CORPUS)
    assert total.events == sum(len(s.source.events) for s in scores)
    assert 0 <= total.found <= total.events
    assert 0.0 <= total.share_unchanged <= 1.0
    for name in EVENT_FIELDS:
        assert 0.0 <= total.share_right(name) <= 1.0


def test_command_reports_the_corpus_per_source_and_overall():
    out = StringIO()
    call_command("measure_suggestions", corpus=CORPUS, stdout=out)
    report = out.getvalue()
    for source in load_corpus(CORPUS):
        assert source.slug in report
    assert "overall" in report
