"""pg_trgm and full-text indexes for search; nothing to do on SQLite.

The SQL is written out as it was when this ran (markets.search made it then): a
migration never changes with the code around it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

#: Trigram indexes serve Django's icontains, which it writes UPPER(col) LIKE UPPER(%s);
#: the English ones the expression Django writes for SearchVector(..., "english").
CREATE = [
    'CREATE INDEX IF NOT EXISTS "markets_modeevent_summary_zh_trgm" ON "markets_modeevent" USING gin ((UPPER("summary_zh"::text)) gin_trgm_ops)',
    """CREATE INDEX IF NOT EXISTS "markets_modeevent_english_fts" ON "markets_modeevent" USING gin (to_tsvector('english'::regconfig, COALESCE("summary_en", '')))""",
    'CREATE INDEX IF NOT EXISTS "markets_source_title_trgm" ON "markets_source" USING gin ((UPPER("title"::text)) gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS "markets_source_publisher_trgm" ON "markets_source" USING gin ((UPPER("publisher"::text)) gin_trgm_ops)',
    """CREATE INDEX IF NOT EXISTS "markets_source_english_fts" ON "markets_source" USING gin (to_tsvector('english'::regconfig, COALESCE("title_en", '')))""",
    'CREATE INDEX IF NOT EXISTS "markets_marketfigure_metric_zh_trgm" ON "markets_marketfigure" USING gin ((UPPER("metric_zh"::text)) gin_trgm_ops)',
    """CREATE INDEX IF NOT EXISTS "markets_marketfigure_english_fts" ON "markets_marketfigure" USING gin (to_tsvector('english'::regconfig, COALESCE("metric_en", '') || ' ' || COALESCE("period_en", '')))""",
]
DROP = [
    'DROP INDEX IF EXISTS "markets_modeevent_summary_zh_trgm"',
    'DROP INDEX IF EXISTS "markets_modeevent_english_fts"',
    'DROP INDEX IF EXISTS "markets_source_title_trgm"',
    'DROP INDEX IF EXISTS "markets_source_publisher_trgm"',
    'DROP INDEX IF EXISTS "markets_source_english_fts"',
    'DROP INDEX IF EXISTS "markets_marketfigure_metric_zh_trgm"',
    'DROP INDEX IF EXISTS "markets_marketfigure_english_fts"',
]


def on_postgresql(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("markets", "0005_history_and_versions")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
