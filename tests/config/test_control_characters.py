"""Control characters never reach the record, and the record's outputs never break on
one stored before: every writer refuses them in the words analysts write (field
errors, nothing written), the sources' own texts are archived without them, and the
feed and every CSV are well-formed whatever a row holds.

A single BEL (U+0007) in a published quote used to take /events/feed/ down for every
reader (Django's feed generator refuses it: a 500) and went into evidence.csv.
"""

import csv
import importlib
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from markets.admin_base import PublicationReasonForm
from markets.models import (
    Dispute,
    EventEvidence,
    MarketFigure,
    ModeEvent,
    Publication,
    SourceText,
)
from markets.models.sources import Source
from markets.quotes import text_hash
from sellers.models import SellerCase
from tests.datasets.conftest import make_release, member
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SellerCaseFactory,
    SourceFactory,
)
from tests.intake.archiving import source_form
from tests.intake.test_intake import FIGURE, accepted, keys, suggestions_url
from tests.intake.test_intake import article as archived_article
from tests.markets.test_api_writes import event_payload
from tests.markets.test_spreadsheets import EVENT_COLUMNS, upload

pytestmark = pytest.mark.django_db

#: An archived article, as the suggestions' tests make it.
article = archived_article

BEL = "\x07"
#: What no XML document, and no CSV a reader should open, may carry: C0 controls but
#: tab, line feed and carriage return; DEL and the C1 controls; U+FFFE and U+FFFF.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@pytest.fixture
def references() -> None:
    MarketFactory(code="DE")
    MarketFactory(code="FR")
    SourceFactory(slug="eight-markets")


# --- The API -----------------------------------------------------------------------


def test_a_bell_in_an_evidence_quote_posted_to_the_api_is_a_400_writing_nothing(
    analyst_api, references
):
    payload = event_payload(
        evidence=[{"source": "eight-markets", "quote": f"八个国家{BEL}重启内测"}]
    )
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["evidence"]
    assert "quote" in response.json()["evidence"]["0"]
    assert "U+0007" in response.json()["evidence"]["0"]["quote"][0]
    assert not ModeEvent.objects.exists()
    assert not EventEvidence.objects.exists()


@pytest.mark.parametrize(
    "character", [BEL, "\x00", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\ufdd0"]
)
def test_a_control_character_in_an_event_summary_posted_to_the_api_is_a_400(
    analyst_api, references, character
):
    payload = event_payload(summary_en=f"Beta{character} opens")
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["summary_en"]
    assert not ModeEvent.objects.exists()


def test_a_bell_in_a_patched_summary_leaves_the_event_as_it_was(
    analyst_api, references
):
    created = analyst_api.post("/api/mode-events/", event_payload(), format="json")
    event = ModeEvent.objects.get(slug=created.json()["slug"])
    response = analyst_api.patch(
        f"/api/mode-events/{event.slug}/",
        {"summary_en": f"Beta{BEL}", "version": event.version},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["summary_en"]
    event.refresh_from_db()
    assert event.summary_en == "The semi-closed loop opens in beta."


@pytest.mark.parametrize("text", ["Xiao\nchuan", "Xiao\tchuan", "Xiao\rchuan"])
def test_a_line_break_or_tab_in_a_one_line_field_is_a_400(analyst_api, text):
    response = analyst_api.post(
        "/api/sources/",
        {"title": text, "title_en": "Xiaochuan", "publisher": "小川电商"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert not Source.objects.exists()


def test_a_bell_in_the_reason_for_a_change_is_a_400(analyst_api, references):
    response = analyst_api.post(
        "/api/mode-events/",
        event_payload(change_reason=f"from the source{BEL}"),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["change_reason"]
    assert not ModeEvent.objects.exists()


def test_windows_line_ends_in_a_summary_are_stored_as_line_feeds(
    analyst_api, references
):
    payload = event_payload(summary_en="First line.\r\nSecond line.\rThird.")
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 201, response.json()
    event = ModeEvent.objects.get(slug=response.json()["slug"])
    assert event.summary_en == "First line.\nSecond line.\nThird."
    assert response.json()["summary_en"] == event.summary_en


def test_a_seller_narrative_keeps_its_tabs_and_line_breaks(editor_api):
    response = editor_api.post(
        "/api/seller-cases/",
        {
            "seller_name": "某卖家",
            "narrative_zh": "第一段\n\n\t第二段",
            "publication": "draft",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert SellerCase.objects.get().narrative_zh == "第一段\n\n\t第二段"


# --- The admin ---------------------------------------------------------------------


def test_the_admin_form_names_the_field_holding_a_bell(analyst_client):
    market = MarketFactory(code="FR")
    response = analyst_client.post(
        reverse("admin:markets_market_change", args=[market.pk]),
        {
            "code": "FR",
            "name_zh": "法国",
            "name_en": f"Fr{BEL}ance",
            "region": market.region_id,
            "publication": market.publication,
            "opened_version": market.version,
            "change_reason": "name",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["name_en"]
    market.refresh_from_db()
    assert market.name_en != f"Fr{BEL}ance"


def test_the_admin_form_names_a_reason_for_a_change_holding_a_bell(analyst_client):
    dispute = Dispute.objects.create(slug="when", note_en="The sources disagree.")
    response = analyst_client.post(
        reverse("admin:markets_dispute_change", args=[dispute.pk]),
        {"slug": "when", "note_en": "Still.", "note_zh": ""},
    )
    assert response.status_code == 302
    market = MarketFactory(code="FR")
    response = analyst_client.post(
        reverse("admin:markets_market_change", args=[market.pk]),
        {
            "code": "FR",
            "name_zh": "法国",
            "name_en": "France",
            "region": market.region_id,
            "publication": market.publication,
            "opened_version": market.version,
            "change_reason": f"renamed{BEL}",
        },
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["change_reason"]


def test_a_bulk_publication_reason_holding_a_bell_is_a_field_error():
    form = PublicationReasonForm({"change_reason": f"checked{BEL}"})
    assert not form.is_valid()
    assert list(form.errors) == ["change_reason"]


@pytest.mark.parametrize("how", ["pasted", "uploaded"])
def test_a_source_text_holding_control_characters_is_archived_without_them(
    analyst_client, how
):
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(analyst_client, source)
    text = f"第一页{BEL}的话\x0c第二页\x85第三段"
    if how == "pasted":
        data["archive_text"] = text
    else:
        data["archive_file"] = SimpleUploadedFile("page.txt", text.encode())
    assert analyst_client.post(url, data).status_code == 302
    # The source's words, not the analyst's: kept, each page break a line break.
    assert source.current_text().text == "第一页的话\n第二页\n第三段"


def test_an_accepted_suggestion_holding_a_bell_is_a_field_error(
    article, analyst_client
):
    key = keys(article, analyst_client)
    data = accepted(
        article, {key[FIGURE]: {"metric_en": f"GMV{BEL} target"}}, analyst_client
    )
    response = analyst_client.post(suggestions_url(article), data)
    assert response.status_code == 200
    forms = {c.key: c.form for g in response.context["groups"] for c in g.candidates}
    assert "U+0007" in str(forms[key[FIGURE]].errors["metric_en"])
    assert not MarketFigure.objects.exists()


# --- Imports and the article data --------------------------------------------------


def test_an_imported_row_with_a_bell_in_its_quote_is_refused(analyst_client):
    MarketFactory(code="DE")
    SourceFactory(slug="xiaochuan")
    response = upload(
        analyst_client,
        "admin:markets_modeevent_import",
        f"{EVENT_COLUMNS}\n"
        "beta,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,"
        f"Beta{BEL},draft,xiaochuan,半闭环{BEL}内测,\n",
    )
    text = response.content.decode()
    assert "Some rows were refused" in text
    assert "Row 1, column summary_en:" in text
    assert "Row 1, column evidence_quote:" in text
    assert not ModeEvent.objects.exists()
    assert not EventEvidence.objects.exists()


def test_the_article_data_holding_a_bell_is_refused(settings, tmp_path):
    fixture = [
        {
            "model": "markets.dispute",
            "fields": {
                "slug": "bell",
                "note_zh": "",
                "note_en": f"Ding{BEL}",
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            },
        }
    ]
    (tmp_path / "bell.json").write_text(json.dumps(fixture), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    settings.ARTICLE_FIXTURES = ["bell"]
    with pytest.raises(CommandError, match="note_en"):
        call_command("load_articles", stdout=io.StringIO())
    assert not Dispute.objects.exists()


def test_release_notes_holding_a_bell_are_kept_without_it():
    assert make_release(notes=f"For{BEL} readers").notes == "For readers"


def test_a_model_refuses_a_lone_surrogate_before_the_database_does():
    """A lone surrogate cannot be encoded as UTF-8: saved, it is a 500."""
    evidence = EventEvidence(
        fact=ModeEventFactory(), source=SourceFactory(), quote="原文\ud800"
    )
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert list(refused.value.message_dict) == ["quote"]


# --- Outputs of rows stored before, or by SQL --------------------------------------


def stored_by_sql(**values) -> tuple[ModeEvent, EventEvidence]:
    """A published event and its quote, then text written past every check."""
    evidence = EventEvidenceFactory(
        fact=ModeEventFactory(markets=[MarketFactory(code="DE")])
    )
    event = evidence.fact
    ModeEvent.objects.filter(pk=event.pk).update(
        summary_en=values.get("summary", f"Beta{BEL} opens\x85 in \ufffeGermany")
    )
    EventEvidence.objects.filter(pk=evidence.pk).update(
        quote=values.get("quote", f"半闭环{BEL}模式\x1b内测")
    )
    return event, evidence


def test_the_feed_answers_200_with_a_bell_stored_by_sql(client):
    stored_by_sql()
    response = client.get("/events/feed/", headers={"accept-language": "en"})
    assert response.status_code == 200
    text = response.content.decode()
    assert not UNSHOWABLE.search(text)
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    (entry,) = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert "Beta opens" in text
    # The quote is still there, without its control characters.
    assert "半闭环模式内测" in text


def test_the_api_csv_holds_no_control_character_stored_by_sql(api_client):
    stored_by_sql()
    response = api_client.get("/api/mode-events/?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert not UNSHOWABLE.search(text)
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert row["evidence.quote"] == "半闭环模式内测"


def test_evidence_csv_of_a_dataset_release_holds_no_control_character():
    stored_by_sql()
    release = make_release()
    for name in ("evidence", "mode-events"):
        text = member(release, f"{name}.csv").decode("utf-8-sig")
        assert not UNSHOWABLE.search(text), name
    evidence = member(release, "evidence.csv").decode("utf-8-sig")
    assert "半闭环模式内测" in evidence


def test_the_migration_cleans_control_characters_stored_before():
    event, evidence = stored_by_sql()
    case = SellerCaseFactory()
    SellerCase.objects.filter(pk=case.pk).update(
        seller_name="某\t卖家\n", narrative_zh=f"第一段\r\n第二段{BEL}"
    )
    dispute = Dispute.objects.create(slug="when", note_en="Ear\r\nlier, cafe\u0301")
    source = evidence.source
    SourceText.objects.create(
        source=source, text=f"原文{BEL}\x0c第二页", sha256="0" * 64, kind="pasted"
    )
    for app, name in (
        ("markets", "0026_text_without_control_characters"),
        ("sellers", "0010_text_without_control_characters"),
    ):
        migration = importlib.import_module(f"{app}.migrations.{name}")
        migration.clean_stored_text(apps, schema_editor=None)

    event.refresh_from_db()
    evidence.refresh_from_db()
    case.refresh_from_db()
    assert event.summary_en == "Beta opens\n in Germany"
    assert evidence.quote == "半闭环模式内测"
    assert (case.seller_name, case.narrative_zh) == ("某 卖家 ", "第一段\n第二段")
    dispute.refresh_from_db()
    assert dispute.note_en == "Ear\nlier, caf\u00e9", "made canonical as a save would"
    copy = source.current_text()
    # Each refused character of an archived text a space: quotes' offsets still hold.
    assert copy.text == "原文  第二页"
    assert copy.sha256 == text_hash(copy.text)


# --- The address ---------------------------------------------------------------------


@pytest.mark.parametrize("character", ["%7F", "%C2%85", "%C2%9B", "%EF%BF%BE"])
def test_a_del_or_c1_control_in_the_address_is_a_400(client, character):
    response = client.get(f"/search/?q=a{character}b")
    assert response.status_code == 400
