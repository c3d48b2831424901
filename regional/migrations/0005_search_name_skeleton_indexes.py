"""Trigram indexes on the search's name skeleton (regional.search.skeleton) and on Korean names, so that the
header's search uses an index, not a scan, at any scale. PostgreSQL only; SQLite (`make run`) scans its few
hundred rows."""

from django.db import migrations

from regional.search.skeleton import DIGRAPHS, LETTERS_FROM, LETTERS_TO


def skeleton_index_sql(column: str) -> str:
    expression = f"regexp_replace(lower({column}), '[^a-z]', '', 'g')"
    for before, after in DIGRAPHS:
        expression = f"replace({expression}, '{before}', '{after}')"
    expression = f"translate({expression}, '{LETTERS_FROM}', '{LETTERS_TO}')"
    return f"regexp_replace({expression}, '[nr]+', 'n', 'g')"


INDEXES = [
    ("county_name_skeleton_trgm", "regional_county", skeleton_index_sql('"name_en"')),
    ("county_name_ko_trgm", "regional_county", '"name_ko"'),
    ("factory_name_skeleton_trgm", "factories_factory", skeleton_index_sql('"name"')),
    ("factory_code_trgm", "factories_factory", '"code"'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("regional", "0004_notifications_and_user_language"),
        ("factories", "0004_late_entry_grant"),
    ]

    operations = [migrations.RunPython(create, drop)]
