"""Bad input from anyone is a 400 or a 404 with a message, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "9999-12-31"}, "as_of"),
        ({"as_of": "0001-01-01"}, "as_of"),
        ({"as_of": "2024-03-01", "known_on": "9999-12-31"}, "known_on"),
    ],
)
def test_a_day_outside_the_sane_range_is_a_400_naming_it(
    api_client, article_data, params, field
):
    response = api_client.get("/api/status/", params)
    assert response.status_code == 400
    assert "2100-12-31" in response.json()[field][0]


@pytest.mark.parametrize(
    "address",
    [
        "/?as_of=9999-12-31",
        "/markets/?as_of=9999-12-31&semi_closed_loop=beta",
        "/markets/DE/?as_of=9999-12-31",
        "/events/?date_after=9999-12-31",
        "/sources/?published_before=9999-12-31",
    ],
)
def test_pages_answer_a_day_out_of_range_with_the_form_error(
    client, article_data, address
):
    response = client.get(address, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Give a day from 1900-01-01 to 2100-12-31." in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/api/mode-events/?date_after=9999-12-31",
        "/api/sources/?published_before=9999-12-31",
    ],
)
def test_api_filters_refuse_a_day_out_of_range(api_client, article_data, address):
    assert api_client.get(address).status_code == 400


def test_an_event_dated_year_9999_is_refused_with_a_field_error(
    analyst_api, article_data
):
    response = analyst_api.post(
        "/api/mode-events/",
        {
            "slug": "far-future",
            "mode": "semi_closed_loop",
            "kind": "launch",
            "markets": ["DE"],
            "date": "9999-01-01",
            "date_precision": "year",
            "status_set": "live",
            "summary_en": "A typo.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["date"]
