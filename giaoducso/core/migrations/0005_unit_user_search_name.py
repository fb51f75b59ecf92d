"""Folded names on units and users, so every list filter matches like the search page (core.text_match).

"nguyen van" found nothing in the account list and "truong thcs" nothing in the unit list: they compared
the typed text with the name as written. The column holds rules.text.fold(name); existing rows are filled
here in batches. On PostgreSQL a pg_trgm GIN index serves the user filter's `LIKE '% word%'` (a city holds
millions of parent accounts); units are few, and a scan of them costs nothing.
"""

from django.db import migrations, models

from rules.text import fold

BATCH = 2000


def fill(apps, schema_editor):
    for model_name, source in (("Unit", "name"), ("User", "full_name")):
        model = apps.get_model("core", model_name)
        last = 0
        while True:
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", source)[:BATCH])
            if not rows:
                break
            for row in rows:
                row.search_name = fold(getattr(row, source))
            model.objects.bulk_update(rows, ["search_name"])
            last = rows[-1].pk


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS core_user_search_trgm ON core_user USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS core_user_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_user_must_change_password"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
