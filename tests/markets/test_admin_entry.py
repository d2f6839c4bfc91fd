"""Less typing in the admin: the market picker, addresses made from titles, relayed
outlets by name, readable event rows, drafts seen by staff."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from markets.models import (
    Dispute,
    Market,
    ModeEvent,
    Publication,
    Source,
    SourceKind,
)
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SellerCaseFactory,
    SourceFactory,
)
from tests.markets.test_api_writes import event_payload

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def picked(client, term: str) -> list[str]:
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "markets",
            "model_name": "modeevent",
            "field_name": "markets",
            "term": term,
        },
    )
    assert response.status_code == 200
    texts = [result["text"] for result in response.json()["results"]]
    ids = [int(result["id"]) for result in response.json()["results"]]
    codes = dict(Market.objects.filter(pk__in=ids).values_list("pk", "code"))
    assert len(texts) == len(ids)
    return [codes[pk] for pk in ids]


@pytest.fixture
def picker_markets(db) -> None:
    MarketFactory(code="AU", name_zh="澳大利亚", name_en="Australia")
    MarketFactory(code="US", name_zh="美国", name_en="United States")
    MarketFactory(code="BY", name_zh="白俄罗斯", name_en="Belarus")
    MarketFactory(code="UY", name_zh="乌拉圭", name_en="Uruguay")
    MarketFactory(code="MY", name_zh="马来西亚", name_en="Malaysia")
    MarketFactory(code="GB", name_zh="英国", name_en="United Kingdom")


def test_market_picker_ranks_the_exact_code_first(analyst_client, picker_markets):
    assert picked(analyst_client, "US")[0] == "US"
    assert picked(analyst_client, "us")[0] == "US"


def test_market_picker_ranks_exact_name_then_names_starting_with_the_term(
    analyst_client, picker_markets
):
    assert picked(analyst_client, "美国")[0] == "US"
    assert picked(analyst_client, "Malaysia")[0] == "MY"
    # Names starting with the term come before names merely holding it.
    assert picked(analyst_client, "United") == ["GB", "US"]
    assert picked(analyst_client, "u")[:3] == ["GB", "US", "UY"]


def test_market_picker_is_one_paged_query(
    analyst_client, picker_markets, django_assert_max_num_queries
):
    MarketFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        response = analyst_client.get(
            AUTOCOMPLETE,
            {
                "app_label": "markets",
                "model_name": "modeevent",
                "field_name": "markets",
                "term": "a",
            },
        )
    assert len(response.json()["results"]) == 20
    assert response.json()["pagination"]["more"] is True


# --- Addresses made from titles ------------------------------------------------------


def source_form(**fields: str) -> dict[str, str]:
    """The Source add form as an analyst posts it, with no relayed outlet."""
    return {
        "title": "",
        "title_en": "",
        "slug": "",
        "publisher": "",
        "kind": SourceKind.ARTICLE,
        "url": "",
        "language": "zh-Hans",
        "published_on": "",
        "published_precision": "",
        "published_wording": "",
        "published_note": "",
        "published_note_zh": "",
        "reported_via": "",
        "change_reason": "",
        "opened_version": "",
        "relayed_sources-TOTAL_FORMS": "0",
        "relayed_sources-INITIAL_FORMS": "0",
        "relayed_sources-MIN_NUM_FORMS": "0",
        "relayed_sources-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_source_added_without_slug_gets_one_from_its_title_and_the_message_links_it(
    analyst_client,
):
    response = analyst_client.post(
        reverse("admin:markets_source_add"),
        source_form(title="半闭环回归", publisher="小川电商"),
        follow=True,
    )
    source = Source.objects.get()
    assert source.slug == "ban-bi-huan-hui-gui"
    address = f"http://testserver/sources/{source.slug}/"
    assert source.get_absolute_url() in address
    assert f'<a href="{address}">{address}</a>' in response.content.decode()


def test_source_slug_prefers_the_english_title_and_is_unique():
    first = SourceFactory(slug="", title="标题", title_en="The Loop Returns")
    second = SourceFactory(slug="", title="另一个", title_en="The Loop Returns")
    third = SourceFactory(slug="", title="第三", title_en="The Loop Returns")
    assert [first.slug, second.slug, third.slug] == [
        "the-loop-returns",
        "the-loop-returns-2",
        "the-loop-returns-3",
    ]


def test_typed_slug_is_kept(analyst_client):
    analyst_client.post(
        reverse("admin:markets_source_add"),
        source_form(title="标题", publisher="小川电商", slug="my-own-address"),
    )
    assert Source.objects.get().slug == "my-own-address"


def test_event_slug_is_made_from_mode_kind_and_date_on_the_server():
    event = ModeEventFactory(slug="")
    again = ModeEventFactory(slug="")
    assert event.slug == "semi-closed-loop-beta-launch-2024-02"
    assert again.slug == "semi-closed-loop-beta-launch-2024-02-2"


def test_seller_case_slug_is_made_from_the_names():
    case = SellerCaseFactory(
        slug="", seller_name="卖家", seller_name_en="", person_name=""
    )
    assert case.slug == "mai-jia"


def test_api_source_post_without_slug_returns_the_slug_made(analyst_api):
    response = analyst_api.post(
        "/api/sources/",
        {
            "title": "半闭环回归",
            "title_en": "Semi-closed loop returns",
            "publisher": "小川电商",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "semi-closed-loop-returns"
    assert Source.objects.get().slug == "semi-closed-loop-returns"


def test_api_event_post_without_slug_gets_the_same_address_as_the_admin(
    analyst_api,
):
    MarketFactory(code="DE")
    MarketFactory(code="FR")
    SourceFactory(slug="eight-markets")
    ModeEventFactory(slug="semi-closed-loop-beta-launch-2024-02")
    payload = event_payload()
    del payload["slug"]
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "semi-closed-loop-beta-launch-2024-02-2"


# --- Relayed outlets -----------------------------------------------------------------


def test_outlet_is_recorded_from_the_relaying_article_by_its_name_alone(
    analyst_client,
):
    article = SourceFactory(slug="report", title_en="A report", title="A report")
    data = source_form(
        title=article.title,
        title_en=article.title_en,
        slug=article.slug,
        publisher=article.publisher,
        url=article.url,
        published_on="2024-03-01",
        published_precision="month",
        change_reason="outlet it relays",
        opened_version=str(article.version),
        **{
            "relayed_sources-TOTAL_FORMS": "1",
            "relayed_sources-0-publisher": "晚点LatePost",
            "relayed_sources-0-kind": SourceKind.NEWS_REPORT,
            "relayed_sources-0-title": "",
            "relayed_sources-0-url": "",
            "relayed_sources-0-language": "zh-Hans",
        },
    )
    response = analyst_client.post(
        reverse("admin:markets_source_change", args=[article.pk]), data
    )
    assert response.status_code == 302, response.context["errors"]
    outlet = Source.objects.get(reported_via=article)
    assert (outlet.title, str(outlet), outlet.display_title) == (
        "",
        "晚点LatePost",
        "晚点LatePost",
    )
    assert outlet.slug == "wan-dian-latepost"


def test_outlet_and_its_article_are_added_together(analyst_client):
    data = source_form(
        title="Report",
        publisher="Some Daily",
        **{
            "relayed_sources-TOTAL_FORMS": "1",
            "relayed_sources-0-publisher": "晚点LatePost",
            "relayed_sources-0-kind": SourceKind.NEWS_REPORT,
            "relayed_sources-0-language": "zh-Hans",
        },
    )
    response = analyst_client.post(reverse("admin:markets_source_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Source.objects.get(publisher="晚点LatePost").reported_via.title == "Report"


def test_blank_outlet_row_left_as_offered_adds_nothing(analyst_client):
    data = source_form(
        title="Report",
        publisher="Some Daily",
        **{
            "relayed_sources-TOTAL_FORMS": "1",
            "relayed_sources-0-publisher": "",
            "relayed_sources-0-kind": SourceKind.NEWS_REPORT,
            "relayed_sources-0-language": "zh-Hans",
        },
    )
    response = analyst_client.post(reverse("admin:markets_source_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Source.objects.count() == 1


def test_outlet_added_from_the_article_keeps_the_reason_in_its_history(
    analyst_client,
):
    article = SourceFactory(slug="report")
    data = source_form(
        title=article.title,
        title_en=article.title_en,
        slug=article.slug,
        publisher=article.publisher,
        url=article.url,
        published_on="2024-03-01",
        published_precision="month",
        change_reason="outlet named in the report",
        opened_version=str(article.version),
        **{
            "relayed_sources-TOTAL_FORMS": "1",
            "relayed_sources-0-publisher": "晚点LatePost",
            "relayed_sources-0-kind": SourceKind.NEWS_REPORT,
            "relayed_sources-0-language": "zh-Hans",
        },
    )
    analyst_client.post(reverse("admin:markets_source_change", args=[article.pk]), data)
    outlet = Source.objects.get(reported_via=article)
    record = outlet.history.get()
    assert (record.history_change_reason, record.history_user.username) == (
        "outlet named in the report",
        "analyst",
    )


def test_untitled_source_that_nothing_relays_is_refused(analyst_client):
    response = analyst_client.post(
        reverse("admin:markets_source_add"), source_form(publisher="Some Daily")
    )
    assert response.status_code == 200
    assert "Give the title, or the article that relays this outlet." in (
        response.content.decode()
    )
    assert not Source.objects.exists()


def test_source_still_cannot_relay_itself():
    source = SourceFactory()
    source.reported_via = source
    with pytest.raises(ValidationError) as raised:
        source.full_clean()
    assert "reported_via" in raised.value.message_dict


def test_api_accepts_an_outlet_with_reported_via_and_publisher_only(analyst_api):
    article = SourceFactory(slug="report")
    response = analyst_api.post(
        "/api/sources/",
        {"reported_via": "report", "publisher": "晚点LatePost"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "wan-dian-latepost"
    assert Source.objects.get(slug="wan-dian-latepost").reported_via == article


def test_untitled_outlet_reads_by_its_publisher_on_public_pages(client):
    article = SourceFactory(slug="report")
    outlet = SourceFactory(
        slug="outlet",
        title="",
        title_en="",
        publisher="晚点LatePost",
        reported_via=article,
    )
    EventEvidenceFactory(
        source=outlet, fact=ModeEventFactory(markets=[MarketFactory(code="DE")])
    )
    page = client.get(outlet.get_absolute_url()).content.decode()
    assert "<h1" in page and "晚点LatePost</h1>" in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert "晚点LatePost</a>" in article_page
    event_page = client.get(ModeEvent.objects.get().get_absolute_url()).content.decode()
    assert "晚点LatePost</a>" in event_page
    assert "<cite" not in event_page.split("晚点LatePost")[1][:20]


# --- Event rows ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 30])
def test_event_rows_show_headline_status_markets_and_dispute_in_fixed_queries(
    analyst_client, django_assert_max_num_queries, count
):
    markets = [MarketFactory(code=code) for code in ("DE", "FR", "IT")]
    dispute = DisputeFactory(slug="dates", note_en="The dates disagree.")
    for number in range(count):
        ModeEventFactory(
            markets=markets[: number % 3 + 1], dispute=dispute if number % 2 else None
        )
    with django_assert_max_num_queries(14):
        response = analyst_client.get(reverse("admin:markets_modeevent_changelist"))
    page = response.content.decode()
    assert "Beta launch: Semi-closed loop in Market DE," in page
    assert "DE, FR, IT" in page
    assert 'alt="True"' in page and 'alt="False"' in page


# --- Drafts seen by staff at their public address ------------------------------------

DRAFT_BANNER = "Draft: the public does not see this"


def draft_records() -> dict[str, object]:
    market = MarketFactory(code="DE")
    draft = Publication.DRAFT
    event = ModeEventFactory(markets=[market], publication=draft)
    source = SourceFactory(publication=draft)
    EventEvidenceFactory(fact=event, source=source)
    return {
        "event": event,
        "source": source,
        "seller case": SellerCaseFactory(publication=draft, reacts_to=event),
        "market": MarketFactory(code="FR", publication=draft),
    }


def test_staff_see_a_draft_at_its_address_with_a_banner_and_the_public_gets_404(
    analyst_client,
):
    for name, record in draft_records().items():
        address = record.get_absolute_url()
        assert Client().get(address).status_code == 404, name
        page = analyst_client.get(address)
        assert page.status_code == 200, name
        assert DRAFT_BANNER in page.content.decode(), name
        # A second, separate visitor after staff: nothing of the draft was kept.
        assert Client().get(address).status_code == 404, name


def test_published_record_shows_no_draft_banner_to_staff(analyst_client):
    event = ModeEventFactory(markets=[MarketFactory(code="DE")])
    page = analyst_client.get(event.get_absolute_url()).content.decode()
    assert DRAFT_BANNER not in page
    assert "Edit in admin" in page
    public = Client().get(event.get_absolute_url()).content.decode()
    assert DRAFT_BANNER not in public and "Edit in admin" not in public


# --- Disputes, typed once ------------------------------------------------------------


@pytest.mark.parametrize(
    "model_name", ["markets.modeevent", "markets.marketfigure", "sellers.sellercase"]
)
def test_dispute_is_picked_by_search_on_every_claim(analyst_client, model_name):
    DisputeFactory(slug="closure-date", note_en="When the loop closed in the US.")
    app_label, model = model_name.split(".")
    response = analyst_client.get(
        AUTOCOMPLETE,
        {
            "app_label": app_label,
            "model_name": model,
            "field_name": "dispute",
            "term": "loop closed",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["closure-date"]


def test_dispute_added_in_the_popup_needs_only_its_note(analyst_client):
    response = analyst_client.post(
        reverse("admin:markets_dispute_add") + "?_to_field=id&_popup=1",
        {
            "slug": "",
            "note_zh": "",
            "note_en": "When the semi-closed loop closed in the US and GB.",
            "_to_field": "id",
            "_popup": "1",
        },
    )
    assert response.status_code == 200, "the popup closes itself"
    assert Dispute.objects.get().slug == "when-the-semi-closed-loop-closed-in"
