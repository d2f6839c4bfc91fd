"""Analysts' work is never lost: history, version checks, safe reloads, refused deletes."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from markets.models import Market, ModeEvent, Publication, Source, StaleEditError
from sellers.models import SellerCase
from tests.factories import (
    MarketFactory,
    ModeEventFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def change_form_data(client, url: str) -> dict:
    """The change form's current values, as a browser would post them back."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def inline_management(prefix: str, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(initial),
        f"{prefix}-INITIAL_FORMS": str(initial),
    }


# --- History ---------------------------------------------------------------------------


def test_history_records_who_changed_what_and_why(analyst_client, analyst):
    market = MarketFactory(code="DE", name_en="Germany")
    url = reverse("admin:markets_market_change", args=[market.pk])
    data = change_form_data(analyst_client, url)
    data.update(name_en="Federal Republic of Germany", change_reason="Official name")

    response = analyst_client.post(url, data)

    assert response.status_code == 302
    latest = market.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        analyst,
        "Official name",
    )
    assert latest.name_en == "Federal Republic of Germany"
    history_page = analyst_client.get(
        reverse("admin:markets_market_history", args=[market.pk])
    )
    assert b"Official name" in history_page.content
    assert b"Federal Republic of Germany" in history_page.content  # the diff


def test_a_change_without_a_reason_is_refused(analyst_client):
    market = MarketFactory(code="FR")
    url = reverse("admin:markets_market_change", args=[market.pk])
    data = change_form_data(analyst_client, url)
    data.update(name_en="France!", change_reason="")
    response = analyst_client.post(url, data)
    assert "change_reason" in response.context["adminform"].form.errors
    market.refresh_from_db()
    assert market.name_en != "France!"


def test_revert_restores_an_earlier_version(analyst_client):
    market = MarketFactory(code="IT", name_en="Italy")
    first_version = market.history.first()
    market.name_en = "Italia"
    market.save()

    url = reverse(
        "admin:markets_market_simple_history", args=[market.pk, first_version.pk]
    )
    data = change_form_data(analyst_client, url)
    data["change_reason"] = "Revert the rename"
    response = analyst_client.post(url, data)

    assert response.status_code == 302
    market.refresh_from_db()
    assert market.name_en == "Italy"
    assert market.history.first().history_change_reason == "Revert the rename"


# --- No lost update --------------------------------------------------------------------


def test_saving_a_stale_admin_form_is_refused_naming_who_changed_it(analyst_client):
    event = ModeEventFactory(markets=[MarketFactory(code="DE")], summary_en="Before")
    url = reverse("admin:markets_modeevent_change", args=[event.pk])
    data = change_form_data(analyst_client, url)
    data.update(inline_management("evidence"), summary_en="Mine", change_reason="edit")

    rival = User.objects.create_user("lin", is_staff=True)
    newer = ModeEvent.objects.get(pk=event.pk)
    newer.summary_en = "Theirs"
    newer._history_user = rival
    newer.save()

    response = analyst_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "lin changed this record" in errors[0]
    event.refresh_from_db()
    assert event.summary_en == "Theirs"


def test_two_saves_from_the_same_version_cannot_both_win():
    market = MarketFactory(code="ES")
    first, second = Market.objects.get(pk=market.pk), Market.objects.get(pk=market.pk)
    first.name_en = "Spain (first)"
    first.save()
    second.name_en = "Spain (second)"
    with pytest.raises(StaleEditError):
        second.save()
    market.refresh_from_db()
    assert (market.name_en, market.version) == ("Spain (first)", 2)


# --- Drafts ----------------------------------------------------------------------------


def test_new_records_start_as_draft():
    region = RegionFactory()
    assert (
        Market.objects.create(
            code="JP", name_zh="日本", name_en="Japan", region=region
        ).publication
        == Publication.DRAFT
    )
    assert Source().publication == Publication.DRAFT
    assert ModeEvent().publication == Publication.DRAFT
    assert SellerCase().publication == Publication.DRAFT


# --- Reloading the article fixtures ----------------------------------------------------


def test_reloading_the_fixtures_keeps_an_analysts_edit(article_data):
    event = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    event.summary_en = "Edited by an analyst after the load."
    event.save()
    analysts_own = ModeEventFactory(
        slug="analysts-own-event", markets=[event.markets.first()]
    )

    call_command("load_articles", stdout=StringIO())

    event.refresh_from_db()
    assert event.summary_en == "Edited by an analyst after the load."
    assert ModeEvent.objects.filter(pk=analysts_own.pk).exists()


def test_loading_the_fixtures_records_their_origin_in_history(article_data):
    event = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    assert (
        event.history.get().history_change_reason == "Loaded from the article fixtures"
    )


# --- Refused deletions -----------------------------------------------------------------


def test_deleting_a_source_that_facts_rest_on_is_refused_naming_them(
    admin_client, article_data
):
    source = Source.objects.get(slug="xiaochuan-semi-closed-loop-eight-markets")
    response = admin_client.post(
        reverse("admin:markets_source_delete", args=[source.pk]),
        {"post": "yes"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Feb 2024 · Semi-closed loop · Beta launch" in page
    assert Source.objects.filter(pk=source.pk).exists()
    with pytest.raises(ProtectedError):
        source.delete()


def test_deleting_a_market_with_events_is_refused_naming_them(admin_client):
    germany = MarketFactory(code="DE")
    ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    response = admin_client.post(
        reverse("admin:markets_market_delete", args=[germany.pk]),
        {"post": "yes"},
        headers={"accept-language": "en"},
    )
    assert "Feb 2024 · Semi-closed loop · Beta launch" in response.content.decode()
    with pytest.raises(ProtectedError, match="events concern"):
        germany.delete()
    with pytest.raises(ProtectedError):
        Market.objects.filter(code="DE").delete()
    assert Market.objects.filter(code="DE").exists()


def test_a_market_without_events_can_be_deleted(admin_client):
    market = MarketFactory(code="NZ")
    market.delete()
    assert not Market.objects.filter(code="NZ").exists()


# --- Spreadsheet import ----------------------------------------------------------------

EVENT_COLUMNS = (
    "slug,mode,kind,markets,scope,date,date_precision,status_set,summary_en,publication"
)


def import_events(client, csv_text: str):
    upload = io.BytesIO(csv_text.encode())
    upload.name = "events.csv"
    return client.post(
        reverse("admin:markets_modeevent_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_event_import_previews_then_writes(analyst_client):
    MarketFactory(code="DE")
    preview = import_events(
        analyst_client,
        f"{EVENT_COLUMNS}\nnew-beta,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,Beta,draft\n",
    )
    assert preview.status_code == 200
    assert not ModeEvent.objects.exists(), "the preview is a dry run"
    confirm = preview.context["confirm_form"]
    response = analyst_client.post(
        reverse("admin:markets_modeevent_process_import"), confirm.initial
    )
    assert response.status_code == 302
    event = ModeEvent.objects.get(slug="new-beta")
    assert list(event.markets.values_list("code", flat=True)) == ["DE"]


def test_event_import_with_a_bad_row_reports_it_and_writes_nothing(analyst_client):
    MarketFactory(code="DE")
    response = import_events(
        analyst_client,
        f"{EVENT_COLUMNS}\n"
        "good,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,Fine,draft\n"
        "bad-date,semi_closed_loop,launch,DE,markets,2024-02-15,month,live,Bad,draft\n"
        "no-market,semi_closed_loop,launch,,markets,2024-02-01,month,live,None,draft\n",
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert "date" in invalid[2]
    assert "markets" in invalid[3]
    assert (
        "confirm_form" not in response.context
        or response.context["confirm_form"] is None
    )
    assert not ModeEvent.objects.exists()


def test_an_unknown_market_code_is_named_by_row_not_dropped(analyst_client):
    MarketFactory(code="DE")
    response = import_events(
        analyst_client,
        f"{EVENT_COLUMNS}\n"
        'two-codes,semi_closed_loop,beta_launch,"DE,ZZ",markets,2024-02-01,month,'
        "beta,Beta,draft\n",
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    (row,) = result.invalid_rows
    assert row.number == 1
    assert "ZZ" in str(row.error.message_dict["markets"])
    assert not ModeEvent.objects.exists()


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x.example","go")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
)
def test_export_never_writes_a_live_formula(analyst_client, text):
    event = ModeEventFactory(markets=[MarketFactory(code="DE")], summary_en=text)
    response = analyst_client.post(
        reverse("admin:markets_modeevent_export"),
        {"format": "0", "resource": "0", "modeeventresource_summary_en": "on"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == [f"'{text}"]
    event.refresh_from_db()
    assert event.summary_en == text


def test_seller_cases_export_as_xlsx_with_their_figures(analyst_client, article_data):
    response = analyst_client.post(
        reverse("admin:sellers_sellercase_export"),
        {
            "format": "1",
            "resource": "0",
            "sellercaseresource_figures": "on",
            "sellercaseresource_slug": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
