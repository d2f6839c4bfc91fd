"""Suggestions read as a reader of the whole text reads them: a day named from the
publication (Tuesday, 今日), what the headline or the sentence before has said already
(the market, the mode, what happened), and a country that says where sellers come from
rather than where they sell.

Each wording is written here, in English and in Chinese, beyond the corpus sources.
"""

import datetime

import pytest
from django.utils import translation

from intake.suggestions import DateSuggestion, MarketSuggestion, suggest
from markets.dates import DatePrecision
from markets.models import EventKind, Mode
from tests.intake.test_suggestion_wording import events_of

D = datetime.date
TUESDAY = D(2023, 9, 12)  # a Tuesday


def days_of(text: str, published_on=TUESDAY) -> list[tuple[str, datetime.date]]:
    return [
        (found.wording, found.day)
        for found in suggest(text, language="en", published_on=published_on)
        if isinstance(found, DateSuggestion)
    ]


def markets_of(text: str) -> list[str]:
    return [
        found.code
        for found in suggest(text, language="zh-Hans")
        if isinstance(found, MarketSuggestion)
    ]


def event_at(text: str, wording: str, published_on=TUESDAY):
    """The draft event of the date worded ``wording``, its guesses in English."""
    with translation.override("en"):
        drafts = [
            draft
            for draft in events_of(text, published_on)
            if draft.fields["date_wording"] == wording
        ]
    assert len(drafts) == 1, [d.fields["date_wording"] for d in events_of(text)]
    return drafts[0]


# --- Days named from the publication -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company said Tuesday it opened a shop.", [("Tuesday", D(2023, 9, 12))]),
        ("TikTok closed the shop on Friday.", [("Friday", D(2023, 9, 8))]),
        ("TikTok will close the shop on Friday.", [("Friday", D(2023, 9, 15))]),
        ("TikTok closed it last Tuesday.", [("last Tuesday", D(2023, 9, 5))]),
        ("TikTok opens it next Monday.", [("next Monday", D(2023, 9, 18))]),
        ("TikTok周五关闭了小店。", [("周五", D(2023, 9, 8))]),
        ("TikTok将于周五关闭小店。", [("周五", D(2023, 9, 15))]),
        ("TikTok上周二宣布关闭。", [("上周二", D(2023, 9, 5))]),
        ("TikTok下星期一上线。", [("下星期一", D(2023, 9, 18))]),
    ],
)
def test_weekday_dates_count_from_the_publication(text, expected):
    assert days_of(text) == expected
    with translation.override("en"):
        (found,) = suggest(text, language="en", published_on=TUESDAY)
    assert found.precision == DatePrecision.DAY
    assert "publication" in found.note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "TikTok Shop opens again in Indonesia starting today, Tuesday (12/12/2023).",
            [("Tuesday", D(2023, 9, 12))],
        ),
        ("TikTok Shop今起在印尼正式关闭。", [("今起", D(2023, 9, 12))]),
        ("TikTok Shop将于今日(9月12日)正式关闭。", [("9月12日", D(2023, 9, 12))]),
        ("TikTok Shop will close today, September 12.", [("September 12", TUESDAY)]),
    ],
)
def test_today_is_the_publication_day_said_once_beside_its_date(text, expected):
    assert days_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "每周二上新，周一至周五营业，两周一次。",
        "据今日头条报道，卖家很忙。",
        "Black Friday and Cyber Monday sales rose.",
        "Today's shoppers want video.",
    ],
)
def test_weekly_habits_spans_and_names_are_no_named_day(text):
    assert days_of(text) == []


def test_a_weekday_is_no_date_without_a_publication_date():
    assert days_of("The company said Tuesday it opened a shop.", None) == []
    assert days_of("TikTok周二宣布上线。", None) == []


# --- A country that says where sellers come from -------------------------------------


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        ("2023年9月1日，美国站向符合资质的中国跨境卖家全面开放。", ["US"]),
        ("中国卖家和中国大陆商家涌入英国站。", ["GB"]),
        ("美国跨境卖家也开始进入英国站。", ["GB"]),
        ("In September 2023 the US shop opened to sellers from China.", ["US"]),
        ("China-based sellers and UK-based brands joined the US shop.", ["US"]),
        ("China's cross-border sellers flocked to the UK shop.", ["GB"]),
        ("TikTok在中国市场叫抖音。", ["CN"]),
        ("The shop grew in the US based on video.", ["US"]),
    ],
)
def test_chinese_sellers_origin_is_not_the_market(text, markets):
    assert markets_of(text) == markets


# --- The market of the sentence before -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "TikTok is fully launching its shop in the U.S. this week. The company said "
            "Tuesday "
            "its shopping wing will include a Shop Tab.",
            "Tuesday",
        ),
        ("TikTok Shop正式进入美国市场。2023年9月起向所有用户开放。", "2023年9月"),
    ],
)
def test_a_market_named_in_the_previous_sentence_is_carried(text, wording):
    draft = event_at(text, wording)
    assert draft.markets == ["US"]
    assert any("sentence before" in guess for guess in draft.guesses)


@pytest.mark.parametrize(
    "text",
    [
        "TikTok opened in the US. Sellers were happy. It closed in October 2023.",
        "TikTok Shop进入美国。卖家很开心。2023年10月关闭。",
    ],
)
def test_a_market_two_sentences_back_is_not_carried(text):
    (draft,) = events_of(text, TUESDAY)
    assert draft.markets == []


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("TikTok Shop opened in the UK in 2021, but closed in 2023.", "in 2023"),
        ("英国站于2021年上线，后来于2023年关闭。", "2023年"),
    ],
)
def test_a_clause_naming_no_market_takes_its_sentences_subject(text, wording):
    assert event_at(text, wording).markets == ["GB"]


# --- The mode and what happened, from the headline or the nearest mention ------------


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("TK小店什么时候上线的\n\n泰国、越南:2022年11月起陆续上线。", "2022年11月"),
        ("TK小店什么时候上线的？\n\n泰国、越南:2022年11月起陆续上线。", "2022年11月"),
        (
            "TikTok Shop returns to Indonesia\n\nThe service reopened on December 12, "
            "2023.",
            "December 12, 2023",
        ),
    ],
)
def test_bare_launch_takes_the_mode_from_the_headline(text, wording):
    draft = event_at(text, wording)
    assert draft.fields["mode"] == Mode.CLOSED_LOOP
    assert any("headline" in guess for guess in draft.guesses)


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "TikTok bans external links. Sellers must open stores on TikTok Shop. "
            "A report said TikTok is preparing to launch in the US in August.",
            "August",
        ),
        ("外链将被禁止。卖家只能开TikTok Shop小店。据报道美国站准备8月上线。", "8月"),
    ],
)
def test_bare_launch_takes_the_mode_of_the_nearest_mention(text, wording):
    draft = event_at(text, wording, D(2023, 8, 25))
    assert draft.fields["mode"] == Mode.CLOSED_LOOP
    assert draft.fields["kind"] == EventKind.LAUNCH_PLANNED
    assert draft.fields["is_scheduled"] is True
    assert any("nearest sentence" in guess for guess in draft.guesses)


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "TikTok Shop launches in the U.S. as it bets on e-commerce\n\nThe company "
            "said Tuesday its "
            "shopping wing will include a Shop Tab.",
            "Tuesday",
        ),
        ("TK小店什么时候上线的\n\n印尼:2022年3月——东南亚首个全闭环站点。", "2022年3月"),
    ],
)
def test_a_sentence_without_kind_words_takes_the_headlines(text, wording):
    draft = event_at(text, wording)
    assert draft.fields["kind"] == EventKind.LAUNCH
    assert draft.fields["is_scheduled"] is False
    assert any("headline" in guess for guess in draft.guesses)


@pytest.mark.parametrize(
    ("text", "own", "other"),
    [
        (
            "The company said Tuesday its shop will include a Shop Tab, a "
            "marketplace it has been testing since August.",
            "Tuesday",
            "August",
        ),
        (
            "TikTok于2023年9月1日全面开放美区，2023年8月起已在内测。",
            "2023年9月1日",
            "2023年8月",
        ),
    ],
)
def test_a_clause_holding_another_date_tells_that_dates_event(text, own, other):
    assert event_at(text, own).fields["kind"] != EventKind.BETA_LAUNCH
    assert event_at(text, other).fields["kind"] == EventKind.BETA_LAUNCH


# --- Announced ahead, or not ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "Its shop will include a tab it has been testing since August.",
            "August",
        ),
        ("TikTok将推出2023年8月以来一直在内测的商城。", "2023年8月"),
    ],
)
def test_a_date_something_runs_since_is_not_announced_ahead(text, wording):
    assert event_at(text, wording).fields["is_scheduled"] is False


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("TikTok Shop将于今日(9月12日)正式关闭。", "9月12日"),
        ("TikTok Shop will close in Indonesia today, September 12.", "September 12"),
    ],
)
def test_what_a_report_says_happens_today_is_not_announced_ahead(text, wording):
    draft = event_at(text, wording)
    assert draft.fields["kind"] == EventKind.CLOSURE_EFFECTIVE
    assert draft.fields["is_scheduled"] is False


def test_a_day_after_the_publication_is_still_announced_ahead():
    draft = event_at("TikTok Shop将于9月13日正式关闭。", "9月13日")
    assert draft.fields["is_scheduled"] is True


# --- What happened, from more wordings -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("TikTok Shop opens again in Indonesia on December 12, 2023.", EventKind.RELAUNCH),
        ("TikTok Shop于2023年12月12日在印尼重新开放。", EventKind.RELAUNCH),
        ("TikTok has been testing the shop in Britain since March 2023.", EventKind.BETA_LAUNCH),
        ("2023年3月起在英国灰度测试。", EventKind.BETA_LAUNCH),
        ("TikTok plans to ban links to external sites from September 20, 2023.", EventKind.CLOSURE_EFFECTIVE),
        ("TikTok将于2023年9月20日禁止外链。", EventKind.CLOSURE_EFFECTIVE),
    ],
)  # fmt: skip
def test_opening_again_testing_and_banning_are_read(text, kind):
    (draft,) = events_of(text, TUESDAY)
    assert draft.fields["kind"] == kind


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "A launch is expected in August 2023 in the US, WSJ reported, adding that "
            "it was already being tested in Britain.",
            "August 2023",
        ),
        ("该项目预计2023年8月在美国上线，并称已在英国测试。", "2023年8月"),
    ],
)
def test_a_statement_added_to_a_report_keeps_its_own_markets(text, wording):
    assert event_at(text, wording).markets == ["US"]


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("TikTok said on Tuesday it will launch its shop in Spain.", "Tuesday"),
        ("TikTok周二宣布将在西班牙上线小店。", "周二"),
    ],
)
def test_the_weekday_something_was_said_on_is_not_announced_ahead(text, wording):
    wednesday = D(2023, 9, 13)
    draft = event_at(text, wording, wednesday)
    assert draft.fields["date"] == D(2023, 9, 12)
    assert draft.fields["is_scheduled"] is False
    assert draft.fields["kind"] == EventKind.LAUNCH
