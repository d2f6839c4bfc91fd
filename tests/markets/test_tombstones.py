"""A record deleted by any writer stays deleted when the article data are reloaded."""

from io import StringIO

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from markets.models import EventEvidence, ModeEvent, Tombstone
from sellers.models import SellerCase, SellerFigure, SellerFigureEvidence

pytestmark = pytest.mark.django_db

EVENT = "closed-loop-onboarding-documents-2023-08"


def reload() -> str:
    out = StringIO()
    call_command("load_articles", stdout=out)
    return out.getvalue()


@pytest.fixture
def chief(db) -> User:
    return User.objects.create_superuser("chief", password="not-a-real-password")


def test_an_event_deleted_through_the_api_is_not_reloaded(article_data, admin_api):
    evidence = EventEvidence.objects.filter(fact__slug=EVENT).count()
    assert admin_api.delete(f"/api/mode-events/{EVENT}/").status_code == 204
    assert Tombstone.objects.filter(model="markets.modeevent", natural_key=EVENT)
    output = reload()
    assert not ModeEvent.objects.filter(slug=EVENT).exists()
    assert not EventEvidence.objects.filter(fact__slug=EVENT).exists()
    assert f"{1 + evidence} deleted since left out" in output


def test_records_deleted_in_the_admin_are_not_reloaded_nor_what_hangs_on_them(
    article_data, chief
):
    client = Client()
    client.force_login(chief)
    case = SellerCase.objects.filter(figures__isnull=False).first()
    figures = list(case.figures.values_list("uuid", flat=True))
    response = client.post(
        reverse("admin:sellers_sellercase_changelist"),
        {
            "action": "delete_selected",
            helpers.ACTION_CHECKBOX_NAME: [case.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    reload()
    assert not SellerCase.objects.filter(slug=case.slug).exists()
    assert not SellerFigure.objects.filter(uuid__in=figures).exists()
    assert not SellerFigureEvidence.objects.filter(fact__uuid__in=figures).exists()
    # What was not deleted is all still there, loaded once.
    assert SellerCase.objects.exists()


def test_a_reload_without_deletions_adds_nothing_and_leaves_nothing_out(article_data):
    assert "0 records added" in reload()
    assert "0 deleted since left out" in reload()


def test_a_record_deleted_from_its_admin_page_is_not_reloaded(article_data, chief):
    client = Client()
    client.force_login(chief)
    event = ModeEvent.objects.get(slug=EVENT)
    delete = reverse("admin:markets_modeevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    reload()
    assert not ModeEvent.objects.filter(slug=EVENT).exists()
    assert Tombstone.objects.get(natural_key=EVENT).deleted_by == chief
