"""From a pasted article to published facts: the suggestions page, the archived text
beside a fact's form, and publishing from the preview in one step."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse

from intake.candidates import (
    ACCEPTED_REASON,
    SUGGESTIONS_PER_PAGE,
    SUGGESTIONS_READ_CHARS,
)
from markets.archive import MAX_ARCHIVED_CHARS, source_archive
from markets.models import (
    ArchiveKind,
    EventEvidence,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Source,
    Verification,
)
from tests.factories import EventEvidenceFactory, MarketFactory, SourceFactory

pytestmark = pytest.mark.django_db

ARTICLE = (
    "TikTok Shop全托管模式在日韩开启内测\n"
    "2025年3月，TikTok Shop在日本和韩国开启全托管模式内测，商家只需供货。\n"
    "另据报道，巴西站的全托管模式已于2025年8月底关停。\n"
    "平台称，日本市场的月活跃用户已超5000万。"
)
BETA = "2025年3月，TikTok Shop在日本和韩国开启全托管模式内测，商家只需供货。"
CLOSURE = "另据报道，巴西站的全托管模式已于2025年8月底关停。"
FIGURE = "平台称，日本市场的月活跃用户已超5000万。"
PREVIEW = reverse("admin:markets_modeevent_preview")


def suggestions_url(source: Source) -> str:
    return reverse("admin:markets_source_suggestions", args=[source.pk])


def text_url(source_id: int) -> str:
    return reverse("admin:markets_source_text", args=[source_id])


@pytest.fixture
def article() -> Source:
    for code in ("JP", "KR", "BR"):
        MarketFactory(code=code)
    source = SourceFactory(
        title="全托管模式在日韩开启内测",
        published_on=datetime.date(2025, 9, 10),
        published_precision="day",
    )
    source_archive(source=source, text=ARTICLE, kind=ArchiveKind.PASTED)
    return source


def accepted(source: Source, rows: dict[str, dict], client: Client) -> dict:
    """The suggestions page's form as offered, with ``rows`` ticked and changed."""
    page = client.get(suggestions_url(source))
    data = {"sha256": page.context["copy"].sha256}
    for group in page.context["groups"]:
        for candidate in group.candidates:
            form = candidate.form
            for name, field in form.fields.items():
                if name == "accept":
                    continue
                value = form.initial.get(name, field.initial)
                data[form.add_prefix(name)] = "" if value is None else value
            if candidate.key in rows:
                data[form.add_prefix("accept")] = "on"
                for name, value in rows[candidate.key].items():
                    data[form.add_prefix(name)] = value
    return data


def keys(source: Source, client: Client) -> dict[str, str]:
    """Each candidate's key by its sentence."""
    page = client.get(suggestions_url(source))
    return {
        group.sentence.text: candidate.key
        for group in page.context["groups"]
        for candidate in group.candidates
    }


# --- The suggestions page ---------------------------------------------------------------


def test_suggestions_page_lists_each_article_s_candidates_and_marks_recorded_ones(
    article_data, analyst_client
):
    for source in Source.objects.filter(archived_copies__isnull=False).distinct():
        response = analyst_client.get(suggestions_url(source))
        assert response.status_code == 200
        groups = response.context["groups"]
        assert any(group.candidates for group in groups)
        # The article data rest on many sentences: those are recorded, not offered.
        recorded = [group for group in groups if group.recorded]
        assert recorded
        assert all(not group.candidates for group in recorded)
        page = response.content.decode()
        assert "Recorded already:" in page
        assert "<script>" not in page and " style=" not in page


def test_suggestions_page_offers_the_three_facts_prefilled_from_the_guesses(
    article, analyst_client
):
    response = analyst_client.get(suggestions_url(article))
    candidates = [c for g in response.context["groups"] for c in g.candidates]
    assert [c.kind for c in candidates] == ["event", "event", "figure"]
    beta, closure, figure = (c.form for c in candidates)
    assert beta.initial["markets"] == "JP, KR"
    assert (beta.initial["kind"], beta.initial["status_set"]) == ("beta_launch", "beta")
    assert closure.initial["markets"] == "BR"
    assert figure.initial["value"] == 50_000_000
    page = response.content.decode()
    assert BETA in page and "Add the ticked facts as drafts" in page


def test_source_change_page_links_to_its_suggestions(article, analyst_client):
    change = reverse("admin:markets_source_change", args=[article.pk])
    assert suggestions_url(article) in analyst_client.get(change).content.decode()


def test_saving_a_pasted_text_says_where_its_suggestions_are(analyst_client):
    response = analyst_client.post(
        reverse("admin:markets_source_add"),
        {
            "title": "全托管模式在日韩开启内测",
            "publisher": "小川电商",
            "kind": "article",
            "language": "zh-Hans",
            "archive_text": ARTICLE,
            "reported_via_set-TOTAL_FORMS": "0",
            "reported_via_set-INITIAL_FORMS": "0",
            "relayed_sources-TOTAL_FORMS": "0",
            "relayed_sources-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    source = Source.objects.get(title="全托管模式在日韩开启内测")
    assert suggestions_url(source) in response.content.decode()


def test_suggestions_page_costs_a_fixed_number_of_queries(
    article_data, analyst_client, django_assert_max_num_queries
):
    """Guards an N+1: the recorded quotes are read once per kind of evidence, the
    markets and regions once, whatever the number of sentences."""
    source = Source.objects.filter(archived_copies__isnull=False).first()
    with django_assert_max_num_queries(16):
        response = analyst_client.get(suggestions_url(source))
    assert response.status_code == 200


def test_a_source_without_text_sends_the_analyst_back_to_archive_one(analyst_client):
    source = SourceFactory()
    response = analyst_client.get(suggestions_url(source))
    assert response.status_code == 302
    assert response.url == reverse("admin:markets_source_change", args=[source.pk])


# --- Accepting --------------------------------------------------------------------------


def test_accepting_creates_drafts_with_verified_quotes_unseen_by_the_public(
    article, analyst_client, analyst
):
    key = keys(article, analyst_client)
    data = accepted(
        article,
        {
            key[BETA]: {},
            key[CLOSURE]: {},
            key[FIGURE]: {"metric_zh": "月活跃用户"},
        },
        analyst_client,
    )
    response = analyst_client.post(suggestions_url(article), data)
    assert response.status_code == 302
    events = ModeEvent.objects.order_by("date")
    assert response.url.startswith(PREVIEW)
    assert all(f"id={event.pk}" in response.url for event in events)
    assert f"figure={MarketFigure.objects.get().pk}" in response.url
    beta, closure = events
    assert (beta.kind, beta.status_set, beta.date_precision) == (
        "beta_launch",
        "beta",
        "month",
    )
    assert sorted(m.code for m in beta.markets.all()) == ["JP", "KR"]
    assert (beta.summary_zh, beta.summary_en) == (BETA, "")
    assert beta.slug == "fully-managed-beta-launch-2025-03"
    assert closure.date_precision == "month_end"
    figure = MarketFigure.objects.get()
    assert (figure.metric_zh, figure.value, figure.qualifier) == (
        "月活跃用户",
        50_000_000,
        "more_than",
    )
    assert {e.publication for e in [beta, closure, figure]} == {Publication.DRAFT}
    quotes = [*EventEvidence.objects.all(), *MarketFigureEvidence.objects.all()]
    assert sorted(q.quote for q in quotes) == sorted([BETA, CLOSURE, FIGURE])
    assert {q.verification for q in quotes} == {Verification.VERIFIED}
    assert {q.source for q in quotes} == {article}
    history = beta.history.first()
    assert (history.history_user, history.history_change_reason) == (
        analyst,
        ACCEPTED_REASON,
    )
    # A second, separate visitor sees none of it.
    public = Client()
    assert public.get(f"/events/{beta.slug}/").status_code == 404
    answer = public.get(
        "/api/status/", {"as_of": "2025-03-15", "mode": "fully_managed"}
    ).json()
    assert all(cell["status"] == "no_evidence" for cell in answer)
    # Recorded now: the page no longer offers them.
    page = analyst_client.get(suggestions_url(article))
    assert not any(g.candidates for g in page.context["groups"])


def test_unticked_candidates_are_rejected_and_nothing_of_them_is_stored(
    article, analyst_client
):
    key = keys(article, analyst_client)
    data = accepted(article, {key[CLOSURE]: {}}, analyst_client)
    assert analyst_client.post(suggestions_url(article), data).status_code == 302
    assert list(ModeEvent.objects.values_list("kind", flat=True)) == [
        "closure_effective"
    ]
    assert not MarketFigure.objects.exists()


def test_a_bad_row_gives_a_field_error_and_creates_nothing(article, analyst_client):
    key = keys(article, analyst_client)
    data = accepted(
        article,
        {
            key[BETA]: {"markets": ""},  # market-scoped, with no market
            key[CLOSURE]: {},
            key[FIGURE]: {"metric_zh": "月活跃用户"},
        },
        analyst_client,
    )
    response = analyst_client.post(suggestions_url(article), data)
    assert response.status_code == 200
    (beta,) = [
        c.form
        for g in response.context["groups"]
        for c in g.candidates
        if c.key == key[BETA]
    ]
    assert "Choose the markets this event concerns" in str(beta.errors["markets"])
    assert not ModeEvent.objects.exists()
    assert not MarketFigure.objects.exists()
    assert not EventEvidence.objects.exists()


def test_an_unknown_market_code_and_a_figure_without_metric_are_field_errors(
    article, analyst_client
):
    key = keys(article, analyst_client)
    data = accepted(
        article,
        # The metric guessed from the words, cleared: the analyst must name one.
        {
            key[BETA]: {"markets": "JP, XX"},
            key[FIGURE]: {"metric_zh": "", "metric_en": ""},
        },
        analyst_client,
    )
    response = analyst_client.post(suggestions_url(article), data)
    assert response.status_code == 200
    forms = {c.key: c.form for g in response.context["groups"] for c in g.candidates}
    assert "No market has the code XX." in str(forms[key[BETA]].errors)
    assert "Name what the figure measures." in str(forms[key[FIGURE]].errors)
    assert not ModeEvent.objects.exists()


def test_a_text_archived_again_since_the_page_opened_adds_nothing(
    article, analyst_client
):
    key = keys(article, analyst_client)
    data = accepted(article, {key[CLOSURE]: {}}, analyst_client)
    source_archive(source=article, text=ARTICLE + "\n后记。", kind=ArchiveKind.PASTED)
    response = analyst_client.post(suggestions_url(article), data)
    assert response.status_code == 302
    assert not ModeEvent.objects.exists()


def test_a_sentence_already_cited_is_shown_as_recorded(article, analyst_client):
    EventEvidenceFactory(source=article, quote="巴西站的全托管模式")
    response = analyst_client.get(suggestions_url(article))
    groups = {g.sentence.text: g for g in response.context["groups"]}
    assert groups[CLOSURE].recorded and not groups[CLOSURE].candidates
    assert groups[BETA].candidates


def test_a_user_without_the_add_permission_cannot_accept(article):
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    client = Client()
    client.force_login(viewer)
    assert client.get(suggestions_url(article)).status_code == 200
    assert client.post(suggestions_url(article), {}).status_code == 403


# --- The text endpoint ------------------------------------------------------------------


def test_text_endpoint_gives_the_archived_text_of_a_draft_source_to_staff(
    article, analyst_client
):
    article.publication = Publication.DRAFT
    article.save()
    response = analyst_client.get(text_url(article.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == ARTICLE
    assert len(body["sha256"]) == 64
    assert set(body["labels"]) == {"hint", "found", "not_found"}


def test_text_endpoint_is_staff_only(article):
    anonymous = Client().get(text_url(article.pk))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("admin:login"))


def test_text_endpoint_answers_404_for_a_missing_source_and_no_text_for_none(
    analyst_client,
):
    assert analyst_client.get(text_url(999_999)).status_code == 404
    response = analyst_client.get(
        text_url(SourceFactory().pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.json()["text"] is None
    assert "No text is archived" in response.json()["detail"]


def test_fact_change_forms_carry_the_citing_script(article, analyst_client):
    for name in ("modeevent", "marketfigure"):
        page = analyst_client.get(reverse(f"admin:markets_{name}_add")).content
        assert b"js/admin-cite.js" in page
    page = analyst_client.get(reverse("admin:sellers_sellercase_add")).content
    assert b"js/admin-cite.js" in page


# --- Publishing from the preview --------------------------------------------------------


def drafts_from(article: Source, client: Client) -> list[ModeEvent]:
    key = keys(article, client)
    data = accepted(article, {key[BETA]: {}, key[CLOSURE]: {}}, client)
    client.post(suggestions_url(article), data)
    return list(ModeEvent.objects.order_by("date"))


def publish_from_preview(client: Client, events, reason: str = "checked"):
    return client.post(
        PREVIEW,
        {
            helpers.ACTION_CHECKBOX_NAME: [event.pk for event in events],
            "state": "published",
            "change_reason": reason,
        },
    )


def test_an_editor_publishes_from_the_preview_in_one_step_with_the_reason(
    article, editor_client, editor
):
    events = drafts_from(article, editor_client)
    preview = editor_client.get(PREVIEW, {"id": [e.pk for e in events]})
    assert "Publish these" in preview.content.decode()
    response = publish_from_preview(editor_client, events, "checked against the text")
    assert response.status_code == 302
    assert response.url == reverse("admin:markets_modeevent_changelist")
    for event in events:
        event.refresh_from_db()
        assert event.publication == Publication.PUBLISHED
        latest = event.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            editor,
            "checked against the text",
        )
    # A second, separate visitor: the beta is the answer in the month.
    cells = (
        Client()
        .get("/api/status/", {"as_of": "2025-03-15", "mode": "fully_managed"})
        .json()
    )
    assert {c["market"]: c["status"] for c in cells}["JP"] == "beta"


def test_publishing_from_the_preview_needs_a_reason(article, editor_client):
    events = drafts_from(article, editor_client)
    response = publish_from_preview(editor_client, events, reason="")
    assert response.status_code == 200
    assert response.context["reason_form"].errors["change_reason"]
    assert {e.publication for e in ModeEvent.objects.all()} == {Publication.DRAFT}


def test_an_analyst_may_not_publish_from_the_preview(article, analyst_client):
    events = drafts_from(article, analyst_client)
    preview = analyst_client.get(PREVIEW, {"id": [e.pk for e in events]})
    assert "Publish these" not in preview.content.decode()
    assert publish_from_preview(analyst_client, events).status_code == 403
    assert {e.publication for e in ModeEvent.objects.all()} == {Publication.DRAFT}


def test_figures_accepted_with_the_events_are_published_with_them(
    article, editor_client
):
    key = keys(article, editor_client)
    data = accepted(
        article,
        {key[BETA]: {}, key[FIGURE]: {"metric_zh": "月活跃用户"}},
        editor_client,
    )
    preview = editor_client.post(suggestions_url(article), data, follow=True)
    figure = MarketFigure.objects.get()
    assert f'name="figure" value="{figure.pk}"' in preview.content.decode()
    response = editor_client.post(
        PREVIEW,
        {
            helpers.ACTION_CHECKBOX_NAME: [ModeEvent.objects.get().pk],
            "figure": [figure.pk],
            "state": "published",
            "change_reason": "checked",
        },
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.publication == Publication.PUBLISHED
    assert figure.history.first().history_change_reason == "checked"


# --- Long texts ---------------------------------------------------------------------------


def long_source(text: str) -> Source:
    for code in ("JP", "KR", "BR"):
        MarketFactory(code=code)
    source = SourceFactory(
        published_on=datetime.date(2025, 9, 10), published_precision="day"
    )
    source_archive(source=source, text=text, kind=ArchiveKind.PASTED)
    return source


def articles_repeated(length: int) -> str:
    articles = "\n\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((Path(settings.FIXTURE_DIRS[0]) / "articles").glob("*.txt"))
    )
    return (articles * (length // len(articles) + 1))[:length]


def test_suggestions_on_a_text_of_100000_characters_answer_a_page_a_part_at_a_time(
    analyst_client,
):
    """100,000 characters once took the suggestions page past the server's timeout:
    a page reads a part of the text and offers a page of candidates."""
    source = long_source(articles_repeated(100_000))
    response = analyst_client.get(suggestions_url(source))
    assert response.status_code == 200
    part = response.context["part"]
    assert 0 < part.offered <= SUGGESTIONS_PER_PAGE
    assert part.next_start is not None
    page = response.content.decode()
    assert "only a part was read" in page
    assert f'href="?from={part.next_start}"' in page
    following = analyst_client.get(f"{suggestions_url(source)}?from={part.next_start}")
    assert following.status_code == 200
    assert following.context["part"].offered
    assert all(
        group.sentence.start >= part.next_start for group in following.context["groups"]
    )


def test_the_longest_text_archived_gets_its_suggestions_to_its_end(analyst_client):
    source = long_source(articles_repeated(MAX_ARCHIVED_CHARS))
    for start in (0, MAX_ARCHIVED_CHARS - 1_000):
        response = analyst_client.get(f"{suggestions_url(source)}?from={start}")
        assert response.status_code == 200
        assert 0 < response.context["part"].offered <= SUGGESTIONS_PER_PAGE
    assert response.context["part"].next_start is None


@pytest.mark.parametrize("start", ["-5", "abc", "9" * 5000, "²", "999999999"])
def test_a_part_asked_for_by_nonsense_is_the_first_or_the_last(
    article, analyst_client, start
):
    response = analyst_client.get(f"{suggestions_url(article)}?from={start}")
    assert response.status_code == 200


def test_a_sentence_of_thousands_of_figures_offers_one_page_of_them(analyst_client):
    source = long_source("1个" * 20_000)
    response = analyst_client.get(suggestions_url(source))
    assert response.status_code == 200
    assert response.context["part"].offered == SUGGESTIONS_PER_PAGE
    assert "only its first ones are shown" in response.content.decode()


def test_a_candidate_of_a_later_part_is_accepted_from_that_part(analyst_client):
    filler = "卖家照常发货。" * (SUGGESTIONS_READ_CHARS // 7 + 1)
    source = long_source(f"{filler}\n{ARTICLE}")
    first = analyst_client.get(suggestions_url(source)).context["part"]
    assert first.offered == 0 and first.next_start is not None
    url = f"{suggestions_url(source)}?from={first.next_start}"
    page = analyst_client.get(url)
    (closure,) = [
        candidate
        for group in page.context["groups"]
        for candidate in group.candidates
        if group.sentence.text == CLOSURE
    ]
    data = {"sha256": page.context["copy"].sha256}
    form = closure.form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[form.add_prefix(name)] = "" if value is None else value
    data[form.add_prefix("accept")] = "on"
    response = analyst_client.post(url, data)
    assert response.status_code == 302
    event = ModeEvent.objects.get()
    assert event.kind == "closure_effective"
    evidence = EventEvidence.objects.get()
    assert (evidence.quote, evidence.verification) == (CLOSURE, Verification.VERIFIED)
    assert evidence.quote_start == source.current_text().text.index(CLOSURE)
