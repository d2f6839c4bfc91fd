"""The stylesheet of the answers' colours, written from the vocabulary.

The pages draw a status in four places: a label in running text (``status-<value>``),
a band of the timeline and its legend (``band``/``swatch status-<value>``), a country
on the map or a square of the colour matrix, with its legend (``map-<value>``). Every
one of those rules, and the custom properties ``--status-<value>`` (with ``-on``,
``-tint`` and ``-on-tint``) that the rest of site.css may name, is written here from
``markets.vocabulary``, so a status's colours are typed once. The policy of the site's
Content-Security-Policy allows no inline style, so the sheet is a static file:
``manage.py write_status_css`` writes it, and a test fails while the committed file
differs from what this module writes.
"""

from pathlib import Path

from django.conf import settings

from markets.vocabulary import LOOKS_OVER_STATUS, Look, statuses_in_order

#: Where the sheet is written, beside site.css.
STYLESHEET = Path(settings.BASE_DIR) / "config" / "static" / "css" / "statuses.css"

HEADER = """\
/* The answers' colours, written by `manage.py write_status_css` from
   markets/vocabulary.py: edit the vocabulary, not this file. */
"""


def _properties(name: str, look: Look) -> list[str]:
    return [
        f"  --status-{name}: {look.colour};",
        f"  --status-{name}-on: {look.on_colour};",
        f"  --status-{name}-tint: {look.tint};",
        f"  --status-{name}-on-tint: {look.on_tint};",
    ]


def _rules(name: str) -> str:
    colour = f"var(--status-{name})"
    return f"""
.status-{name} {{
  background: var(--status-{name}-tint);
  color: var(--status-{name}-on-tint);
}}

.band.status-{name} {{
  fill: {colour};
}}

.swatch.status-{name} {{
  background: {colour};
}}

.map-{name} path:not(.world-map__hatched),
.map-{name} circle {{
  fill: {colour};
}}

.map-legend__swatch.map-{name} {{
  background: {colour};
  color: var(--status-{name}-on);
}}

.map-{name} .colour-matrix__glyph {{
  fill: var(--status-{name}-on);
}}
"""


def status_css() -> str:
    """The whole sheet, as ``write_status_css`` writes it: every status, then the
    looks drawn over one (uncertain, scheduled), which site.css may restyle."""
    looks = [(status.value, status.look) for status in statuses_in_order()]
    looks += list(LOOKS_OVER_STATUS.items())
    properties = [line for name, look in looks for line in _properties(name, look)]
    rules = "".join(_rules(name) for name, _look in looks)
    return HEADER + "\n:root {\n" + "\n".join(properties) + "\n}\n" + rules
