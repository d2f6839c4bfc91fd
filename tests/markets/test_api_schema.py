"""The OpenAPI schema and its docs: valid, complete, described, served without a CDN."""

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/markets/",
    "/api/sources/",
    "/api/mode-events/",
    "/api/market-figures/",
    "/api/seller-cases/",
    "/api/seller-figures/",
]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    """Drawn once per module: the schema depends on the code, not on the data."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Loopwatch API"
    validate_schema(schema)


def test_schema_lists_every_endpoint(schema):
    for path in [*LISTS, "/api/status/", "/api/markets/{code}/"]:
        assert path in schema["paths"], path
    for path in ["/api/mode-events/{slug}/", "/api/seller-figures/{uuid}/"]:
        assert path in schema["paths"], path


def test_every_field_is_described(schema):
    missing = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        if component.get("type") == "object"
        for field, spec in component.get("properties", {}).items()
        if not (spec.get("description") or spec.get("allOf"))
    ]
    assert missing == []


def test_every_parameter_is_described(schema):
    missing = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert missing == []


def test_list_filters_are_in_the_schema(schema):
    def names(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"]}

    assert {"mode", "kind", "status", "market", "region", "date_after", "source"} <= (
        names("/api/mode-events/")
    )
    assert {"strategy", "city", "category", "market", "mode"} <= names(
        "/api/seller-cases/"
    )
    for path in LISTS:
        assert {"search", "ordering", "cursor", "page_size", "format"} <= names(path)
    assert {"as_of", "mode", "known_on"} <= names("/api/status/")


def test_status_requires_as_of_and_returns_cells(schema):
    operation = schema["paths"]["/api/status/"]["get"]
    as_of = next(p for p in operation["parameters"] if p["name"] == "as_of")
    assert as_of["required"] is True
    assert as_of["schema"]["format"] == "date"
    cell = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert cell["items"]["$ref"] == "#/components/schemas/ModeStatus"


def test_evidence_is_read_as_a_source_and_written_as_a_slug(schema):
    components = schema["components"]["schemas"]
    assert components["Evidence"]["properties"]["source"]["allOf"] == [
        {"$ref": "#/components/schemas/SourceBrief"}
    ]
    assert components["EvidenceRequest"]["properties"]["source"]["type"] == "string"


def test_reads_are_open_to_anonymous_callers_and_writes_are_not(schema):
    markets = schema["paths"]["/api/markets/"]
    assert markets["get"]["security"] == []
    assert {} not in markets["post"]["security"]
    assert {"tokenAuth": []} in markets["post"]["security"]


def test_docs_are_served_from_our_own_static_files(api_client):
    response = api_client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "https://" not in page
    script = api_client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
