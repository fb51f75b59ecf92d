"""Free-text ethnicity, nationality and place of birth become codes of the lists in rules/codelists.

Values are grouped (a city has a few dozen distinct spellings), so this is one UPDATE per distinct value,
not per student. A value no list entry matches is left as it was: the quality board lists it to fix.
The lists are read from rules/codelists as they are now; a later edit of a list does not re-run this.
"""

from django.db import migrations

from rules import codelists


def _map_column(Student, column, codes):
    values = Student.objects.exclude(**{column: ""}).values_list(column, flat=True).distinct().order_by()
    for value in list(values):
        code = codes.lookup(value)
        if code is not None and code != value:
            Student.objects.filter(**{column: value}).update(**{column: code})


def forwards(apps, schema_editor):
    Student = apps.get_model("directory", "Student")
    _map_column(Student, "ethnicity", codelists.ethnic_groups())
    _map_column(Student, "nationality", codelists.nationalities())
    # The province of a free-text place of birth ("TP. Hồ Chí Minh", "Long An") when it names one.
    provinces = codelists.provinces()
    places = (
        Student.objects.filter(birth_province="")
        .exclude(place_of_birth="")
        .values_list("place_of_birth", flat=True)
        .distinct()
        .order_by()
    )
    for place in list(places):
        code = provinces.lookup(place)
        if code is not None:
            Student.objects.filter(birth_province="", place_of_birth=place).update(birth_province=code)


def backwards(apps, schema_editor):
    Student = apps.get_model("directory", "Student")
    for column, codes in (("ethnicity", codelists.ethnic_groups()), ("nationality", codelists.nationalities())):
        for code, name in codes.entries:
            Student.objects.filter(**{column: code}).update(**{column: name})


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_student_ministry_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
