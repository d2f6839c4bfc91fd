"""pg_trgm and full-text indexes for searching seller cases and figures."""

from django.db import migrations

from markets.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0006_search_indexes"),
        ("sellers", "0003_history_and_versions"),
    ]

    operations = [
        search_index_operation(
            {
                "sellers_sellercase": (
                    ("seller_name", "person_name", "narrative_zh"),
                    ("narrative_en", "category_en"),
                ),
                "sellers_sellerfigure": (("metric_zh",), ("metric_en", "period_en")),
            }
        ),
    ]
