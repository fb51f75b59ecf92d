"""PostgreSQL: the full-text index moves from the documents' table to a narrow side table, `office_search`.

A search that matches thousands of old documents ("… năm học 2019") reads every match before it can keep
the newest page; reading them from office_document meant a wide row each (body, folded text, tsvector:
about 2 kB). `office_search` holds only what a search reads: the document id, its issuer, whether it is
issued, and the folded text's tsvector stripped of positions (no phrase search or ranking uses them),
about 450 bytes a row, with the GIN index on it. Triggers keep it in step with office_document whatever
writes (services, bulk loads, a restore), so no code path can forget it; a TRUNCATE (the tests' flush)
empties it too. The GIN index has `fastupdate` off: documents are written far less often than searched,
and a pending list would be scanned by every search until a vacuum merges it.

The receivers' side of the scope is read from office_incoming by unit: an index on (unit, document) lets a
school's documents come from the index alone.

SQLite keeps its FTS5 table (0002) unchanged.
"""

import importlib

from django.db import migrations, models

fts = importlib.import_module("giaoducso.office.migrations.0002_full_text_search")

# Issued: not one of DocStatus' steps before issue (draft, review, approved).
_ISSUED = "status NOT IN ('draft', 'review', 'approved')"

PG_FORWARD = [
    "CREATE TABLE office_search ("
    " document_id bigint PRIMARY KEY,"
    " issuer_id bigint NOT NULL,"
    " issued boolean NOT NULL,"
    " vector tsvector NOT NULL)",
    f"INSERT INTO office_search (document_id, issuer_id, issued, vector) "
    f"SELECT id, issuer_id, {_ISSUED}, strip(to_tsvector('simple'::regconfig, search_text)) "
    f"FROM office_document",
    "CREATE INDEX office_search_vector ON office_search USING GIN (vector) WITH (fastupdate = off)",
    "CREATE INDEX office_search_issuer ON office_search (issuer_id, document_id)",
    f"""CREATE FUNCTION office_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM office_search WHERE document_id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO office_search (document_id, issuer_id, issued, vector)
    VALUES (NEW.id, NEW.issuer_id, NEW.{_ISSUED}, strip(to_tsvector('simple'::regconfig, NEW.search_text)))
    ON CONFLICT (document_id) DO UPDATE
        SET issuer_id = EXCLUDED.issuer_id, issued = EXCLUDED.issued, vector = EXCLUDED.vector;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER office_search_insert AFTER INSERT ON office_document "
    "FOR EACH ROW EXECUTE FUNCTION office_search_sync()",
    # Django's save() sets every column: only a change of what the side table holds rewrites its row.
    "CREATE TRIGGER office_search_update AFTER UPDATE OF search_text, status, issuer_id ON office_document "
    "FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text "
    "OR OLD.status IS DISTINCT FROM NEW.status OR OLD.issuer_id IS DISTINCT FROM NEW.issuer_id) "
    "EXECUTE FUNCTION office_search_sync()",
    "CREATE TRIGGER office_search_delete AFTER DELETE ON office_document "
    "FOR EACH ROW EXECUTE FUNCTION office_search_sync()",
    """CREATE FUNCTION office_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE office_search;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER office_search_truncate AFTER TRUNCATE ON office_document "
    "FOR EACH STATEMENT EXECUTE FUNCTION office_search_truncate()",
    # The tsvector of 0002 on the wide table: nothing reads it any more.
    *fts.PG_BACKWARD,
]
PG_BACKWARD = [
    *fts.PG_FORWARD,
    "DROP TRIGGER IF EXISTS office_search_truncate ON office_document",
    "DROP TRIGGER IF EXISTS office_search_delete ON office_document",
    "DROP TRIGGER IF EXISTS office_search_update ON office_document",
    "DROP TRIGGER IF EXISTS office_search_insert ON office_document",
    "DROP FUNCTION IF EXISTS office_search_truncate()",
    "DROP FUNCTION IF EXISTS office_search_sync()",
    "DROP TABLE IF EXISTS office_search",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("office", "0003_issuer_path_pattern_index")]

    operations = [
        migrations.AddIndex(
            model_name="incoming",
            index=models.Index(fields=["unit", "document"], name="office_in_unit_document"),
        ),
        migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD)),
    ]
