"""Suggestions read as a source's reader reads them: the tense, the clause, the
dateline, the mode's wording, what a figure counts; and the addresses and the new
source's fields made from them.

Each wording is written here, in English and in Chinese, beyond the two articles.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from intake.candidates import SuggestionGroup, add_candidates, offer_each_launch_once
from intake.source_guesses import guess_language, guess_source_kind
from intake.suggestions import (
    DateSuggestion,
    FigureSuggestion,
    by_sentence,
    draft_event,
    draft_figure,
    suggest,
)
from markets.dates import DatePrecision, date_slug
from markets.models import EventKind, FigureUnit, Mode, Source, StatusSet
from tests.factories import ModeEventFactory

D = datetime.date
PUBLISHED = D(2024, 9, 7)


def dates_of(text: str, published_on=PUBLISHED) -> list[DateSuggestion]:
    return [
        found
        for found in suggest(text, language="en", published_on=published_on)
        if isinstance(found, DateSuggestion)
    ]


def events_of(text: str, published_on=PUBLISHED) -> list:
    """Each date's draft event, with the markets of its sentence."""
    drafts = []
    for found in by_sentence(
        suggest(text, language="en", published_on=published_on)
    ).values():
        places = [item for item in found if not item.offered]
        drafts += [
            draft_event(item, places, published_on=published_on)
            for item in found
            if isinstance(item, DateSuggestion)
        ]
    return drafts


def only_event(text: str, published_on=PUBLISHED):
    drafts = events_of(text, published_on)
    assert len(drafts) == 1, drafts
    return drafts[0]


def offered_groups(text: str, published_on=PUBLISHED) -> list[SuggestionGroup]:
    """The suggestions page's groups for a text, as intake.candidates makes them."""
    source = SimpleNamespace(published_on=published_on)
    groups = []
    for sentence, found in by_sentence(
        suggest(text, language="en", published_on=published_on)
    ).items():
        group = SuggestionGroup(sentence=sentence)
        add_candidates(source, group, found, [f for f in found if f.offered], 0)
        groups.append(group)
    offer_each_launch_once(groups)
    return groups


# --- Dates counted from the publication ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        (
            "TikTok is set to launch its shop in Brazil in October.",
            D(2024, 10, 1),
            "month",
        ),
        ("TikTok will launch its shop in Peru in March.", D(2025, 3, 1), "month"),
        ("TikTok launched its shop in Ireland in November.", D(2023, 11, 1), "month"),
        ("TikTok将于3月在巴西上线全托管。", D(2025, 3, 1), "month"),
        ("TikTok在11月关闭了爱尔兰的半闭环。", D(2023, 11, 1), "month"),
        ("The shop opens in Spain next year.", D(2025, 1, 1), "year"),
        ("It plans to launch in Chile early next year.", D(2025, 1, 1), "year_early"),
        ("A pilot ran in Poland last month.", D(2024, 8, 1), "month"),
        ("A beta started this spring in Italy.", D(2024, 3, 1), "season"),
        ("It will reach Japan by the end of this year.", D(2024, 1, 1), "year_end"),
        ("半闭环上个月在日本关停。", D(2024, 8, 1), "month"),
        ("全托管今年底在韩国上线。", D(2024, 1, 1), "year_end"),
        ("明年将在巴西开放半闭环。", D(2025, 1, 1), "year"),
        ("下个月底将在墨西哥上线。", D(2024, 10, 1), "month_end"),
    ],
)
def test_a_relative_date_is_counted_from_the_sources_publication_by_its_tense(
    text, day, precision
):
    (date,) = dates_of(text)
    assert (date.day, date.precision) == (day, precision)


@pytest.mark.parametrize(
    "text",
    [
        "TikTok Shop returns to Latin America in October.\n"
        "TikTok is set to launch TikTok Shop in Brazil and Mexico in October.",
        "TikTok Shop拟10月重返拉美\n据知情人士透露，TikTok计划10月在巴西和墨西哥上线小店。",
    ],
)
def test_a_launch_set_for_october_is_offered_once_as_announced_ahead(text):
    candidates = [c for group in offered_groups(text) for c in group.candidates]
    assert len(candidates) == 1
    fields = candidates[0].draft.fields
    assert fields["kind"] == EventKind.LAUNCH_PLANNED
    assert fields["status_set"] == StatusSet.NONE
    assert fields["is_scheduled"] is True
    assert (fields["date"], fields["date_precision"]) == (D(2024, 10, 1), "month")
    assert candidates[0].draft.markets == ["BR", "MX"]


@pytest.mark.parametrize(
    "text",
    [
        "TikTok plans to open its shop in Spain in 2025.",
        "TikTok Shop is expected to launch in Chile in 2025.",
        "TikTok计划2025年在西班牙上线小店。",
        "全托管将于2025年在智利上线。",
        "预计2025年半闭环在日本重启。",
    ],
)
def test_what_is_announced_ahead_is_marked_scheduled(text):
    draft = only_event(text)
    assert draft.fields["is_scheduled"] is True
    assert draft.fields["kind"] != EventKind.LAUNCH  # a plan, not a launch seen


def test_a_launch_told_as_done_is_not_scheduled():
    draft = only_event("TikTok Shop launched in Indonesia in early 2022.")
    assert (draft.fields["kind"], draft.fields["is_scheduled"]) == (
        EventKind.LAUNCH,
        False,
    )


# --- Markets of their own clause -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        (
            "TikTok Shop first opened in Indonesia in early 2022, and later expanded "
            "to the UK and US.",
            ["ID"],
        ),
        ("TikTok Shop launched in early 2022, and later expanded to the UK.", []),
        ("2021年TikTok在印尼上线小店，随后扩展到英国和美国。", ["ID"]),
        (
            "The company ran a beta this spring in Germany, France, Spain and Italy.",
            ["DE", "FR", "ES", "IT"],
        ),
        ("2024年2月，德国、法国、西班牙开启内测。", ["DE", "FR", "ES"]),
    ],
)
def test_markets_belong_to_the_clause_that_names_them(text, markets):
    assert only_event(text).markets == markets


# --- The mode from its wording ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (
            "In 2021 sellers could link out to their own Shopify stores.",
            Mode.SEMI_CLOSED_LOOP,
        ),
        ("2021年卖家可以在视频里挂独立站链接。", Mode.SEMI_CLOSED_LOOP),
        ("2024年2月半闭环在八国重启内测。", Mode.SEMI_CLOSED_LOOP),
        ("In 2023 TikTok Shop opened its in-app shop in the UK.", Mode.CLOSED_LOOP),
        ("2023年英国全面转向闭环小店。", Mode.CLOSED_LOOP),
        (
            "In 2024 TikTok offered a fully managed program in Japan.",
            Mode.FULLY_MANAGED,
        ),
        ("2025年3月全托管模式在日本内测。", Mode.FULLY_MANAGED),
        ("In 2023 sellers in Japan were busy.", ""),
    ],
)
def test_the_mode_is_read_from_its_wording_and_blank_only_when_nothing_says(text, mode):
    assert only_event(text).fields["mode"] == mode


# --- The dateline --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "September 7, 2024\nTikTok Shop is set to launch in Brazil in October.",
        "By Jane Doe | Sep 7, 2024 | 3 min read\nTikTok will launch in Brazil in October.",
        "TikTok will launch in Brazil in October. Published on 7 September 2024.",
        "发布时间：2024-09-07 10:32\nTikTok将于10月在巴西上线小店。",
        "2024年9月7日\nTikTok将于10月在巴西上线小店。",
    ],
)
def test_the_sources_own_dateline_is_never_offered_as_a_fact(text):
    (date,) = dates_of(text)
    assert date.day == D(2024, 10, 1)


def test_a_day_in_a_first_sentence_that_tells_a_fact_is_no_dateline():
    (date,) = dates_of("新规于2024年3月5日生效。")
    assert date.day == D(2024, 3, 5)


def test_relative_dates_count_from_the_dateline_where_no_publication_is_recorded():
    text = "September 7, 2024\nA beta started this spring in Italy, and ends next year."
    days = [date.day for date in dates_of(text, published_on=None)]
    assert days == [D(2024, 3, 1), D(2025, 1, 1)]


# --- Figures with what they measure ----------------------------------------------------


def only_figure(text: str):
    found = suggest(text, language="en", published_on=PUBLISHED)
    figures = [item for item in found if isinstance(item, FigureSuggestion)]
    assert len(figures) == 1, figures
    places = [item for item in found if not item.offered]
    return figures[0], draft_figure(figures[0], places)


@pytest.mark.parametrize(
    ("text", "wording", "value"),
    [
        (
            "In Brazil, the company has a team of 40 working on onboarding.",
            "team of 40",
            40,
        ),
        ("A team of 40 workers is based in Mexico City.", "40 workers", 40),
        ("TikTok has 120 staff in Japan.", "120 staff", 120),
        ("该公司在日本有一支40人的团队。", "40人", 40),
    ],
)
def test_a_team_of_40_is_a_figure_of_team_size_never_a_label(text, wording, value):
    figure, draft = only_figure(text)
    assert (figure.wording, figure.value, figure.unit) == (
        wording,
        value,
        FigureUnit.COUNT,
    )
    assert (draft.fields["metric_en"], draft.fields["metric_zh"]) == (
        "team size",
        "团队人数",
    )
    assert any("guess" in guess for guess in draft.guesses)


def test_a_figure_whose_words_name_no_metric_leaves_it_to_the_analyst():
    _, draft = only_figure("The index rose 12% in 2023.")
    assert draft.fields["metric_en"] == draft.fields["metric_zh"] == ""


# --- Addresses at the date's precision -------------------------------------------------


@pytest.mark.parametrize(
    ("day", "precision", "slug"),
    [
        (D(2024, 10, 7), DatePrecision.DAY, "2024-10-07"),
        (D(2024, 10, 1), DatePrecision.MONTH, "2024-10"),
        (D(2024, 8, 1), DatePrecision.MONTH_END, "2024-08-end"),
        (D(2024, 3, 1), DatePrecision.SEASON, "2024-spring"),
        (D(2024, 7, 1), DatePrecision.QUARTER, "2024-q3"),
        (D(2024, 1, 1), DatePrecision.HALF, "2024-h1"),
        (D(2022, 1, 1), DatePrecision.YEAR_EARLY, "2022-early"),
        (D(2024, 1, 1), DatePrecision.YEAR, "2024"),
        (D(2023, 1, 1), DatePrecision.YEAR_END, "2023-end"),
        (D(2020, 1, 1), DatePrecision.APPROXIMATE, "2020-approx"),
    ],
)
def test_a_slug_names_a_date_at_its_own_precision(day, precision, slug):
    assert date_slug(day, precision) == slug


@pytest.mark.django_db
def test_a_slug_names_a_month_not_its_first_day():
    event = ModeEventFactory(
        slug="",
        mode=Mode.CLOSED_LOOP,
        kind=EventKind.LAUNCH_PLANNED,
        date=D(2024, 10, 1),
        date_precision=DatePrecision.MONTH,
    )
    assert event.slug == "closed-loop-launch-planned-2024-10"


# --- A new source's language and kind --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        (
            "TikTok is set to launch its shop in Brazil, according to people familiar "
            "with the plans, Reuters reported.",
            "en",
            "news_report",
        ),
        (
            "据路透社报道，TikTok将于10月在巴西上线小店。知情人士称此事已定。",
            "zh-Hans",
            "news_report",
        ),
        (
            "半闭环模式在八国重启内测，卖家可以挂 Shopify 独立站链接。",
            "zh-Hans",
            "article",
        ),
        (
            "In an interview, the seller told us how the closure hit sales.",
            "en",
            "interview",
        ),
        (
            "数据显示，2024年日本市场的月活跃用户超过5000万。报告显示增速放缓。",
            "zh-Hans",
            "data_report",
        ),
    ],
)
def test_a_texts_language_and_kind_are_guessed_from_its_words(text, language, kind):
    assert (guess_language(text), guess_source_kind(text)) == (language, kind)


def add_source(client, **fields):
    return client.post(
        reverse("admin:markets_source_add"),
        {
            "title": "TikTok Shop heads to Brazil",
            "publisher": "Trade Weekly",
            "kind": "article",
            "language": "zh-Hans",
            "relayed_sources-TOTAL_FORMS": "0",
            "relayed_sources-INITIAL_FORMS": "0",
            **fields,
        },
    )


ENGLISH_NEWS = (
    "TikTok is set to launch its shop in Brazil in October, according to people "
    "familiar with the plans."
)


@pytest.mark.django_db
def test_a_new_sources_language_and_kind_are_guessed_from_its_pasted_text(
    analyst_client,
):
    add_source(analyst_client, archive_text=ENGLISH_NEWS)
    source = Source.objects.get()
    assert (source.language, source.kind) == ("en", "news_report")


@pytest.mark.django_db
def test_the_language_and_kind_an_analyst_chose_are_kept(analyst_client):
    add_source(
        analyst_client, archive_text=ENGLISH_NEWS, language="de", kind="official"
    )
    source = Source.objects.get()
    assert (source.language, source.kind) == ("de", "official")
