"""Drop the student search_name indexes that no query plan uses; each one slowed every student insert.

On PostgreSQL name search reads the trigram index (0002) and the byte-ordered ones (0003): after 200
searches over 300,000 students (bench/search_students.py) the plain btree on search_name, its
varchar_pattern_ops twin and (school, search_name) were never chosen over them (the pattern_ops one only
as an equal-cost alternative to dir_student_search_c in a BitmapOr). Dropping the three takes the
100,000-row import's INSERT into directory_student from 6.9 s to 5.2 s. SQLite never used them for LIKE
(its LIKE is case-insensitive, so a plain index cannot serve it).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_student_ministry_code_unique"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="student",
            name="dir_student_school_search",
        ),
        migrations.AlterField(
            model_name="student",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
    ]
