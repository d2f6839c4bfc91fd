"""Spreadsheets in the admin: facts come in with their quotes, refused rows are said
plainly, and exported CSV opens in a spreadsheet with its Chinese intact."""

import csv
import io

import pytest
from django.urls import reverse

from markets.models import EventEvidence, ModeEvent, Source
from sellers.models import SellerCase, SellerCaseEvidence
from tests.factories import MarketFactory, ModeEventFactory, SourceFactory

pytestmark = pytest.mark.django_db

EVENT_COLUMNS = (
    "slug,mode,kind,markets,scope,date,date_precision,status_set,summary_en,"
    "publication,evidence_source,evidence_quote,evidence_claim"
)
BOM = b"\xef\xbb\xbf"


def upload(client, url_name: str, csv_text: str, *, bom: bool = False):
    """Post a CSV file to an admin import page: the preview, a dry run."""
    data = (BOM if bom else b"") + csv_text.encode()
    file = io.BytesIO(data)
    file.name = "rows.csv"
    return client.post(
        reverse(url_name), {"import_file": file, "format": "0", "resource": "0"}
    )


def confirm(client, url_name: str, preview) -> None:
    response = client.post(reverse(url_name), preview.context["confirm_form"].initial)
    assert response.status_code == 302


@pytest.fixture
def source(db):
    MarketFactory(code="DE")
    return SourceFactory(slug="xiaochuan")


def test_event_comes_in_with_its_quote_in_one_import(analyst_client, source):
    preview = upload(
        analyst_client,
        "admin:markets_modeevent_import",
        f"{EVENT_COLUMNS}\n"
        "beta,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,Beta,"
        "draft,xiaochuan,半闭环模式内测,\n",
        bom=True,
    )
    assert preview.status_code == 200
    assert not EventEvidence.objects.exists(), "the preview writes nothing"
    confirm(analyst_client, "admin:markets_modeevent_process_import", preview)
    event = ModeEvent.objects.get(slug="beta")
    (evidence,) = event.evidence.all()
    assert (evidence.source, evidence.quote) == (source, "半闭环模式内测")


def test_import_refuses_unknown_source_and_missing_quote_in_plain_words(
    analyst_client, source
):
    response = upload(
        analyst_client,
        "admin:markets_modeevent_import",
        f"{EVENT_COLUMNS},evidence_source_2,evidence_quote_2\n"
        "good,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,Fine,"
        "draft,xiaochuan,原文,,,\n"
        "no-source,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,"
        "Bad,draft,nowhere,原文,,,\n"
        "no-quote,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,"
        "Bad,draft,xiaochuan,,,xiaochuan,\n",
    )
    text = response.content.decode()
    assert "Some rows were refused" in text
    assert "Row 2, column evidence_source: No source has the slug “nowhere”." in text
    assert (
        "Row 3, column evidence_quote: Give the quote, verbatim, in the source's "
        "language."
    ) in text.replace("&#x27;", "'")
    assert "Row 3, column evidence_quote_2: Give the quote, verbatim" in text, (
        "a second piece of evidence is checked as the first"
    )
    # Readable without hovering: the library's tooltip is gone.
    assert "validation-error-container" not in text
    assert not ModeEvent.objects.exists()


def test_import_row_error_names_its_row(analyst_client, source):
    response = upload(
        analyst_client,
        "admin:markets_modeevent_import",
        f"{EVENT_COLUMNS}\n"
        "bad,semi_closed_loop,beta_launch,XX,markets,2024-02-01,month,beta,Bad,"
        "draft,xiaochuan,原文,\n",
    )
    text = response.content.decode()
    assert "Row 1, column markets: Unknown market: XX." in text


def test_quote_already_held_is_not_imported_twice(analyst_client, source):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    event.evidence.create(source=source, quote="原文")
    row = (
        "beta,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,"
        f"{event.summary_en},published,xiaochuan,原文,\n"
    )
    preview = upload(
        analyst_client, "admin:markets_modeevent_import", f"{EVENT_COLUMNS}\n{row}"
    )
    assert "Some rows were refused" not in preview.content.decode()
    confirm(analyst_client, "admin:markets_modeevent_process_import", preview)
    assert event.evidence.count() == 1


def test_seller_case_comes_in_with_its_quote(analyst_client, source):
    preview = upload(
        analyst_client,
        "admin:sellers_sellercase_import",
        "slug,seller_name,narrative_zh,publication,evidence_source,evidence_quote\n"
        "a-seller,某卖家,转向全托管,draft,xiaochuan,转向全托管\n",
    )
    assert "Some rows were refused" not in preview.content.decode()
    confirm(analyst_client, "admin:sellers_sellercase_process_import", preview)
    case = SellerCase.objects.get(slug="a-seller")
    assert SellerCaseEvidence.objects.get(fact=case).quote == "转向全托管"


def test_seller_case_with_unknown_source_is_refused(analyst_client, source):
    response = upload(
        analyst_client,
        "admin:sellers_sellercase_import",
        "slug,seller_name,narrative_zh,publication,evidence_source,evidence_quote\n"
        "a-seller,某卖家,转向全托管,draft,nowhere,转向全托管\n",
    )
    assert "No source has the slug “nowhere”." in response.content.decode()
    assert not SellerCase.objects.exists()


def test_exported_csv_starts_with_a_byte_order_mark_and_keeps_chinese(
    analyst_client, source
):
    event = ModeEventFactory(slug="beta", summary_zh="半闭环模式内测")
    event.evidence.create(source=source, quote="原文引语")
    export_page = analyst_client.get(reverse("admin:markets_modeevent_export"))
    form = export_page.context["form"]
    fields = {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", False)
    }
    response = analyst_client.post(
        reverse("admin:markets_modeevent_export"),
        {"format": "0", "resource": "0", **fields},
    )
    assert response.status_code == 200
    body = response.content
    assert body.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0]["slug"] == "beta"
    assert rows[0]["summary_zh"] == "半闭环模式内测"
    assert (rows[0]["evidence_source"], rows[0]["evidence_quote"]) == (
        "xiaochuan",
        "原文引语",
    )


def test_exported_csv_imports_back_unchanged(analyst_client, source):
    """The round trip: an exported file, BOM and all, imports with nothing to do."""
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    event.evidence.create(source=source, quote="原文引语")
    export_page = analyst_client.get(reverse("admin:markets_modeevent_export"))
    fields = {
        name: "on"
        for name, field in export_page.context["form"].fields.items()
        if getattr(field, "is_selectable_field", False)
    }
    exported = analyst_client.post(
        reverse("admin:markets_modeevent_export"),
        {"format": "0", "resource": "0", **fields},
    ).content
    file = io.BytesIO(exported)
    file.name = "events.csv"
    preview = analyst_client.post(
        reverse("admin:markets_modeevent_import"),
        {"import_file": file, "format": "0", "resource": "0"},
    )
    text = preview.content.decode()
    assert "Some rows were refused" not in text and "not imported" not in text
    confirm(analyst_client, "admin:markets_modeevent_process_import", preview)
    assert event.evidence.count() == 1


def test_imported_source_without_slug_gets_one_from_its_title(analyst_client):
    columns = "slug,title,title_en,publisher,kind,language,reported_via,publication"
    SourceFactory(slug="report")
    preview = upload(
        analyst_client,
        "admin:markets_source_import",
        f"{columns}\n"
        ",半闭环回归,,小川电商,article,zh-Hans,,draft\n"
        ",,,晚点LatePost,news_report,zh-Hans,report,draft\n",
    )
    assert "refused" not in preview.content.decode()
    confirm(analyst_client, "admin:markets_source_process_import", preview)
    assert Source.objects.get(title="半闭环回归").slug == "ban-bi-huan-hui-gui"
    outlet = Source.objects.get(publisher="晚点LatePost")
    assert (outlet.slug, outlet.reported_via.slug) == ("wan-dian-latepost", "report")
