"""pg_trgm and full-text indexes for searching seller cases and figures.

The SQL is written out as it was when this ran (markets.search made it then): a
migration never changes with the code around it.
"""

from django.db import migrations

#: As in markets 0006: trigram indexes for icontains, English ones for SearchVector.
CREATE = [
    'CREATE INDEX IF NOT EXISTS "sellers_sellercase_seller_name_trgm" ON "sellers_sellercase" USING gin ((UPPER("seller_name"::text)) gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS "sellers_sellercase_person_name_trgm" ON "sellers_sellercase" USING gin ((UPPER("person_name"::text)) gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS "sellers_sellercase_narrative_zh_trgm" ON "sellers_sellercase" USING gin ((UPPER("narrative_zh"::text)) gin_trgm_ops)',
    """CREATE INDEX IF NOT EXISTS "sellers_sellercase_english_fts" ON "sellers_sellercase" USING gin (to_tsvector('english'::regconfig, COALESCE("narrative_en", '') || ' ' || COALESCE("category_en", '')))""",
    'CREATE INDEX IF NOT EXISTS "sellers_sellerfigure_metric_zh_trgm" ON "sellers_sellerfigure" USING gin ((UPPER("metric_zh"::text)) gin_trgm_ops)',
    """CREATE INDEX IF NOT EXISTS "sellers_sellerfigure_english_fts" ON "sellers_sellerfigure" USING gin (to_tsvector('english'::regconfig, COALESCE("metric_en", '') || ' ' || COALESCE("period_en", '')))""",
]
DROP = [
    'DROP INDEX IF EXISTS "sellers_sellercase_seller_name_trgm"',
    'DROP INDEX IF EXISTS "sellers_sellercase_person_name_trgm"',
    'DROP INDEX IF EXISTS "sellers_sellercase_narrative_zh_trgm"',
    'DROP INDEX IF EXISTS "sellers_sellercase_english_fts"',
    'DROP INDEX IF EXISTS "sellers_sellerfigure_metric_zh_trgm"',
    'DROP INDEX IF EXISTS "sellers_sellerfigure_english_fts"',
]


def on_postgresql(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0006_search_indexes"),
        ("sellers", "0003_history_and_versions"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
