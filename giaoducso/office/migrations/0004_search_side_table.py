"""PostgreSQL: the full-text index moves from the documents' table to a narrow side table, `office_search`.

A search that matches thousands of old documents ("… năm học 2019") reads every match before it can keep
the newest page; reading them from office_document meant a wide row each (body, folded text, tsvector:
about 2 kB). `office_search` holds only what a search reads: the document id, its issuer, whether it is
issued, and the folded text's tsvector stripped of positions (no phrase search or ranking uses them),
about 450 bytes a row, with the GIN index on it. The tsvector also holds a key per unit that reaches the
document as issuer or recipient ("@<unit id>", which no folded word can be: words are letters and digits),
so that a school's search is one GIN lookup of its words AND its key: it reads its own matches only. Triggers keep it in step with office_document whatever
writes (services, bulk loads, a restore), so no code path can forget it; a TRUNCATE (the tests' flush)
empties it too. The GIN index has `fastupdate` off: documents are written far less often than searched,
and a pending list would be scanned by every search until a vacuum merges it.

SQLite keeps its FTS5 table (0002) unchanged.
"""

import importlib

from django.db import migrations

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
    f"SELECT d.id, d.issuer_id, d.{_ISSUED}, "
    f"strip(to_tsvector('simple'::regconfig, d.search_text)) || array_to_tsvector(ARRAY("
    f"SELECT '@' || i.unit_id FROM office_incoming i WHERE i.document_id = d.id "
    f"UNION SELECT '@' || d.issuer_id)) FROM office_document d",
    "CREATE INDEX office_search_vector ON office_search USING GIN (vector) WITH (fastupdate = off)",
    "CREATE INDEX office_search_issuer ON office_search (issuer_id, document_id)",
    f"""CREATE FUNCTION office_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM office_search WHERE document_id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO office_search (document_id, issuer_id, issued, vector)
    VALUES (
        NEW.id, NEW.issuer_id, NEW.{_ISSUED},
        strip(to_tsvector('simple'::regconfig, NEW.search_text)) || array_to_tsvector(ARRAY(
            SELECT '@' || i.unit_id FROM office_incoming i WHERE i.document_id = NEW.id
            UNION SELECT '@' || NEW.issuer_id))
    )
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
    # A document sent to a unit carries the unit's key from then on (one UPDATE per statement, whatever
    # the number of recipients). Incoming rows are never deleted nor moved to another unit or document.
    """CREATE FUNCTION office_search_received() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE office_search s SET vector = s.vector || array_to_tsvector(r.keys)
    FROM (SELECT document_id, array_agg(DISTINCT '@' || unit_id) AS keys FROM received
          WHERE document_id IS NOT NULL GROUP BY document_id) r
    WHERE s.document_id = r.document_id;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER office_search_received AFTER INSERT ON office_incoming "
    "REFERENCING NEW TABLE AS received FOR EACH STATEMENT EXECUTE FUNCTION office_search_received()",
    # The tsvector of 0002 on the wide table: nothing reads it any more.
    *fts.PG_BACKWARD,
]
PG_BACKWARD = [
    *fts.PG_FORWARD,
    "DROP TRIGGER IF EXISTS office_search_received ON office_incoming",
    "DROP FUNCTION IF EXISTS office_search_received()",
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
        migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD)),
    ]
