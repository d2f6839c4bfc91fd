"""On a phone, in either language, a name breaks only between its words, never inside
one: a Chinese name (澳大利亚) stays whole, an English one breaks at a space."""

import pytest

#: Where the pages write the names of markets, regions, modes, sellers and places.
NAMES = ", ".join(
    [
        ".site-nav a",
        ".status-grid tbody th a",
        ".status-grid tbody th small",
        ".market-chip",
        ".chip",
        ".nobreak",
        ".breadcrumbs a",
        ".status",
        ".badge",
        ".map-legend li",
        ".market-link",
    ]
)

#: For every text node of the matched elements: where its characters move to a new
#: line, the break must stand at a space (or a hyphen or a slash, where English breaks).
MID_WORD_BREAKS = """selector => {
    const found = [];
    for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent;
            let lastTop = null;
            for (let i = 0; i < text.length; i++) {
                if (/\\s/.test(text[i])) continue;
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                if (lastTop !== null && rect.top > lastTop + 2) {
                    const before = text.slice(0, i).trimEnd();
                    const gap = text.slice(before.length, i);
                    if (!/\\s/.test(gap) && !/[-/–]$/.test(before)) {
                        found.push(text.trim());
                        break;
                    }
                }
                lastTop = rect.top;
            }
        }
    }
    return found;
}"""

PAGES = [
    "/",
    "/?as_of=2024-06-01",
    "/markets/",
    "/markets/US/",
    "/events/",
    "/events/semi-closed-loop-beta-eight-markets-2024-02/",
    "/sellers/",
    "/sources/",
    "/map/?as_of=2024-06-01",
    "/changes/?from=2023-01-01&to=2024-06-01",
]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_no_name_breaks_inside_a_word_on_a_phone(open_page, article_data, locale):
    page = open_page(390, locale)
    broken = {}
    for address in PAGES:
        page.goto(address)
        if found := page.evaluate(MID_WORD_BREAKS, NAMES):
            broken[address] = found
    assert broken == {}
