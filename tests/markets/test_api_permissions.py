"""Who may do what: anonymous readers, signed-in users without permission, analysts."""

import pytest
from rest_framework.test import APIClient

from markets.models import Market, Publication, Source
from tests.factories import MarketFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db

NEW_MARKET = {"code": "FR", "name_zh": "法国", "name_en": "France", "region": "europe"}


@pytest.fixture
def germany() -> Market:
    RegionFactory(code="europe")
    return MarketFactory(code="DE", region__code="europe")


WRITES = [
    ("post", "/api/markets/"),
    ("put", "/api/markets/DE/"),
    ("patch", "/api/markets/DE/"),
    ("delete", "/api/markets/DE/"),
]


def test_anonymous_may_read_published_records(api_client, germany):
    assert api_client.get("/api/markets/").status_code == 200
    assert api_client.get("/api/markets/DE/").status_code == 200


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_anonymous_writes_are_refused_401_with_a_token_challenge(
    api_client, germany, method, url
):
    response = getattr(api_client, method)(url, NEW_MARKET)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Market.objects.count() == 1


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_signed_in_user_without_permission_gets_403_on_writes(
    reader_api, germany, method, url
):
    response = getattr(reader_api, method)(url, NEW_MARKET)
    assert response.status_code == 403
    assert Market.objects.count() == 1


def test_signed_in_user_without_permission_reads_like_the_public(reader_api, germany):
    MarketFactory(code="FR", publication=Publication.DRAFT)
    response = reader_api.get("/api/markets/")
    assert [market["code"] for market in response.json()["results"]] == ["DE"]


def test_analyst_may_create_and_update_drafts_and_an_editor_publishes(
    analyst_api, editor_api, germany
):
    created = analyst_api.post("/api/markets/", NEW_MARKET)
    assert created.status_code == 201, created.json()
    replaced = analyst_api.put(
        "/api/markets/FR/", {**NEW_MARKET, "name_en": "Fr.", "version": 1}
    )
    assert replaced.status_code == 200, replaced.json()
    refused = analyst_api.patch("/api/markets/FR/", {"publication": "published"})
    assert refused.status_code == 403
    assert "permission to publish" in refused.json()["detail"]
    assert Market.objects.get(code="FR").publication == Publication.DRAFT
    patched = editor_api.patch(
        "/api/markets/FR/", {"publication": "published", "version": 2}
    )
    assert patched.status_code == 200
    assert patched.json()["name_en"] == "Fr."
    assert Market.objects.get(code="FR").publication == Publication.PUBLISHED


def test_analyst_may_not_delete_as_in_the_admin(analyst_api, germany):
    response = analyst_api.delete("/api/markets/DE/")
    assert response.status_code == 403
    assert Market.objects.filter(code="DE").exists()


def test_analyst_sees_and_edits_drafts(analyst_api, germany):
    MarketFactory(code="FR", publication=Publication.DRAFT)
    assert analyst_api.get("/api/markets/FR/").status_code == 200
    assert (
        analyst_api.patch(
            "/api/markets/FR/", {"name_en": "France", "version": 1}
        ).status_code
        == 200
    )


def test_session_login_works_as_well_as_a_token(analyst_client, germany):
    """The browsable API and the admin share the analyst's session."""
    response = analyst_client.get("/api/markets/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200


def test_a_user_with_delete_permission_may_delete(admin_api, germany):
    MarketFactory(code="FR", region=germany.region)
    assert admin_api.delete("/api/markets/FR/").status_code == 204
    assert not Market.objects.filter(code="FR").exists()


def test_deleting_a_source_others_rest_on_is_a_409_not_a_crash(admin_api):
    cited = SourceFactory(slug="cited")
    SourceFactory(slug="relayed", reported_via=cited, title="转述的采访")
    response = admin_api.delete("/api/sources/cited/")
    assert response.status_code == 409
    assert "转述的采访" in response.json()["detail"]
    assert Source.objects.filter(slug="cited").exists()


def test_a_bad_token_is_401(germany):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/markets/").status_code == 401


def test_analyst_gets_a_token_for_name_and_password(analyst, api_client):
    response = api_client.post(
        "/api/token/", {"username": "analyst", "password": "not-a-real-password"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/markets/", {}).status_code == 400
