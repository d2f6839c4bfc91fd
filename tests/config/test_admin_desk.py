"""The admin's front page is the analysts' desk: what awaits them, counted, each count
a link to the admin list of exactly those records; the site speaks the reader's
language, from its header to its empty choices."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Webhook
from config.desk import TASKS, awaiting_you
from markets.archive import source_archive
from markets.models import ArchiveKind, Dispute, Publication, Source
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFigureFactory,
    ModeEventFactory,
    SellerCaseFactory,
    SourceFactory,
)

#: One COUNT per list on the desk, whatever the data.
DESK_QUERIES = sum(len(listings) for _title, listings in TASKS)


def client_in(language: str, user: User) -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("chief", password="not-a-real-one")


def fill_the_desk(scale: int = 1) -> None:
    """Records awaiting an analyst, ``scale`` of each kind, beside others that do not."""
    owner = User.objects.create_user(f"owner-{scale}")
    for _ in range(scale):
        ModeEventFactory(publication=Publication.DRAFT)
        ModeEventFactory()
        MarketFigureFactory(publication=Publication.DRAFT)
        SellerCaseFactory(publication=Publication.DRAFT)
        SourceFactory(publication=Publication.DRAFT)
        # Its source has no archived text: the quote is not verified.
        EventEvidenceFactory()
        disagreeing = DisputeFactory()
        ModeEventFactory(dispute=disagreeing)
        MarketFigureFactory(dispute=disagreeing)
        ModeEventFactory(dispute=DisputeFactory())
        untaken = SourceFactory()
        source_archive(
            source=untaken, text="TikTok 半闭环上线", kind=ArchiveKind.PASTED
        )
        Webhook.objects.create(
            owner=owner, url="https://example.com/off", disabled_at=timezone.now()
        )
        Webhook.objects.create(
            owner=owner, url="https://example.com/erring", failures_in_a_row=3
        )
        Webhook.objects.create(owner=owner, url="https://example.com/fine")


def counts(tasks) -> dict[str, dict[str, int]]:
    return {
        str(task.title): {str(item.name): item.count for item in task.waiting}
        for task in tasks
    }


def test_the_desk_counts_what_awaits_the_analysts(superuser):
    fill_the_desk()
    desk = counts(awaiting_you(superuser))

    assert set(desk["Drafts to review"].values()) == {1}
    assert len(desk["Drafts to review"]) == 4
    assert desk["Quotes not yet verified"]["event evidence"] == 1
    assert desk["Open disputes"] == {"disputes": 1}
    assert desk["Suggestions not yet taken"] == {"sources": 1}
    assert desk["Failing webhooks"] == {"webhooks": 2}


def test_each_count_links_to_the_list_of_exactly_those_records(superuser):
    fill_the_desk()
    client = client_in("en", superuser)
    page = client.get(reverse("admin:index"))
    html = page.content.decode()

    assert "Awaiting you" in html
    tasks = page.context["awaiting_you"]
    assert len(tasks) == len(TASKS)
    for task in tasks:
        for item in task.waiting:
            # A list with nothing awaiting is counted in its task's total, not linked.
            assert (f'href="{item.url}"' in html) == (item.count > 0)
            listed = client.get(item.url)
            assert listed.status_code == 200, item.url
            assert listed.context["cl"].result_count == item.count, item.url


def test_the_desk_takes_the_same_few_queries_however_much_awaits(
    superuser, django_assert_max_num_queries
):
    """One COUNT per list: ten times the records cost no more queries (no N+1)."""
    fill_the_desk(scale=1)
    with django_assert_max_num_queries(DESK_QUERIES):
        awaiting_you(superuser)
    fill_the_desk(scale=10)
    with django_assert_max_num_queries(DESK_QUERIES):
        tasks = awaiting_you(superuser)
    assert counts(tasks)["Open disputes"] == {"disputes": 11}


def test_the_desk_counts_only_the_lists_a_user_may_see(db):
    fill_the_desk()
    nobody = User.objects.create_user("guest", is_staff=True)
    assert awaiting_you(nobody) == []


def test_a_dispute_is_open_while_two_claims_still_disagree(db):
    disagreeing, settled, empty = DisputeFactory(), DisputeFactory(), DisputeFactory()
    ModeEventFactory(dispute=disagreeing)
    SellerCaseFactory(dispute=disagreeing)
    ModeEventFactory(dispute=settled)
    assert list(Dispute.objects.open()) == [disagreeing]
    assert empty not in Dispute.objects.open()


def test_a_source_quoted_by_a_fact_has_its_suggestions_taken(db):
    quoted, unarchived = SourceFactory(), SourceFactory()
    source_archive(source=quoted, text="半闭环上线", kind=ArchiveKind.PASTED)
    EventEvidenceFactory(source=quoted, quote="半闭环上线")
    assert quoted not in Source.objects.archived_uncited()
    assert unarchived not in Source.objects.archived_uncited()


def test_the_record_comes_before_the_tables_of_quotes(superuser):
    page = client_in("en", superuser).get(reverse("admin:index"))
    apps = page.context["app_list"]
    assert [app["app_label"] for app in apps[:2]] == ["markets", "sellers"]
    for app in apps[:2]:
        names = [model["object_name"] for model in app["models"]]
        evidence = [name for name in names if name.endswith("Evidence")]
        assert len(evidence) == 2
        assert names[-2:] == evidence


def test_the_admin_reads_in_chinese(superuser):
    page = client_in("zh-hans", superuser).get(reverse("admin:index"))
    html = page.content.decode()
    assert "<title>分析师工作台 | Loopwatch 管理</title>" in html
    assert "Django 管理" not in html
    assert "待您处理" in html
    assert "待审核的草稿" in html
    app_names = [str(app["name"]) for app in page.context["app_list"]]
    assert app_names[:4] == ["市场", "卖家", "关注者", "数据集发布"]
    assert ">Markets<" not in html
    assert ">Sellers<" not in html


def test_the_login_page_names_the_site(db):
    html = Client(headers={"accept-language": "zh-hans"}).get(reverse("admin:login"))
    assert "Loopwatch 管理" in html.content.decode()


@pytest.mark.parametrize(
    ("language", "empty_choice"), [("en", "— choose —"), ("zh-hans", "— 请选择 —")]
)
def test_empty_choices_are_worded(superuser, language, empty_choice):
    client = client_in(language, superuser)
    for address in (
        reverse("admin:markets_modeevent_add"),
        reverse("admin:markets_source_add"),
        reverse("admin:markets_marketfigure_add"),
    ):
        html = client.get(address).content.decode()
        assert "---------" not in html, address
        assert empty_choice in html, address
    # The list pages' actions too.
    for model in ("markets/modeevent", "alerts/subscription", "datasets/release"):
        html = client.get(f"/admin/{model}/").content.decode()
        assert "---------" not in html, model


def test_the_front_page_takes_a_bounded_number_of_queries(
    superuser, django_assert_max_num_queries
):
    """The desk's counts, the session and the recent actions: no query per record."""
    fill_the_desk(scale=5)
    client = client_in("en", superuser)
    with django_assert_max_num_queries(DESK_QUERIES + 5):
        assert client.get(reverse("admin:index")).status_code == 200
