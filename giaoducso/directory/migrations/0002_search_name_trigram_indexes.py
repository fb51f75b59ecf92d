"""Trigram indexes for name search on PostgreSQL.

Search matches `search_name LIKE 'w1% w2%'` (from the first word) OR `LIKE '% w1% w2%'` (from any later
word: people search by given name as often as by family name). A btree index, even with
varchar_pattern_ops, serves only the first pattern; a pg_trgm GIN index serves both, and ORs of them, so
it is the one index that keeps every name query off a sequential scan. SQLite has no such index type and
the test suite runs there too: the operation does nothing on other databases (their existing btree index
on search_name is what they use). pg_trgm is a trusted extension since PostgreSQL 13, so the database
owner can create it without superuser rights.
"""

from django.db import migrations

INDEXES = [
    ("directory_student", "dir_student_search_trgm"),
    ("directory_staff", "dir_staff_search_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
