from django.conf import settings
from django.db import migrations

from giaoducso.core import db_guards


def install(apps, schema_editor):
    if getattr(settings, "AUDIT_DB_TRIGGERS", True):
        db_guards.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    db_guards.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
