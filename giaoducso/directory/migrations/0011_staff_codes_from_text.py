"""Staff position, qualification and employment kind become codes of the lists in rules/codelists.

One UPDATE per distinct value; a value no entry matches is left as it was (the quality board lists it).
"""

from django.db import migrations

from rules import codelists

COLUMNS = {
    "position": codelists.staff_positions,
    "qualification": codelists.qualifications,
    "employment_type": codelists.employment_kinds,
}


def forwards(apps, schema_editor):
    Staff = apps.get_model("directory", "Staff")
    for column, codes in COLUMNS.items():
        values = Staff.objects.exclude(**{column: ""}).values_list(column, flat=True).distinct().order_by()
        for value in list(values):
            code = codes().lookup(value)
            if code is not None and code != value:
                Staff.objects.filter(**{column: value}).update(**{column: code})


def backwards(apps, schema_editor):
    Staff = apps.get_model("directory", "Staff")
    for column, codes in COLUMNS.items():
        for code, name in codes().entries:
            Staff.objects.filter(**{column: code}).update(**{column: name})


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_student_codes_from_text")]

    operations = [migrations.RunPython(forwards, backwards)]
