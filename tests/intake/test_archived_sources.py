"""Archived sources and verified quotes: every writer refuses a quote its source's text
does not hold, re-archiving re-checks the quotes, and the public opens the text at each
quote."""

import io
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from intake.uploads import extract_upload
from markets.archive import evidence_models, source_archive
from markets.models import (
    ArchiveKind,
    EventEvidence,
    ModeEvent,
    Publication,
    Source,
    SourceText,
    Verification,
)
from markets.quotes import locate, text_hash
from markets.resources import EventEvidenceResource
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SellerCaseEvidenceFactory,
    SourceFactory,
)
from tests.intake.archiving import TEXT_OPERATORS, pdf_of, source_form

pytestmark = pytest.mark.django_db

ARTICLE = (
    "最近跨境电商圈炸了个小锅，TikTok要关半闭环了。\n"
    "转头2024年2月就悄悄在八个国家重启内测：德国，法国，西班牙。\n"
    "卖家说：“订单哗哗地来（真的）”。"
)
QUOTE = "转头2024年2月就悄悄在八个国家重启内测"


def archive(source: Source, text: str = ARTICLE):
    return source_archive(source=source, text=text, kind=ArchiveKind.PASTED)


@pytest.fixture
def article() -> Source:
    source = SourceFactory(slug="eight-markets")
    archive(source)
    return source


def new_evidence(source: Source, quote: str, **kwargs) -> EventEvidence:
    return EventEvidence(
        fact=kwargs.pop("fact", None) or ModeEventFactory(), source=source, quote=quote
    )


# --- The rule: where a quote stands ------------------------------------------------


def test_a_quote_is_placed_where_it_stands_with_its_context():
    selector = locate(QUOTE, ARTICLE)
    assert ARTICLE[selector.start : selector.end] == QUOTE == selector.exact
    assert ARTICLE.endswith(selector.suffix, 0, selector.end + len(selector.suffix))
    assert selector.prefix == ARTICLE[max(0, selector.start - 32) : selector.start]


@pytest.mark.parametrize(
    "quote",
    [
        "德国,法国,西班牙",  # half-width commas for full-width ones
        "重启内测:德国",  # a half-width colon
        '卖家说:"订单哗哗地来(真的)"',  # half-width quotes and brackets
        "最近跨境电商圈炸了个小锅，  TikTok要关\n半闭环了",  # whitespace differs
    ],
)
def test_whitespace_and_punctuation_width_are_tolerated(quote):
    selector = locate(quote, ARTICLE)
    assert selector is not None
    # The positions point into the original text, with its own punctuation.
    assert ARTICLE[selector.start : selector.end] == selector.exact
    assert selector.exact[0] == quote.strip()[0]


@pytest.mark.parametrize(
    "quote",
    [
        "转头2024年3月就悄悄在八个国家重启内测",  # another digit
        "转头2024年2月就悄悄在九个国家重启内测",  # another character
        "tiktok要关半闭环了",  # another case
        "ＴikTok要关半闭环了",  # a full-width letter is a letter, not punctuation
    ],
)
def test_a_different_letter_digit_or_case_is_refused(quote):
    assert locate(quote, ARTICLE) is None


def test_a_quote_not_in_the_text_is_a_field_error_on_quote(article):
    evidence = new_evidence(article, "TikTok在八个国家全面上线")
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert list(refused.value.message_dict) == ["quote"]


def test_a_relayed_outlets_quote_is_checked_against_the_relaying_article(article):
    outlet = SourceFactory(slug="interview", reported_via=article)
    # Its own text, if any, is not what its quotes are: the article's words are.
    archive(outlet, "采访原文，完全不同的一段话。")
    found = new_evidence(outlet, QUOTE)
    found.full_clean()
    assert found.verification == Verification.VERIFIED
    assert ARTICLE[found.quote_start : found.quote_end] == QUOTE
    with pytest.raises(ValidationError) as refused:
        new_evidence(outlet, "采访原文").full_clean()
    assert "quote" in refused.value.message_dict


def test_a_quote_of_a_source_without_text_is_unverified():
    evidence = new_evidence(SourceFactory(), "任何一句话")
    evidence.full_clean()
    evidence.save()
    assert evidence.verification == Verification.UNVERIFIED
    assert evidence.selector is None


# --- Every writer refuses it -------------------------------------------------------


def test_the_admin_inline_refuses_a_quote_not_in_the_text(analyst_client, article):
    event = ModeEventFactory(markets=[MarketFactory(code="DE")], summary_en="Before")
    url = reverse("admin:markets_modeevent_change", args=[event.pk])
    form = analyst_client.get(url).context["adminform"].form
    data = {
        name: str(form[name].value())
        for name in form.fields
        if form[name].value() is not None and not isinstance(form[name].value(), list)
    }
    data |= {
        "markets": [str(pk) for pk in event.markets.values_list("pk", flat=True)],
        "summary_en": "After",
        "change_reason": "new quote",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-source": str(article.pk),
        "evidence-0-quote": "TikTok在八个国家全面上线",
        "evidence-0-claim": "",
    }
    response = analyst_client.post(url, data)

    assert response.status_code == 200
    (formset,) = response.context["inline_admin_formsets"]
    assert "quote" in formset.formset.forms[0].errors
    event.refresh_from_db()
    assert event.summary_en == "Before"
    assert not EventEvidence.objects.exists()

    data["evidence-0-quote"] = "德国,法国,西班牙"
    assert analyst_client.post(url, data).status_code == 302
    saved = EventEvidence.objects.get()
    assert saved.verification == Verification.VERIFIED
    assert saved.quote_exact == "德国，法国，西班牙" or saved.quote_exact in ARTICLE


def test_the_api_refuses_a_quote_not_in_the_text_on_the_items_quote(
    analyst_api, article
):
    MarketFactory(code="DE")
    payload = {
        "slug": "beta-2024-02",
        "mode": "semi_closed_loop",
        "kind": "beta_launch",
        "markets": ["DE"],
        "date": "2024-02-01",
        "date_precision": "month",
        "status_set": "beta",
        "summary_en": "Beta.",
        "evidence": [
            {"source": "eight-markets", "quote": QUOTE},
            {"source": "eight-markets", "quote": "2024年3月在八个国家重启"},
        ],
    }
    response = analyst_api.post("/api/mode-events/", payload, format="json")

    assert response.status_code == 400
    errors = response.json()["evidence"]
    assert list(errors) == ["1"]
    assert list(errors["1"]) == ["quote"]
    assert not ModeEvent.objects.exists()
    assert not EventEvidence.objects.exists()

    payload["evidence"].pop()
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 201
    (item,) = response.json()["evidence"]
    assert item["verification"] == "verified"
    assert item["selector"]["exact"] == QUOTE
    assert ARTICLE[item["selector"]["start"] : item["selector"]["end"]] == QUOTE


def test_a_spreadsheet_import_refuses_a_quote_not_in_the_text_and_writes_nothing(
    article, editor
):
    event = ModeEventFactory(slug="beta-2024-02")
    dataset = tablib.Dataset(headers=["uuid", "fact", "source", "quote", "claim"])
    dataset.append(["", event.slug, article.slug, QUOTE, ""])
    dataset.append(["", event.slug, article.slug, "2024年3月在八个国家重启", ""])

    result = EventEvidenceResource().import_data(dataset, dry_run=False, user=editor)

    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert "quote" in invalid.field_specific_errors
    assert not EventEvidence.objects.exists()


def test_the_admin_import_view_reports_the_quote_error(editor_client, article):
    event = ModeEventFactory(slug="beta-2024-02")
    upload = io.BytesIO(
        f"uuid,fact,source,quote,claim\n,{event.slug},{article.slug},不在原文里,\n".encode()
    )
    upload.name = "evidence.csv"
    response = editor_client.post(
        reverse("admin:markets_eventevidence_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context or not response.context.get(
        "confirm_form"
    )
    assert b"quote" in response.content
    assert not EventEvidence.objects.exists()


def test_load_articles_refuses_a_fixture_quote_not_in_its_text(tmp_path, settings):
    fixture = Path(settings.FIXTURE_DIRS[0]) / "markets.json"
    data = fixture.read_text(encoding="utf-8").replace(
        '"quote": "2021年8月,TikTok', '"quote": "2021年9月,TikTok'
    )
    (tmp_path / "markets.json").write_text(data, encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    settings.ARTICLE_FIXTURES = ["markets"]
    with pytest.raises(Exception, match="does not stand in the archived text"):
        call_command("load_articles", stdout=io.StringIO())
    assert not Source.objects.exists()


# --- Re-archiving ------------------------------------------------------------------


def test_the_same_text_twice_adds_nothing(article):
    again = archive(article, ARTICLE + "\n\n")
    assert not again.created
    assert article.archived_copies.count() == 1


def test_rearchiving_keeps_the_old_copy_moves_quotes_and_flags_the_lost_one(article):
    moved = EventEvidenceFactory(source=article, quote=QUOTE)
    lost = EventEvidenceFactory(source=article, quote="订单哗哗地来")
    for row in (moved, lost):
        row.full_clean()
        row.save()
    old_start = moved.quote_start
    outlet = SourceFactory(reported_via=article)
    relayed = SellerCaseEvidenceFactory(source=outlet, quote="德国，法国")
    relayed.full_clean()
    relayed.save()
    first = article.current_text()

    changed = "编者按：本文有更新。\n" + ARTICLE.replace("订单哗哗地来", "订单不断")
    result = archive(article, changed)

    assert result.created
    assert (result.verified, result.needs_review) == (2, 1)
    assert list(article.archived_copies.all()) == [result.copy, first]
    assert article.current_text() == result.copy
    assert result.copy.sha256 == text_hash(changed) != first.sha256
    moved.refresh_from_db()
    assert moved.verification == Verification.VERIFIED
    assert moved.quote_start > old_start
    assert changed[moved.quote_start : moved.quote_end] == QUOTE
    relayed.refresh_from_db()
    assert changed[relayed.quote_start : relayed.quote_end] == "德国，法国"
    lost.refresh_from_db()
    assert lost.verification == Verification.NEEDS_REVIEW
    assert lost.selector is None
    assert lost.history.first().history_change_reason.startswith("Re-checked")

    # Saving it with its corrected words verifies it again.
    lost.quote = "订单不断"
    lost.full_clean()
    lost.save()
    assert lost.verification == Verification.VERIFIED


def test_the_evidence_admin_lists_the_quotes_needing_review(analyst_client, article):
    flagged = EventEvidenceFactory(source=article, quote=QUOTE)
    archive(article, "全新的文本")
    flagged.refresh_from_db()
    assert flagged.verification == Verification.NEEDS_REVIEW
    response = analyst_client.get(
        reverse("admin:markets_eventevidence_changelist"),
        {"verification__exact": "needs_review"},
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [flagged]


# --- The source's admin page -------------------------------------------------------


def test_pasting_a_text_in_the_admin_archives_it(analyst_client, analyst):
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(analyst_client, source)
    data["archive_text"] = ARTICLE
    data["archive_retrieved_at"] = "2024-03-02 10:00:00"

    assert analyst_client.post(url, data).status_code == 302

    copy = source.current_text()
    assert (copy.text, copy.kind, copy.created_by) == (
        ARTICLE,
        ArchiveKind.PASTED,
        analyst,
    )
    assert copy.retrieved_at is not None
    page = analyst_client.get(url)
    assert copy.sha256 in page.content.decode()


def test_uploading_an_html_page_archives_its_text(analyst_client):
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(analyst_client, source)
    html = (
        "<html><head><title>t</title><script>var x = 1;</script></head>"
        f"<body><p>{QUOTE}</p><style>p {{}}</style></body></html>"
    )
    data["archive_file"] = SimpleUploadedFile("page.html", html.encode())
    assert analyst_client.post(url, data).status_code == 302
    copy = source.current_text()
    assert (copy.text, copy.kind, copy.file_name) == (QUOTE, "html", "page.html")


def test_a_file_of_another_kind_is_a_field_error(analyst_client):
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(analyst_client, source)
    data["archive_file"] = SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04")
    response = analyst_client.post(url, data)
    assert response.status_code == 200
    assert "archive_file" in response.context["adminform"].form.errors
    assert not SourceText.objects.exists()


def test_a_pdfs_text_is_extracted():
    upload = SimpleUploadedFile(
        "report.pdf",
        pdf_of([TEXT_OPERATORS]),
    )
    text, kind = extract_upload(upload)
    assert kind == ArchiveKind.PDF
    assert "Sellers moved to Shopify." in text


# --- What the public sees ----------------------------------------------------------


def test_a_source_without_text_shows_its_quotes_unverified(client, api_client):
    source = SourceFactory(slug="no-text")
    evidence = EventEvidenceFactory(source=source, quote="没有存档的引语")

    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(source.get_absolute_url(), **english).content.decode()
    assert page.count("Unverified: no archived text") >= 2  # the source, its quote
    event_page = client.get(evidence.fact.get_absolute_url(), **english)
    assert "Unverified: no archived text" in event_page.content.decode()
    chinese = client.get(source.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "未核实：无存档原文" in chinese.content.decode()

    body = api_client.get(f"/api/mode-events/{evidence.fact.slug}/").json()
    assert body["evidence"][0]["verification"] == "unverified"
    assert body["evidence"][0]["selector"] is None
    (listed,) = api_client.get("/api/mode-events/").json()["results"]
    assert listed["evidence"] == body["evidence"]
    assert api_client.get("/api/sources/no-text/").json()["archived"] is None
    assert api_client.get("/api/sources/no-text/text/").status_code == 404


def test_the_api_says_a_source_is_archived_and_gives_its_text(api_client, article):
    body = api_client.get("/api/sources/eight-markets/").json()
    copy = article.current_text()
    assert body["archived"] == {"retrieved_at": None, "sha256": copy.sha256}
    text = api_client.get("/api/sources/eight-markets/text/").json()
    assert (text["text"], text["sha256"]) == (ARTICLE, copy.sha256)


def test_a_draft_sources_text_is_not_public(api_client, client):
    draft = SourceFactory(publication=Publication.DRAFT)
    archive(draft)
    assert api_client.get(f"/api/sources/{draft.slug}/text/").status_code == 404
    assert client.get(f"/sources/{draft.slug}/text/").status_code == 404


def test_the_text_page_marks_each_public_quote_and_no_drafts(article):
    public = EventEvidenceFactory(source=article, quote=QUOTE)
    draft_fact = ModeEventFactory(publication=Publication.DRAFT)
    hidden = EventEvidenceFactory(source=article, quote="德国，法国", fact=draft_fact)
    outlet = SourceFactory(reported_via=article)
    relayed = SellerCaseEvidenceFactory(source=outlet, quote="订单哗哗地来")
    for row in (public, hidden, relayed):
        row.full_clean()
        row.save()
    url = reverse("markets:source-text", kwargs={"slug": article.slug})

    page = Client().get(url).content.decode()

    assert f'<mark id="quote-{public.uuid}">{QUOTE}</mark>' in page
    assert f'<mark id="quote-{relayed.uuid}">订单哗哗地来</mark>' in page
    assert f"quote-{hidden.uuid}" not in page
    assert "&ldquo;" in page or "“" in page  # the text itself, escaped as text
    assert article.current_text().sha256 in page
    # Every evidence block links to the quote in the text.
    event_page = Client().get(public.fact.get_absolute_url()).content.decode()
    assert f"{url}#quote-{public.uuid}" in event_page


def test_the_text_is_escaped(client):
    source = SourceFactory()
    archive(source, "<script>alert(1)</script> 正文")
    page = client.get(reverse("markets:source-text", kwargs={"slug": source.slug}))
    assert b"<script>alert(1)" not in page.content
    assert b"&lt;script&gt;alert(1)" in page.content


def test_the_text_page_is_cached_holds_nothing_of_a_visitor_and_is_bounded(
    article, editor, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(5):
        EventEvidenceFactory(source=article, quote=QUOTE[n:])
    for model in evidence_models():
        for row in model.objects.all():
            row.full_clean()
            row.save()
    url = reverse("markets:source-text", kwargs={"slug": article.slug})
    first = Client()
    # Drawing it: the source, its text, one query a kind of evidence, the versions.
    with django_assert_max_num_queries(12):
        drawn = first.get(url)
    assert "csrftoken" not in drawn.cookies
    assert b"csrfmiddlewaretoken" not in drawn.content
    second = Client()
    with django_assert_num_queries(1):
        again = second.get(url)
    assert again.content == drawn.content
    assert "Set-Cookie" not in again.headers
    assert editor.username.encode() not in again.content


def test_a_new_copy_is_seen_at_once_on_the_text_page(client, article):
    url = reverse("markets:source-text", kwargs={"slug": article.slug})
    assert "订单不断" not in client.get(url).content.decode()
    archive(article, ARTICLE + "\n订单不断")
    assert "订单不断" in client.get(url).content.decode()


# --- The article data --------------------------------------------------------------


def test_every_article_quote_is_verified_with_its_position(article_data):
    texts = {copy.source_id: copy.text for copy in SourceText.objects.current()}
    assert len(texts) == 2
    checked = 0
    for model in evidence_models():
        for row in model.objects.select_related("source"):
            assert row.verification == Verification.VERIFIED, row.quote
            text = texts[row.source.text_source.pk]
            assert text[row.quote_start : row.quote_end] == row.quote_exact
            assert locate(row.quote, text).start == row.quote_start
            checked += 1
    assert checked == 108


def test_the_article_copies_are_the_article_texts(article_data):
    articles = Path(settings.FIXTURE_DIRS[0]) / "articles"
    for copy in SourceText.objects.select_related("source"):
        original = (articles / copy.file_name).read_text(encoding="utf-8")
        assert copy.text.strip() == original.strip()
        assert copy.sha256 == text_hash(original)
        assert copy.retrieved_at is None  # not recorded: the articles do not say


def test_an_outlet_relayed_through_another_article_has_its_quotes_checked_again(
    article,
):
    outlet = SourceFactory(reported_via=article)
    quote = SellerCaseEvidenceFactory(source=outlet, quote=QUOTE)
    quote.full_clean()
    quote.save()
    assert quote.verification == Verification.VERIFIED

    other = SourceFactory()
    archive(other, "另一篇文章，另一段话。")
    outlet.reported_via = other
    outlet.save()
    quote.refresh_from_db()
    assert quote.verification == Verification.NEEDS_REVIEW

    outlet.reported_via = SourceFactory()  # an article without text
    outlet.save()
    quote.refresh_from_db()
    assert quote.verification == Verification.UNVERIFIED

    outlet.reported_via = article
    outlet.save()
    quote.refresh_from_db()
    assert quote.verification == Verification.VERIFIED
