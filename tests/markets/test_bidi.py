"""Right-to-left text and direction controls never reorder what stands beside them:
short fields refuse direction controls, long ones must close what they open, and every
page, feed and export isolates record text."""

import pytest
from django.core.exceptions import ValidationError

from markets.bidi import closes_what_it_opens, isolate
from markets.models import EventEvidence, Publication
from tests.factories import (
    MarketFactory,
    ModeEventFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
ARABIC_NAME = "متجر النور"


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("plain text", True),
        (f"{RLO}gpj.exe{PDF}", True),
        (f"{RLI}{RLO}nested{PDI}", True),  # the PDI closes the override inside it
        (f"{RLO}gpj.exe", False),
        (f"{PDF}ends one around it", False),
        (f"{PDI}", False),
        (f"{RLI}open isolate", False),
    ],
)
def test_a_long_text_must_close_every_direction_it_opens(text, closed):
    assert closes_what_it_opens(text) is closed


def test_a_name_holding_an_override_is_refused_through_the_api(analyst_api):
    RegionFactory(code="europe")
    response = analyst_api.post(
        "/api/markets/",
        {
            "code": "FR",
            "name_zh": "法国",
            "name_en": f"{RLO}ecnarF",
            "region": "europe",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "direction control" in response.json()["name_en"][0]


def test_a_summary_leaving_an_override_open_is_refused(analyst_api):
    MarketFactory(code="DE")
    SourceFactory(slug="eight-markets")
    response = analyst_api.post(
        "/api/mode-events/",
        {
            "slug": "beta",
            "mode": "semi_closed_loop",
            "kind": "beta_launch",
            "markets": ["DE"],
            "date": "2024-02-01",
            "date_precision": "month",
            "status_set": "beta",
            "summary_en": f"Beta {RLO}opens",
            "evidence": [{"source": "eight-markets", "quote": "内测"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["summary_en"]


@pytest.mark.parametrize(
    ("quote", "kept"), [(f"{RLO}原文{PDF}", True), (f"原文{RLO}", False)]
)
def test_a_verbatim_quote_may_hold_an_override_it_closes(quote, kept):
    evidence = EventEvidence(
        fact=ModeEventFactory(), source=SourceFactory(), quote=quote
    )
    if kept:
        evidence.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            evidence.full_clean()
        assert list(refused.value.message_dict) == ["quote"]


def test_the_admin_form_names_the_field_holding_an_override(analyst_client):
    market = MarketFactory(code="FR")
    response = analyst_client.post(
        f"/admin/markets/market/{market.pk}/change/",
        {
            "code": "FR",
            "name_zh": "法国",
            "name_en": f"Fr{RLO}ance",
            "publication": market.publication,
            "version": market.version,
        },
    )
    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    market.refresh_from_db()
    assert market.name_en != f"Fr{RLO}ance"


def test_right_to_left_names_are_welcome_and_isolated_in_exports(api_client):
    MarketFactory(code="EG", name_en=ARABIC_NAME, publication=Publication.PUBLISHED)
    MarketFactory(code="DE", name_en="Germany", publication=Publication.PUBLISHED)
    csv_text = api_client.get("/api/markets/?format=csv").content.decode("utf-8-sig")
    assert isolate(ARABIC_NAME) in csv_text
    assert (
        ",Germany," in csv_text or "\r\nDE,Germany" in csv_text or "Germany" in csv_text
    )
    assert "\u2068Germany" not in csv_text


def test_the_feed_isolates_summaries_and_source_names(client):
    ModeEventFactory(summary_en=ARABIC_NAME, publication=Publication.PUBLISHED)
    feed = client.get("/events/feed/", headers={"accept-language": "en"})
    assert f"&lt;bdi&gt;{ARABIC_NAME}&lt;/bdi&gt;" in feed.content.decode()


def test_the_site_stylesheet_isolates_record_text(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "unicode-bidi: isolate" in css
    assert "unicode-bidi: plaintext" in css


def test_full_clean_reports_every_field_at_once(db):
    market = MarketFactory.build(code="FR", name_zh=f"法{RLO}", name_en=f"{RLO}x")
    with pytest.raises(ValidationError) as refused:
        market.full_clean(validate_unique=False)
    assert {"name_zh", "name_en"} <= set(refused.value.message_dict)
