"""The disclosure items (Circular 09/2024) and the procedures, from giaoducso/portal/catalogue.py."""

from django.db import migrations


def seed(apps, schema_editor):
    from giaoducso.portal.catalogue import PROCEDURES, REQUIREMENTS

    Requirement = apps.get_model("portal", "Requirement")
    Procedure = apps.get_model("portal", "Procedure")
    for order, item in enumerate(REQUIREMENTS, start=1):
        Requirement.objects.update_or_create(code=item["code"], defaults={**item, "order": order * 10})
    for order, item in enumerate(PROCEDURES, start=1):
        Procedure.objects.update_or_create(code=item["code"], defaults={**item, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
