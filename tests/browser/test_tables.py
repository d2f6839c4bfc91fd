"""Every public table on a phone, in either language: it fits the screen, or it
scrolls sideways inside its wrapper, which then says so (a shadow edge and a caption)."""

import io

import pytest
from django.core.management import call_command

from markets.models import Market

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: For each table: how wide it is and its wrapper, and each cell cut off by the
#: screen or by an ancestor that does not scroll; a cell past the edge of a wrapper
#: that scrolls is only out of sight, and the wrapper's hint must then be shown.
MEASURE_TABLES = """() => [...document.querySelectorAll('main table')].map(table => {
    const scroller = table.closest('.table-scroll');
    const hint = scroller && scroller.querySelector('.table-scroll__hint');
    const clipped = [...table.querySelectorAll('th, td')].filter(cell => {
        const box = cell.getBoundingClientRect();
        if (!box.width) return false;
        let right = window.innerWidth;
        for (let node = cell.parentElement; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.overflowX === 'visible') continue;
            if (['auto', 'scroll'].includes(style.overflowX)) return false;
            right = Math.min(right, node.getBoundingClientRect().right);
        }
        return box.right > right + 1;
    }).map(cell => cell.textContent.trim().slice(0, 30));
    return {
        table: table.className,
        width: Math.round(table.getBoundingClientRect().width),
        wrapper: scroller ? scroller.clientWidth : null,
        overflows: scroller ? scroller.scrollWidth > scroller.clientWidth + 1 : false,
        hint: hint ? hint.checkVisibility() : false,
        headerLines: Math.max(0, ...[...table.querySelectorAll('thead th')].map(th => {
            const style = getComputedStyle(th);
            const text = th.getBoundingClientRect().height
                - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
            return Math.round(text / parseFloat(style.lineHeight));
        })),
        clipped,
    };
})"""


def pages_with_tables(data) -> list[str]:
    """A page of each table the public reads, on the article data."""
    call_command("release_dataset", stdout=io.StringIO())
    market = (
        Market.objects.published()
        .filter(figures__isnull=False)
        .order_by("code")
        .first()
    )
    return [
        "/data/",
        data.seller_case.get_absolute_url(),
        f"/markets/{market.code}/",
        "/search/?q=GMV",
        "/markets/",
        "/?as_of=2024-06-01",
    ]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_every_table_fits_a_phone_or_says_it_scrolls(
    open_page, article_data_set, locale
):
    page = open_page(
        390, locale, height=844, is_mobile=True, has_touch=True, device_scale_factor=3
    )
    seen = 0
    for address in pages_with_tables(article_data_set):
        assert page.goto(address).status == 200, address
        for table in page.evaluate(MEASURE_TABLES):
            seen += 1
            assert table["clipped"] == [], (address, table)
            # The caption appears exactly where there is more to see sideways.
            assert table["hint"] == table["overflows"], (address, table)
            # A column's name reads on a line or two, not letter by letter.
            assert table["headerLines"] <= 2, (address, table)
    assert seen >= 5


def test_a_table_scrolled_to_its_end_keeps_its_caption_in_place(
    open_page, article_data_set
):
    """The caption stays put while the reader swipes, and the last column comes into
    sight: the table scrolls, it is not cut."""
    page = open_page(390, "en-GB", is_mobile=True, has_touch=True)
    page.goto(article_data_set.seller_case.get_absolute_url())
    scroller = page.locator(".table-scroll").first
    hint = scroller.locator(".table-scroll__hint")
    assert hint.is_visible()
    before = hint.bounding_box()
    scroller.evaluate("node => { node.scrollLeft = node.scrollWidth; }")
    assert hint.is_visible()
    assert hint.bounding_box()["x"] == before["x"]
    last = scroller.locator("thead th").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 390
