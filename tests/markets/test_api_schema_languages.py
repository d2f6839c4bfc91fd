"""The API's schema and docs speak the reader's language, every operation worded in it,
and draw no lock on a read anyone may make."""

import re
from collections.abc import Iterator
from unittest import mock

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")

#: Reads for signed-in readers only: their owner's webhooks, a source's intake.
SIGNED_IN_READS = re.compile(r"^/api/webhooks/|/archives/$|/suggestions/$")


def schema_in(language: str) -> dict:
    response = Client().get("/api/schema/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return yaml.safe_load(response.content)


@pytest.fixture(scope="module")
def schemas(django_db_setup, django_db_blocker) -> dict[str, dict]:
    """Drawn once per module: the schema depends on the code and the language."""
    with django_db_blocker.unblock():
        return {language: schema_in(language) for language in ("zh-hans", "en")}


def operations(schema: dict) -> Iterator[tuple[str, dict]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def schema_address(script: str) -> str:
    """The address the docs' script loads the schema from, its escapejs undone."""
    escaped = re.search(r'url: "([^"]*)"', script).group(1)
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)


def field_descriptions(schema: dict) -> Iterator[tuple[str, str]]:
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if spec.get("description"):
                yield f"{name}.{field}", spec["description"]
    for where, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            yield f"{where} ?{parameter['name']}", parameter["description"]


def test_every_operation_is_summarised_and_described_in_chinese(schemas):
    """No "列出 markets": the model's names, and every word around them, are Chinese."""
    not_chinese = [
        f"{where}: {operation.get(part)!r}"
        for where, operation in operations(schemas["zh-hans"])
        for part in ("summary", "description")
        if not CJK.search(operation.get(part) or "")
    ]
    assert not_chinese == []
    summaries = {
        op["operationId"]: op["summary"] for _, op in operations(schemas["zh-hans"])
    }
    assert summaries["markets_list"] == "列出市场"
    assert summaries["mode_events_create"] == "新增模式事件"
    assert summaries["seller_figures_retrieve"] == "按标识符获取单个卖家数据"


def test_every_operation_is_worded_in_english_without_chinese(schemas):
    chinese = [
        f"{where}: {operation.get(part)!r}"
        for where, operation in operations(schemas["en"])
        for part in ("summary", "description")
        if not operation.get(part) or CJK.search(operation[part])
    ]
    assert chinese == []
    summaries = {
        op["operationId"]: op["summary"] for _, op in operations(schemas["en"])
    }
    assert summaries["markets_list"] == "List markets"
    assert summaries["mode_events_create"] == "Add a mode event"


def test_the_introduction_and_groups_are_in_the_readers_language(schemas):
    chinese, english = schemas["zh-hans"], schemas["en"]
    assert CJK.search(chinese["info"]["title"]) and CJK.search(
        chinese["info"]["description"]
    )
    assert english["info"]["title"] == "Loopwatch API"
    assert not CJK.search(english["info"]["description"])
    for schema, in_chinese in ((chinese, True), (english, False)):
        named = {tag["name"] for tag in schema["tags"]}
        used = {tag for _, op in operations(schema) for tag in op["tags"]}
        assert used == named
        for tag in schema["tags"]:
            for words in (tag["name"], tag["description"]):
                assert bool(CJK.search(words)) is in_chinese, words
    assert "市场" in {tag["name"] for tag in chinese["tags"]}
    assert "Markets" in {tag["name"] for tag in english["tags"]}


def test_every_field_and_parameter_is_described_in_chinese(schemas):
    not_chinese = [
        f"{where}: {words!r}"
        for where, words in field_descriptions(schemas["zh-hans"])
        if not CJK.search(words)
    ]
    assert not_chinese == []


def test_numbers_worded_into_help_texts_follow_the_language(schemas):
    """Worded when the schema is drawn, not once at import in whichever language."""
    chinese = schemas["zh-hans"]["components"]["schemas"]
    english = schemas["en"]["components"]["schemas"]
    text = "ArchiveRequestRequest", "text"
    assert CJK.search(chinese[text[0]]["properties"][text[1]]["description"])
    assert not CJK.search(english[text[0]]["properties"][text[1]]["description"])


def test_reads_anyone_may_make_show_no_lock_and_writes_keep_theirs(schemas):
    for where, operation in operations(schemas["zh-hans"]):
        method, path = where.split(" ", 1)
        if method == "GET" and not SIGNED_IN_READS.search(path):
            assert operation["security"] == [], where
        else:
            assert {"tokenAuth": []} in operation["security"], where
            assert {} not in operation["security"], where


def test_lang_chooses_the_language_and_an_unknown_one_is_ignored():
    client = Client(headers={"accept-language": "zh-hans"})
    english = yaml.safe_load(client.get("/api/schema/", {"lang": "en"}).content)
    assert english["info"]["title"] == "Loopwatch API"
    unknown = client.get("/api/schema/", {"lang": "xx"})
    assert unknown.status_code == 200
    assert CJK.search(yaml.safe_load(unknown.content)["info"]["title"])
    assert unknown["Content-Disposition"] == 'inline; filename="loopwatch.yaml"'


def test_the_schema_is_drawn_once_per_language():
    """Kept under the language: the second reader of a language is not drawn for, and
    a reader of the other is never served the first one's words."""
    with mock.patch.object(
        SchemaGenerator,
        "get_schema",
        autospec=True,
        side_effect=SchemaGenerator.get_schema,
    ) as drawn:
        first = schema_in("zh-hans")
        schema_in("zh-hans")
        english = schema_in("en")
    assert drawn.call_count == 2
    assert CJK.search(first["info"]["title"])
    assert english["info"]["title"] == "Loopwatch API"
    # Drawn for no one in particular: whoever asked first leaves nothing in it.
    assert all(call.kwargs["request"] is None for call in drawn.call_args_list)


@pytest.mark.parametrize(
    ("language", "title"), [("zh-hans", "Loopwatch 数据接口"), ("en", "Loopwatch API")]
)
def test_the_docs_render_in_each_language_from_our_own_static_files(language, title):
    client = Client(headers={"accept-language": language})
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<title>{title}</title>" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower() and "https://" not in html
    script = client.get(reverse("api-docs"), {"script": "", "lang": language})
    assert script.status_code == 200
    assert schema_address(script.content.decode()) == f"/api/schema/?lang={language}"
    assert "cdn" not in script.content.decode().lower()
