"""The public pages pass axe-core with no serious or critical finding, in both
languages, on a phone and on a laptop, with the article data.

axe-core comes from npm, pinned in package.json and package-lock.json and installed by
`npm ci` (the Makefile's browser half does it); nothing is fetched while the test runs.
Every rule runs. What axe leaves for a person to review ("incomplete": text over a
gradient, such as the scrolling table's edge shadows or the hatched uncertain pill) is
not asserted on; those pairs were checked by hand, and the status colours are checked
in tests/markets/test_vocabulary.py.
"""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
PUBLIC_PAGES = (
    "/",
    "/markets/",
    "/markets/DE/",
    "/changes/?from=2023-06-01&to=2024-06-01",
    "/events/",
    "/map/",
    "/map/?region=europe",
    "/sources/",
    "/sellers/",
)
BLOCKING = ("serious", "critical")


def findings(page: object) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands: each with
    its rule, impact and the elements it points at."""
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in violations
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_public_pages_have_no_serious_accessibility_finding(
    open_page, article_data, locale, width
):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: npm ci")
    axe_source = AXE.read_text()
    page = open_page(width=width, locale=locale)
    found = {}
    for address in PUBLIC_PAGES:
        page.goto(address)
        # Evaluated rather than added as a <script>: the content security policy
        # refuses inline scripts, and a refusal would be a console error.
        page.evaluate(axe_source)
        if problems := findings(page):
            found[address] = problems
    assert found == {}, "\n".join(
        f"{address} {problem['rule']} ({problem['impact']}): {problem['targets']}"
        for address, problems in found.items()
        for problem in problems
    )
