"""A pattern index on the issuer's path (a school's own documents found by prefix, ANDed with the GIN match)
instead of a plain btree, which a LIKE prefix cannot use under a non-C collation.

On SQLite, altering a field rebuilds the table, which drops its triggers: the FTS5 triggers of 0002 are
put back and the FTS table rebuilt from the documents, so the search keeps every row.
"""

import importlib

from django.db import migrations, models

fts = importlib.import_module("giaoducso.office.migrations.0002_full_text_search")


def restore_sqlite_fts(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in fts.SQLITE_BACKWARD[:3]:  # the triggers, if any survived
        schema_editor.execute(sql)
    for sql in fts.SQLITE_FORWARD[1:]:
        schema_editor.execute(sql)
    schema_editor.execute("INSERT INTO office_document_fts(office_document_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("office", "0002_full_text_search")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="issuer_path",
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["issuer_path"], name="office_doc_issuer_path", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.RunPython(restore_sqlite_fts, migrations.RunPython.noop),
    ]
