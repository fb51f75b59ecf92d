"""The disclosure items (Circular 09/2024) and the procedures, from giaoducso/portal/catalogue.py."""

from django.db import migrations


def seed(apps, schema_editor):
    from giaoducso.portal.catalogue import sync

    sync(apps.get_model("portal", "Requirement"), apps.get_model("portal", "Procedure"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
