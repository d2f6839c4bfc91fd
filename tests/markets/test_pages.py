"""The public pages of markets, events and sources: published records only."""

import datetime
import functools
import re

import pytest
from django.urls import reverse

from markets.dates import DatePrecision
from markets.filtersets import ModeEventFilterSet, SourceFilterSet
from markets.models import (
    EventKind,
    Market,
    Mode,
    ModeEvent,
    Publication,
    Source,
    Status,
)
from sellers.models import SellerCase
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    MarketFigureEvidenceFactory,
    MarketFigureFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


# --- Every page, on the article data ---------------------------------------------------


def public_addresses() -> list[str]:
    return [
        "/",
        "/?as_of=2023-10-01",
        reverse("markets:market-list"),
        reverse("markets:event-list"),
        reverse("markets:event-feed"),
        reverse("markets:source-list"),
        reverse("sellers:sellercase-list"),
        *(market.get_absolute_url() for market in Market.objects.all()),
        *(event.get_absolute_url() for event in ModeEvent.objects.all()),
        *(source.get_absolute_url() for source in Source.objects.all()),
        *(case.get_absolute_url() for case in SellerCase.objects.all()),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_public_page_answers_on_the_article_data(client, article_data, language):
    client.cookies["django_language"] = language
    for address in public_addresses():
        response = client.get(address)
        assert response.status_code == 200, address
        if response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            assert re.search(r"<title>[^<]+ · Loopwatch</title>", page), address
            assert "<h1" in page, address
            assert '<link rel="canonical" href="http://testserver/' in page, address


def test_pages_carry_no_inline_script_or_style(client, article_data):
    """The content security policy allows this site's files only."""
    for address in public_addresses():
        page = client.get(address).content.decode()
        assert " style=" not in page, address
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), address
        assert "<style" not in page, address


# --- Drafts ---------------------------------------------------------------------------


def test_draft_records_have_no_page(client):
    draft = Publication.DRAFT
    market = MarketFactory(publication=draft)
    event = ModeEventFactory(publication=draft, markets=[MarketFactory()])
    source = SourceFactory(publication=draft)
    for record in (market, event, source):
        assert client.get(record.get_absolute_url()).status_code == 404


def test_draft_records_are_in_no_list(client):
    ModeEventFactory(publication=Publication.DRAFT, summary_en="Secret draft event")
    SourceFactory(publication=Publication.DRAFT, title="Secret draft source")
    MarketFactory(publication=Publication.DRAFT, name_zh="秘密市场")
    for address, secret in [
        ("/events/", "Secret draft event"),
        ("/sources/", "Secret draft source"),
        ("/markets/", "秘密市场"),
    ]:
        client.cookies["django_language"] = "en"
        assert secret not in client.get(address).content.decode()


def test_a_published_event_hides_its_draft_markets(client):
    shown = MarketFactory(code="DE")
    hidden = MarketFactory(code="FR", publication=Publication.DRAFT)
    event = ModeEventFactory(markets=[shown, hidden])
    markets = client.get(event.get_absolute_url()).context["event"].markets.all()
    assert list(markets) == [shown]


# --- Events ---------------------------------------------------------------------------


@pytest.fixture
def events():
    europe = RegionFactory(code="europe")
    germany = MarketFactory(code="DE", region=europe)
    japan = MarketFactory(code="JP")
    article = SourceFactory(slug="article")
    beta = ModeEventFactory(
        slug="beta", markets=[germany, japan], date=datetime.date(2024, 2, 1)
    )
    EventEvidenceFactory(fact=beta, source=article)
    closure = ModeEventFactory(
        slug="closure",
        markets=[japan],
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        date=datetime.date(2023, 9, 1),
    )
    shop = ModeEventFactory(
        slug="shop",
        mode=Mode.CLOSED_LOOP,
        kind=EventKind.LAUNCH,
        status_set=Status.LIVE,
        markets=[germany],
        date=datetime.date(2023, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    return beta, closure, shop


@pytest.mark.parametrize(
    ("data", "slugs"),
    [
        ({"mode": "semi_closed_loop"}, ["beta", "closure"]),
        ({"kind": "closure_effective"}, ["closure"]),
        ({"status": "live"}, ["shop"]),
        ({"market": "de"}, ["beta", "shop"]),
        ({"region": "europe"}, ["beta", "shop"]),
        ({"date_after": "2023-06-01", "date_before": "2023-12-31"}, ["closure"]),
        ({"source": "article"}, ["beta"]),
    ],
)
def test_event_filterset(events, data, slugs):
    filterset = ModeEventFilterSet(data, queryset=ModeEvent.objects.public())
    assert sorted(event.slug for event in filterset.qs) == slugs


def test_event_list_filters_through_the_query_string(client, events):
    response = client.get("/events/", {"market": "JP", "mode": "semi_closed_loop"})
    # Latest first.
    assert [event.slug for event in response.context["page_obj"]] == [
        "beta",
        "closure",
    ]
    page = response.content.decode()
    assert "/events/feed/?market=JP&amp;mode=semi_closed_loop" in page


def test_event_list_is_paginated_by_25(client):
    market = MarketFactory()
    for index in range(30):
        ModeEventFactory(
            markets=[market],
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            date_precision=DatePrecision.DAY,
        )
    first = client.get("/events/")
    second = client.get("/events/", {"page": 2})
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert '<link rel="canonical" href="http://testserver/events/?page=2">' in (
        second.content.decode()
    )


def test_disputed_event_shows_every_claim_side_by_side_each_with_its_source(client):
    dispute = DisputeFactory(
        note_en="The articles disagree on the year of the first attempt.",
        note_zh="两篇文章对首次尝试的年份说法不一。",
    )
    event = ModeEventFactory(scope="none", dispute=dispute, date_wording="2021年8月")
    rival = ModeEventFactory(
        scope="none",
        dispute=dispute,
        date=datetime.date(2020, 1, 1),
        date_precision="approximate",
        date_wording="2020年左右",
    )
    first = EventEvidenceFactory(fact=event, quote="2021年8月,TikTok")
    second = EventEvidenceFactory(fact=rival, quote="早在2020年左右")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "两篇文章对首次尝试的年份说法不一。" in page
    claims = page[page.index('id="dispute-heading"') :]
    assert "早在2020年左右" in claims
    assert second.source.get_absolute_url() in claims
    assert first.source.get_absolute_url() in page
    side_by_side = client.get(dispute.get_absolute_url()).content.decode()
    for quote in ("2021年8月,TikTok", "早在2020年左右"):
        assert quote in side_by_side
    # A draft claim stays out of sight, and a dispute of drafts only is not found.
    rival.publication = event.publication = "draft"
    rival.save()
    assert "早在2020年左右" not in client.get(event.get_absolute_url()).content.decode()
    event.save()
    assert client.get(dispute.get_absolute_url()).status_code == 404


def test_event_page_shows_the_date_as_precisely_as_the_source(client):
    event = ModeEventFactory(
        markets=[MarketFactory()],
        date=datetime.date(2024, 2, 1),
        date_wording="2024年2月",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    # The reader's language words the month; no day the source does not give.
    assert "2024年2月" in page and "2024-02-01<" not in page


HEADLINES = [
    # scope, markets, English, Chinese
    (
        "markets",
        [("DE", "Germany", "德国"), ("FR", "France", "法国")],
        "Beta launch: Semi-closed loop in Germany, France, Feb 2024",
        "德国、法国半闭环开启内测，2024年2月",
    ),
    (
        "markets",
        [(code, code, code) for code in ("AU", "CA", "ES", "IT", "JP")],
        "Beta launch: Semi-closed loop in 5 markets, Feb 2024",
        "5 个市场半闭环开启内测，2024年2月",
    ),
    ("worldwide", [], "Beta launch: Semi-closed loop worldwide, Feb 2024", None),
    ("none", [], "Beta launch: Semi-closed loop, Feb 2024", None),
]


@pytest.mark.parametrize(("scope", "markets", "english", "chinese"), HEADLINES)
def test_an_event_page_leads_with_a_short_headline_then_the_summary(
    client, scope, markets, english, chinese
):
    event = ModeEventFactory(
        scope=scope,
        kind="beta_launch",
        markets=[
            MarketFactory(code=code, name_en=name_en, name_zh=name_zh)
            for code, name_en, name_zh in markets
        ],
        date=datetime.date(2024, 2, 1),
        summary_zh="",
        summary_en="TikTok relaunched the semi-closed loop in a beta.",
    )
    for language, headline in (("en", english), ("zh-hans", chinese)):
        page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        text = page.content.decode()
        (h1,) = re.findall(r"<h1>(.*?)</h1>", text, re.S)
        # Each name and the date stay whole on a line; the words are the title's.
        month = "Feb 2024" if language == "en" else "2024年2月"
        assert f'<span class="nobreak">{month}</span>' in h1
        h1 = re.sub(r"<[^>]+>", "", h1)
        if headline:
            assert h1 == headline
        assert f"<title>{h1} · Loopwatch</title>" in text
        assert text.index("TikTok relaunched the semi-closed loop") > text.index(h1)


def test_a_regions_event_is_headlined_by_its_region(client):
    region = RegionFactory(name_en="Southeast Asia", name_zh="东南亚")
    event = ModeEventFactory(
        scope="region",
        markets=[MarketFactory(region=region), MarketFactory(region=region)],
    )
    assert "in Southeast Asia," in event.headline


def test_date_notes_are_read_in_the_readers_language_else_the_other(client):
    source = SourceFactory(
        published_on=datetime.date(2024, 1, 1),
        published_precision="year",
        published_note="Inferred from the text.",
        published_note_zh="由正文推断。",
    )
    event = ModeEventFactory(
        markets=[MarketFactory()],
        date_note="The year is inferred.",
        date_note_zh="年份为推断。",
    )
    untranslated = ModeEventFactory(markets=[MarketFactory()], date_note="Only here.")
    for language, event_note, source_note in (
        ("en", "The year is inferred.", "Inferred from the text."),
        ("zh-hans", "年份为推断。", "由正文推断。"),
    ):
        read = functools.partial(client.get, HTTP_ACCEPT_LANGUAGE=language)
        assert event_note in read(event.get_absolute_url()).content.decode()
        assert source_note in read(source.get_absolute_url()).content.decode()
        assert "Only here." in read(untranslated.get_absolute_url()).content.decode()
    api = client.get(f"/api/mode-events/{event.slug}/").json()
    assert (api["date_note"], api["date_note_zh"]) == (
        "The year is inferred.",
        "年份为推断。",
    )
    api = client.get(f"/api/sources/{source.slug}/").json()
    assert api["published_note_zh"] == "由正文推断。"


# --- Sources --------------------------------------------------------------------------


@pytest.fixture
def relayed_interview():
    article = SourceFactory(slug="article", title="TikTok半闭环关闭")
    interview = SourceFactory(
        slug="interview", title="张婷采访", reported_via=article, kind="interview"
    )
    event = ModeEventFactory(markets=[MarketFactory()], summary_en="Closed in August")
    EventEvidenceFactory(fact=event, source=interview, quote="采访原话")
    case = SellerCaseFactory(seller_name_en="Yuguo")
    SellerCaseEvidenceFactory(fact=case, source=interview, quote="案例原话")
    figure = MarketFigureFactory(markets=[MarketFactory()], metric_en="GMV share")
    MarketFigureEvidenceFactory(fact=figure, source=interview, quote="数据原话")
    draft = ModeEventFactory(publication=Publication.DRAFT, summary_en="Draft fact")
    EventEvidenceFactory(fact=draft, source=interview, quote="草稿原话")
    return article, interview


def test_source_page_lists_every_fact_resting_on_it(client, relayed_interview):
    _, interview = relayed_interview
    client.cookies["django_language"] = "en"
    response = client.get(interview.get_absolute_url())
    page = response.content.decode()
    for quote in ("采访原话", "案例原话", "数据原话"):
        assert quote in page
    assert "Closed in August" in page
    assert "草稿原话" not in page and "Draft fact" not in page


def test_source_pages_link_relaying_and_relayed_sources(client, relayed_interview):
    article, interview = relayed_interview
    interview_page = client.get(interview.get_absolute_url()).content.decode()
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert article.get_absolute_url() in interview_page
    assert interview.get_absolute_url() in article_page


def test_source_list_counts_the_facts_resting_on_each(client, relayed_interview):
    response = client.get("/sources/", {"kind": "interview"})
    (source,) = response.context["page_obj"]
    assert source.slug == "interview" and source.fact_count == 3


def test_source_filterset_filters_by_relaying_source(relayed_interview):
    filterset = SourceFilterSet(
        {"reported_via": "article"}, queryset=Source.objects.public()
    )
    assert [source.slug for source in filterset.qs] == ["interview"]


# --- Analysts -------------------------------------------------------------------------


def test_edit_in_admin_link_only_for_staff(client, analyst_client, events):
    beta, _, _ = events
    admin_url = reverse("admin:markets_modeevent_change", args=[beta.pk])
    assert admin_url not in client.get(beta.get_absolute_url()).content.decode()
    assert admin_url in analyst_client.get(beta.get_absolute_url()).content.decode()


def test_edit_in_admin_link_on_every_detail_page(analyst_client, article_data):
    records = [
        Market.objects.get(code="DE"),
        ModeEvent.objects.first(),
        Source.objects.first(),
        SellerCase.objects.first(),
    ]
    for record in records:
        meta = record._meta
        admin_url = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk]
        )
        page = analyst_client.get(record.get_absolute_url()).content.decode()
        assert admin_url in page, record


def test_lists_link_their_admin_list_for_staff(client, analyst_client):
    for address, changelist in [
        ("/markets/", "admin:markets_market_changelist"),
        ("/events/", "admin:markets_modeevent_changelist"),
        ("/sources/", "admin:markets_source_changelist"),
        ("/sellers/", "admin:sellers_sellercase_changelist"),
        ("/", "admin:markets_modeevent_changelist"),
    ]:
        assert reverse(changelist) in analyst_client.get(address).content.decode()
        assert reverse(changelist) not in client.get(address).content.decode()


def test_staff_pages_cost_no_query_per_row(
    analyst_client, django_assert_max_num_queries
):
    """The admin links add the session and the user, never a query per row."""
    market = MarketFactory()
    for index in range(30):
        ModeEventFactory(markets=[market], slug=f"event-{index}")
    # 7 as the public's, and 2 for the session and the user; the record's version is
    # read for the filters' cached choices.
    with django_assert_max_num_queries(7 + 2 + 1):
        assert analyst_client.get("/events/").status_code == 200
