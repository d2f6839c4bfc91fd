"""The admin's export page in a real browser: it runs under the site's content
security policy (no console error) and its "Select all" box still works."""

import pytest

from tests.browser.conftest import sign_in_as_superuser
from tests.factories import ModeEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page) -> object:
    # Tables are flushed between these tests, the Analyst group with them.
    ModeEventFactory(slug="beta", summary_zh="半闭环模式内测")
    return sign_in_as_superuser(page, "intake")


def test_export_page_runs_without_a_policy_error_and_select_all_works(signed_in):
    page = signed_in
    page.goto("/admin/markets/modeevent/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 5
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    page.locator("#select-all-toggle").uncheck()
    assert not any(fields.nth(i).is_checked() for i in range(fields.count()))
    page.locator("#select-all-toggle").check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    # The page's styles came from a file, not from refused inline attributes.
    weight = page.locator(".select-all-label").evaluate(
        "label => getComputedStyle(label).fontWeight"
    )
    assert weight in ("700", "bold")
