"""The admin's change forms at a laptop's width (1366 px), on the article data: the
busiest event and source are edited without scrolling sideways, with every quote's
delete box on screen and the source's archived copies readable."""

import pytest
from django.contrib.admin import site

from tests.browser.conftest import FITS, SIDEWAYS, sign_in_as_superuser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = 1366


@pytest.fixture
def analyst_page(open_page, article_data) -> object:
    return sign_in_as_superuser(open_page(width=LAPTOP), "desk")


def test_the_busiest_event_and_source_forms_fit_a_laptop(
    analyst_page, article_data_set
):
    """They were 1,452 and 1,632 px wide: the quotes' table beside the citing panel,
    the relayed outlets' address boxes and the archived copies' digests."""
    page = analyst_page
    event, source = article_data_set.event, article_data_set.source

    page.goto(f"/admin/markets/modeevent/{event.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP
    delete_boxes = page.locator('input[name^="evidence-"][name$="-DELETE"]')
    assert delete_boxes.count() >= 1
    for index in range(delete_boxes.count()):
        box = delete_boxes.nth(index).bounding_box()
        assert box["x"] + box["width"] <= LAPTOP

    page.goto(f"/admin/markets/source/{source.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP
    # Each heading of the archived copies' table reads on one line, none squeezed
    # to a character a line.
    lines_per_heading = page.locator(".field-archived_copies table").evaluate(
        """table => [...table.querySelectorAll("th")]
            .filter(th => th.textContent.trim())
            .map(th => {
              const range = document.createRange();
              range.selectNodeContents(th);
              return new Set([...range.getClientRects()].map(r => Math.round(r.top)))
                .size;
            })"""
    )
    assert lines_per_heading and set(lines_per_heading) == {1}


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_every_change_form_of_the_article_data_fits_a_laptop(
    open_page, article_data, locale
):
    """One record of each kind the admin edits, opened at 1366 px: neither the page
    nor any box in its form scrolls sideways. A seller case's figures, one row of
    fourteen fields each, were a table of 1,733 px (2,293 px in English) in 643."""
    page = sign_in_as_superuser(open_page(width=LAPTOP, locale=locale), "desk")
    overflowing = {}
    for model in site._registry:
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        meta = model._meta
        page.goto(f"/admin/{meta.app_label}/{meta.model_name}/{record.pk}/change/")
        if (found := page.evaluate(SIDEWAYS)) != FITS:
            overflowing[meta.label] = found
    assert overflowing == {}
