"""The analysts' daily tool: every fact edited together with its evidence.

One module per thing administered, each registering its admins when imported (the
admin's autodiscovery imports this package):

- ``reference``: regions, markets and disputes;
- ``sources``: sources and the outlets an article relays (intake.admin adds the text
  archived from the form and the suggestions read from it);
- ``events``: mode events and their evidence (status.admin adds the preview of what
  publishing them would change);
- ``figures``: market figures and their evidence.

The building blocks the sellers' admin shares (forms, bulk publishing, inlines) are in
markets.admin_base, outside this package, so that intake.admin and status.admin can
use them without importing the registrations that import them.
"""

from markets.admin import events, figures, reference, sources

__all__ = ["events", "figures", "reference", "sources"]
