"""Full-text search over documents, diacritics-insensitive on both databases.

`search_text` holds the folded text (rules.text.fold: what `unaccent` + `lower` would give, đ → d too, the
same in Python and SQL, so a query folded the same way matches). PostgreSQL: a stored tsvector generated
from it, with a GIN index, queried with to_tsquery('simple', …). SQLite: an FTS5 table over the same
column, kept in step by triggers.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE office_document ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX office_document_search ON office_document USING GIN (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS office_document_search",
    "ALTER TABLE office_document DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE office_document_fts USING fts5(search_text, content='office_document', "
    "content_rowid='id')",
    "CREATE TRIGGER office_document_fts_ai AFTER INSERT ON office_document BEGIN "
    "INSERT INTO office_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER office_document_fts_ad AFTER DELETE ON office_document BEGIN "
    "INSERT INTO office_document_fts(office_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER office_document_fts_au AFTER UPDATE OF search_text ON office_document BEGIN "
    "INSERT INTO office_document_fts(office_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO office_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS office_document_fts_au",
    "DROP TRIGGER IF EXISTS office_document_fts_ad",
    "DROP TRIGGER IF EXISTS office_document_fts_ai",
    "DROP TABLE IF EXISTS office_document_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
