"""The analysts' admin renders every page, and the Analyst group may edit but not delete."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import escape

from markets.models import ModeEvent
from tests.factories import SourceFactory

CONTENT_MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in {"markets", "sellers"}
    ),
    key=lambda model: model._meta.label,
)


def test_every_content_model_is_registered():
    assert len(CONTENT_MODELS) == 13


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label)
def test_analyst_sees_changelist_add_and_change_forms(
    analyst_client, article_data, model, django_assert_max_num_queries
):
    app_label, model_name = model._meta.app_label, model._meta.model_name
    # Sidebar filters cost a query each; rows cost none (no query per row).
    with django_assert_max_num_queries(15):
        changelist = analyst_client.get(
            reverse(f"admin:{app_label}_{model_name}_changelist")
        )
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count > 0, "the fixtures fill every model"

    add = analyst_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == 200

    obj = model.objects.order_by("pk").last()
    change = analyst_client.get(
        reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200
    # The page escapes what it shows (an apostrophe becomes &#x27;).
    assert escape(str(obj)) in change.content.decode()


def test_changelist_search_and_filters_work(analyst_client, article_data):
    response = analyst_client.get(
        reverse("admin:markets_modeevent_changelist"),
        {
            "mode__exact": "semi_closed_loop",
            "q": "DE",
        },
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.django_db
def test_analyst_group_can_add_change_view_but_never_delete():
    permissions = set(
        Group.objects.get(name="Analyst").permissions.values_list("codename", flat=True)
    )
    for model_name in ("market", "source", "modeevent", "sellercase", "sellerfigure"):
        assert {
            f"add_{model_name}",
            f"change_{model_name}",
            f"view_{model_name}",
        } <= permissions
        assert f"delete_{model_name}" not in permissions
    assert not {
        codename for codename in permissions if codename.endswith(("_user", "_group"))
    }


@pytest.mark.django_db
def test_analyst_cannot_delete_content(analyst_client, article_data):
    event = ModeEvent.objects.first()
    response = analyst_client.post(
        reverse("admin:markets_modeevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ModeEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_analyst_cannot_manage_users_or_groups(analyst_client):
    assert analyst_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert analyst_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = analyst_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "intruder",
            "password1": "Sup3r-secret!",
            "password2": "Sup3r-secret!",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="intruder").exists()


def test_the_sources_list_shows_a_year_precise_date_as_its_year_not_1_january(
    admin_client,
):
    SourceFactory(
        title="A yearly report",
        published_on=datetime.date(2024, 1, 1),
        published_precision="year",
    )
    page = admin_client.get("/admin/markets/source/").content.decode()
    assert "A yearly report" in page
    assert ">2024年<" in page
    assert "Jan. 1, 2024" not in page
