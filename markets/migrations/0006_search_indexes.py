"""pg_trgm and full-text indexes for search; nothing to do on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from markets.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("markets", "0005_history_and_versions")]

    operations = [
        TrigramExtension(),
        search_index_operation(
            {
                "markets_modeevent": (("summary_zh",), ("summary_en",)),
                "markets_source": (("title", "publisher"), ("title_en",)),
                "markets_marketfigure": (("metric_zh",), ("metric_en", "period_en")),
            }
        ),
    ]
