"""manage.py rebuild_status: the status index rewritten from the record, or checked."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from markets.models import Market, Mode
from status.models import StatusSpan

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)


def rebuild_status(*args: str) -> str:
    out = StringIO()
    call_command("rebuild_status", *args, stdout=out)
    return out.getvalue()


def index() -> list[tuple]:
    return list(
        StatusSpan.objects.order_by("market", "mode", "start").values_list(
            "market", "mode", "start", "end", "status", "uncertain", "scheduled"
        )
    )


def test_the_article_datas_index_matches_the_record(article_data):
    assert "matches the record" in rebuild_status("--check")


def test_a_span_changed_in_sql_is_found_by_the_check_and_put_right(article_data):
    before = index()
    germany = Market.objects.get(code="DE")
    span = StatusSpan.objects.filter(market=germany).order_by("-start").first()
    StatusSpan.objects.filter(pk=span.pk).update(status="closed", unsure=False)

    with pytest.raises(CommandError, match=f"DE {span.mode}"):
        rebuild_status("--check")
    report = rebuild_status()

    assert "1 differed from the record: DE" in report
    assert index() == before
    assert "matches the record" in rebuild_status("--check")


def test_a_deleted_cell_is_written_again(article_data):
    before = index()
    StatusSpan.objects.filter(mode=Mode.SEMI_CLOSED_LOOP).delete()

    rebuild_status("--mode", Mode.SEMI_CLOSED_LOOP)

    assert index() == before


def test_only_the_cells_asked_for_are_rewritten(article_data):
    germany = Market.objects.get(code="DE")
    kept = set(StatusSpan.objects.exclude(market=germany).values_list("pk", flat=True))
    rewritten = set(
        StatusSpan.objects.filter(market=germany).values_list("pk", flat=True)
    )

    rebuild_status("--market", "de")

    assert kept <= set(StatusSpan.objects.values_list("pk", flat=True))
    assert not rewritten & set(StatusSpan.objects.values_list("pk", flat=True))


def test_an_unknown_market_code_is_refused_writing_nothing(article_data):
    before = set(StatusSpan.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError, match="No market has the code ZZ"):
        rebuild_status("--market", "DE", "--market", "ZZ")
    assert set(StatusSpan.objects.values_list("pk", flat=True)) == before


def test_a_rebuild_retires_every_answer_kept_from_the_old_index(article_data, client):
    url = f"/api/status/?as_of={DAY}&format=json"
    answer = client.get(url)
    StatusSpan.objects.filter(market__code="DE").update(status="closed", unsure=False)

    rebuild_status()
    again = client.get(url, HTTP_IF_NONE_MATCH=answer["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != answer["ETag"]
    assert again.json() == answer.json()
