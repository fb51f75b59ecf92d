"""Students and staff in Vietnamese name order: a `sort_key` column (rules.text.name_sort_key).

Lists sorted the full name by code points, family name first, so Đỗ came after Võ and nobody was in the
order of a printed class list (given name, middle, family; ă after a, đ after d; tones after the letters).
The key is lower-case ASCII, so PostgreSQL's collation and SQLite's byte order give the same order. The
index on (school, full_name) served the old per-school order; (school, sort_key, id) serves the new one.
Existing rows are filled here in batches.
"""

from django.db import migrations, models

from rules.text import name_sort_key

BATCH = 2000


def fill(apps, schema_editor):
    for model_name in ("Student", "Staff"):
        model = apps.get_model("directory", model_name)
        last = 0
        while True:
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "full_name")[:BATCH])
            if not rows:
                break
            for row in rows:
                row.sort_key = name_sort_key(row.full_name)
            model.objects.bulk_update(rows, ["sort_key"])
            last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_school_year_per_province"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="staff",
            options={
                "ordering": ["school_id", "sort_key", "id"],
                "verbose_name": "cán bộ, giáo viên, nhân viên",
                "verbose_name_plural": "cán bộ, giáo viên, nhân viên",
            },
        ),
        migrations.AlterModelOptions(
            name="student",
            options={
                "ordering": ["school_id", "sort_key", "id"],
                "verbose_name": "học sinh",
                "verbose_name_plural": "học sinh",
            },
        ),
        migrations.RemoveIndex(
            model_name="student",
            name="dir_student_school_name",
        ),
        migrations.AddField(
            model_name="staff",
            name="sort_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="student",
            name="sort_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["school", "sort_key", "id"], name="dir_student_school_sort"),
        ),
    ]
