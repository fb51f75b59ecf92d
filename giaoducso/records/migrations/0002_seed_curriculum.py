from django.db import migrations


def seed(apps, schema_editor):
    from giaoducso.records.curriculum import sync

    sync(apps.get_model("records", "Subject"), apps.get_model("records", "GradeSubject"))


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
