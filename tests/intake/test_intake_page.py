"""The suggestions page as one submission: a market the text names but the record
lacks is added with the facts, only ticked rows are checked, refused rows are listed
at the top, and the preview publishes everything accepted together."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from django.utils import translation

from markets.archive import source_archive
from markets.models import (
    ArchiveKind,
    Market,
    MarketFigure,
    ModeEvent,
    Publication,
    Source,
    Verification,
)
from tests.factories import MarketFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db

LAUNCH = "TikTok Shop launched its in-app shop in Ireland in March 2025."
SELLERS = "The platform said more than 2,000 sellers in Ireland had joined."
TEXT = f"{LAUNCH}\n{SELLERS}"
PREVIEW = reverse("admin:markets_modeevent_preview")


def suggestions_url(source: Source) -> str:
    return reverse("admin:markets_source_suggestions", args=[source.pk])


@pytest.fixture
def europe():
    return RegionFactory(code="europe", name_en="Europe", name_zh="欧洲")


@pytest.fixture
def irish_article(europe) -> Source:
    MarketFactory(code="GB", region=europe)
    source = SourceFactory(
        title="TikTok Shop opens in Ireland",
        language="en",
        published_on=datetime.date(2025, 9, 10),
        published_precision="day",
    )
    source_archive(source=source, text=TEXT, kind=ArchiveKind.PASTED)
    return source


def page_data(page, ticked: dict[str, dict], markets: dict[str, dict]) -> dict:
    """The page's form as offered, with the rows of ``ticked`` (by sentence) and the
    markets of ``markets`` (by code) ticked and changed."""
    data = {"sha256": page.context["copy"].sha256}
    rows = [
        (candidate.form, ticked.get(group.sentence.text))
        for group in page.context["groups"]
        for candidate in group.candidates
    ]
    rows += [(form, markets.get(form.code)) for form in page.context["new_markets"]]
    for form, changes in rows:
        for name, field in form.fields.items():
            if name != "accept":
                value = form.initial.get(name, field.initial)
                data[form.add_prefix(name)] = "" if value is None else value
        if changes is not None:
            data[form.add_prefix("accept")] = "on"
            data.update({form.add_prefix(k): v for k, v in changes.items()})
    return data


def test_a_market_the_text_names_is_offered_with_its_names_in_both_languages(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    (offer,) = page.context["new_markets"]
    assert offer.code == "IE"
    assert (offer.initial["name_en"], offer.initial["name_zh"]) == ("Ireland", "爱尔兰")
    assert "add Ireland (IE) to the record" in page.content.decode()
    with translation.override("zh-hans"):
        page = analyst_client.get(
            suggestions_url(irish_article), headers={"accept-language": "zh-hans"}
        )
    assert "将爱尔兰（IE）加入记录" in page.content.decode()


def test_ticking_the_market_adds_it_and_the_events_naming_it_at_once(
    irish_article, analyst_client, europe
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(page, {LAUNCH: {}}, {"IE": {"region": "europe"}})
    response = analyst_client.post(suggestions_url(irish_article), data)
    assert response.status_code == 302
    ireland = Market.objects.get(code="IE")
    assert (ireland.name_en, ireland.name_zh, ireland.region) == (
        "Ireland",
        "爱尔兰",
        europe,
    )
    assert ireland.publication == Publication.DRAFT
    event = ModeEvent.objects.get()
    assert list(event.markets.all()) == [ireland]
    assert f"market={ireland.pk}" in response.url
    assert f"id={event.pk}" in response.url


def test_a_market_refused_leaves_nothing_written_and_is_listed_at_the_top(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(page, {LAUNCH: {}}, {"IE": {"region": ""}})
    response = analyst_client.post(suggestions_url(irish_article), data)
    assert response.status_code == 200
    assert not Market.objects.filter(code="IE").exists()
    assert not ModeEvent.objects.exists()
    (row,) = response.context["errors"]
    assert row.anchor == "market-IE"
    assert 'href="#market-IE"' in response.content.decode()


def test_a_fact_refused_leaves_the_market_ticked_with_it_unwritten_too(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(
        page,
        # The figure's metric cleared: the model refuses the row.
        {LAUNCH: {}, SELLERS: {"metric_en": "", "metric_zh": ""}},
        {"IE": {"region": "europe"}},
    )
    response = analyst_client.post(suggestions_url(irish_article), data)
    assert response.status_code == 200
    assert [row.anchor[:16] for row in response.context["errors"]] == [
        "candidate-figure"
    ]
    assert not Market.objects.filter(code="IE").exists()
    assert not ModeEvent.objects.exists()
    assert not MarketFigure.objects.exists()


def test_an_event_naming_a_market_left_unticked_says_to_tick_it(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(page, {LAUNCH: {}}, {})
    response = analyst_client.post(suggestions_url(irish_article), data)
    assert response.status_code == 200
    (row,) = response.context["errors"]
    assert row.anchor.startswith("candidate-event-")
    assert "The record has no market IE yet" in " ".join(row.messages)
    assert not ModeEvent.objects.exists()
    with translation.override("zh-hans"):
        response = analyst_client.post(
            suggestions_url(irish_article),
            data,
            headers={"accept-language": "zh-hans"},
        )
    assert "记录中尚无市场 IE" in response.content.decode()


def test_unticked_rows_are_never_checked_nor_shown_with_errors(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    # The figure's row is broken (no metric, a code nobody knows), but left unticked;
    # the ticked event names a market that does not exist.
    data = page_data(page, {LAUNCH: {"markets": "XX"}}, {})
    for name in list(data):
        if name.startswith("figure-") and name.endswith("-metric_en"):
            data[name] = ""
        if name.startswith("figure-") and name.endswith("-markets"):
            data[name] = "XX"
    response = analyst_client.post(suggestions_url(irish_article), data)
    html = response.content.decode()
    assert html.count("No market has the code XX.") == 2  # the row, the summary
    assert "This field is required." not in html
    assert [row.anchor[:15] for row in response.context["errors"]] == [
        "candidate-event"
    ]


def test_previewing_from_the_events_list_brings_the_figures_and_markets_accepted(
    irish_article, editor_client
):
    page = editor_client.get(suggestions_url(irish_article))
    data = page_data(
        page,
        {LAUNCH: {}, SELLERS: {"metric_en": "sellers", "metric_zh": "商家数"}},
        {"IE": {"region": "europe"}},
    )
    editor_client.post(suggestions_url(irish_article), data)
    event, figure = ModeEvent.objects.get(), MarketFigure.objects.get()
    changelist = reverse("admin:markets_modeevent_changelist")
    preview = editor_client.post(
        changelist,
        {"action": "preview_publishing", helpers.ACTION_CHECKBOX_NAME: [event.pk]},
    )
    assert list(preview.context["figures"]) == [figure]
    assert [m.code for m in preview.context["markets"]] == ["IE"]


def test_from_paste_to_published_takes_at_most_four_submissions(europe, editor_client):
    """An English article naming a market the record lacks, walked as an editor
    would: paste, accept (adding the market), preview, publish. Every POST counts."""
    MarketFactory(code="GB", region=europe)
    posts = 0

    def post(url: str, data: dict):
        nonlocal posts
        posts += 1
        return editor_client.post(url, data, follow=True)

    # The language and kind are left as the form offers them: guessed from the text.
    source_data = {
        "title": "TikTok Shop opens in Ireland",
        "publisher": "Trade Weekly",
        "kind": "article",
        "language": "zh-Hans",
        "published_on": "2025-09-10",
        "published_precision": "day",
        "archive_text": TEXT,
        # The source published as it is saved: a draft source's quotes date no claim.
        "publication": "published",
        "relayed_sources-TOTAL_FORMS": "0",
        "relayed_sources-INITIAL_FORMS": "0",
    }
    post(reverse("admin:markets_source_add"), source_data)
    source = Source.objects.get(title="TikTok Shop opens in Ireland")

    page = editor_client.get(suggestions_url(source))
    data = page_data(
        page,
        {
            LAUNCH: {},
            SELLERS: {"metric_en": "sellers", "metric_zh": "商家数", "markets": "IE"},
        },
        {"IE": {"region": "europe"}},
    )
    preview = post(suggestions_url(source), data)
    assert preview.request["PATH_INFO"] == PREVIEW
    apply = {
        helpers.ACTION_CHECKBOX_NAME: [r.pk for r in preview.context["changing"]],
        "figure": [f.pk for f in preview.context["figures"]],
        "market": [m.pk for m in preview.context["markets"]],
        "state": "published",
        "change_reason": "checked against the article",
    }
    post(PREVIEW, apply)
    assert posts <= 4  # measured: 3, the source, the suggestions, the publication
    # Published together: the market, the event and the figure.
    assert Market.objects.get(code="IE").publication == Publication.PUBLISHED
    assert {e.publication for e in ModeEvent.objects.all()} == {Publication.PUBLISHED}
    assert MarketFigure.objects.get().publication == Publication.PUBLISHED
    # A separate visitor sees the facts, each resting on a verified quote.
    cells = Client().get("/api/status/", {"as_of": "2025-04-15"}).json()
    (launch,) = [cell for cell in cells if cell["market"] == "IE" and cell["event"]]
    assert (launch["mode"], launch["status"], launch["shown_as"]) == (
        "closed_loop",
        "live",
        "live",
    )
    (quote,) = launch["event"]["evidence"]
    assert (quote["quote"], quote["verification"]) == (LAUNCH, Verification.VERIFIED)
    assert quote["source"]["slug"] == source.slug
    assert MarketFigure.objects.get().evidence.get().verification == (
        Verification.VERIFIED
    )


def test_a_code_typed_in_a_ticked_row_is_offered_for_adding_on_the_page_again(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(
        page, {LAUNCH: {"markets": "IE, FR"}}, {"IE": {"region": "europe"}}
    )
    response = analyst_client.post(suggestions_url(irish_article), data)
    assert [form.code for form in response.context["new_markets"]] == ["FR", "IE"]
    assert "add France (FR) to the record" in response.content.decode()
    assert not Market.objects.filter(code__in=["FR", "IE"]).exists()


def test_a_market_refused_still_lets_the_other_rows_show_their_own_errors(
    irish_article, analyst_client
):
    page = analyst_client.get(suggestions_url(irish_article))
    data = page_data(
        page,
        {LAUNCH: {}, SELLERS: {"metric_en": "", "metric_zh": "", "markets": "GB"}},
        {"IE": {"region": "", "name_en": ""}},
    )
    response = analyst_client.post(suggestions_url(irish_article), data)
    anchors = [row.anchor for row in response.context["errors"]]
    assert anchors[0] == "market-IE"
    assert any(anchor.startswith("candidate-figure") for anchor in anchors)
    assert not Market.objects.filter(code="IE").exists()
    assert not MarketFigure.objects.exists()
