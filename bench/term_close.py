"""Closing a term at district scale, on PostgreSQL.

Creates a throw-away database, builds a district of lower-secondary schools scaled to 30,000 students
(every subject of the 2018 programme in grades 6–9, every regular, mid-term and end-of-term assessment of
both terms filled: ≈3.7 million marks, written with COPY — setup is not timed), conduct for both terms and
some absences. Then times, in the same run:

- the records' own code: every term and year average, learning and conduct result, promotion, re-tests and
  award of every student of every class, through `selectors.term_close.results_for_classes` — the averages
  from one SQL aggregation (`selectors/averages.py`), then the very `conclude_secondary` (the rules above
  the averages) that the class summary page runs;
- the floor: one SQL aggregation of the same term averages (ΣTX + 2·GK + 3·CK) / (nTX + 5), fetched.

Prints both in seconds and their ratio, and checks that both computed the same term averages.
Target: the records' code ≤ 10 s and ≤ 3 × the SQL aggregation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giaoducso_bench_term_close python bench/term_close.py
    options: --students N --schools N --seed S --keep (do not drop the database at the end)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import drop_database, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench_term_close"
CLASS_SIZE = 45
TARGET_SECONDS = 10.0
TARGET_RATIO = 3.0

FLOOR_SQL = """
SELECT m.student_id, m.subject_id, m.term,
       ROUND((COALESCE(SUM(m.value) FILTER (WHERE m.kind = 'tx'), 0)
              + 2 * SUM(m.value) FILTER (WHERE m.kind = 'gk')
              + 3 * SUM(m.value) FILTER (WHERE m.kind = 'ck'))
             / (COUNT(*) FILTER (WHERE m.kind = 'tx') + 5), 1)
FROM records_mark m JOIN records_subject s ON s.id = m.subject_id
WHERE s.kind = 'scored'
GROUP BY m.student_id, m.subject_id, m.term
"""


def score(rng: random.Random, centre: float) -> str:
    """A score with one decimal around the student's level, as text for COPY."""
    value = min(10.0, max(0.0, rng.gauss(centre, 1.3)))
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def seed(n_students: int, n_schools: int, rng: random.Random) -> list[object]:
    """The district; returns its classes. Marks, conduct and absences go in with COPY."""
    from django.db import connection
    from django.utils import timezone

    from giaoducso.core import services as core_services
    from giaoducso.core.models import UnitKind
    from giaoducso.directory.models import SchoolClass, SchoolYear, Sex, Student
    from giaoducso.records.models import GradeSubject, SubjectKind
    from giaoducso.records.services.marks import regular_for
    from rules.identifiers import make_personal_id
    from rules.text import fold

    started = time.perf_counter()
    province = core_services.unit_create(
        actor=None, kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT", parent=None
    )
    department = core_services.unit_create(
        actor=None, kind=UnitKind.DISTRICT_DEPARTMENT, code="PGD", name="Phòng GD&ĐT", parent=province
    )
    schools = [
        core_services.unit_create(
            actor=None, kind=UnitKind.SCHOOL, code=f"THCS{i:03d}", name=f"Trường THCS {i}", parent=department
        )
        for i in range(n_schools)
    ]
    year = SchoolYear.objects.create(
        unit=province,
        name="2026-2027",
        start_date=dt.date(2026, 9, 5),
        end_date=dt.date(2027, 5, 31),
        is_current=True,
    )
    n_classes = -(-n_students // CLASS_SIZE)
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(
            school=schools[i % n_schools],
            year=year,
            grade=6 + (i // n_schools) % 4,
            name=f"{6 + (i // n_schools) % 4}/{i // (4 * n_schools) + 1}",
        )
        for i in range(n_classes)
    )
    students: list[Student] = []
    for i in range(n_students):
        school_class = classes[i // CLASS_SIZE]
        sex = Sex.FEMALE if i % 2 else Sex.MALE
        birth = 2020 - school_class.grade
        name = f"Học Sinh {i:05d}"
        students.append(
            Student(
                school=school_class.school,
                personal_id=make_personal_id("079", sex, birth, i),
                full_name=name,
                search_name=fold(name),
                date_of_birth=dt.date(birth, 1 + i % 12, 1 + i % 28),
                sex=sex,
                current_class=school_class,
            )
        )
    students = Student.objects.bulk_create(students, batch_size=5000)
    subjects: dict[int, list[tuple[int, str, int]]] = {}
    for gs in GradeSubject.objects.filter(grade__in=range(6, 10)).select_related("subject"):
        subjects.setdefault(gs.grade, []).append(
            (gs.subject_id, gs.subject.kind, regular_for(gs.subject.kind, gs.periods_per_year))
        )
    now = timezone.now()
    marks = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        columns = "school_id, school_class_id, student_id, subject_id, term, kind, index, value, level, comment, updated_at"
        with raw.copy(f"COPY records_mark ({columns}) FROM STDIN") as copy:
            for n, student in enumerate(students):
                school_class = classes[n // CLASS_SIZE]
                centre = rng.uniform(4.5, 9.0)
                for subject_id, kind, regular in subjects[school_class.grade]:
                    for term in (1, 2):
                        address = [("tx", i) for i in range(1, regular + 1)] + [("gk", 1), ("ck", 1)]
                        for mark_kind, index in address:
                            if kind == SubjectKind.SCORED:
                                value, level = score(rng, centre), None
                            else:
                                value, level = None, 1 if rng.random() < 0.97 else 0
                            copy.write_row(
                                (
                                    school_class.school_id,
                                    school_class.pk,
                                    student.pk,
                                    subject_id,
                                    term,
                                    mark_kind,
                                    index,
                                    value,
                                    level,
                                    "",
                                    now,
                                )
                            )
                            marks += 1
        with raw.copy(
            "COPY records_conduct (school_id, school_class_id, student_id, term, level, comment, updated_at) "
            "FROM STDIN"
        ) as copy:
            for n, student in enumerate(students):
                school_class = classes[n // CLASS_SIZE]
                for term in (1, 2):
                    level = rng.choices((3, 2, 1, 0), weights=(70, 20, 8, 2))[0]
                    copy.write_row(
                        (school_class.school_id, school_class.pk, student.pk, term, level, "", now)
                    )
        with raw.copy(
            "COPY records_absence (school_id, school_class_id, student_id, date, session, excused, reason, "
            "updated_at) FROM STDIN"
        ) as copy:
            for n in range(0, len(students), 7):
                student, school_class = students[n], classes[n // CLASS_SIZE]
                days = rng.sample(range(1, 150), rng.choice((1, 3, 10, 50)))
                for day in days:
                    date = year.start_date + dt.timedelta(days=day)
                    copy.write_row(
                        (
                            school_class.school_id,
                            school_class.pk,
                            student.pk,
                            date,
                            "am",
                            day % 2 == 0,
                            "",
                            now,
                        )
                    )
        cursor.execute("ANALYZE")
    print(
        f"seeded {n_students:,} students in {len(classes)} classes of {n_schools} schools, "
        f"{marks:,} marks in {time.perf_counter() - started:.1f} s (not timed)"
    )
    return classes


def time_records(classes: list[object]) -> tuple[float, float, int]:
    """Seconds (wall, this process's CPU) to work out every class's results, and the students seen."""
    from giaoducso.directory.models import SchoolClass
    from giaoducso.records.selectors.term_close import results_for_classes

    # The classes as a job would read them: one query, inside the timing.
    started, cpu = time.perf_counter(), time.process_time()
    loaded = list(SchoolClass.objects.filter(pk__in=[c.pk for c in classes]).select_related("year"))
    students = sum(len(summary.results) for summary in results_for_classes(loaded))
    return time.perf_counter() - started, time.process_time() - cpu, students


def records_averages(classes: list[object]) -> dict[tuple[int, int, int], Decimal]:
    """The term averages the records' code gives (an untimed pass, to compare with SQL's)."""
    from giaoducso.directory.models import SchoolClass
    from giaoducso.records.selectors.term_close import results_for_classes

    loaded = list(SchoolClass.objects.filter(pk__in=[c.pk for c in classes]).select_related("year"))
    averages: dict[tuple[int, int, int], Decimal] = {}
    for summary in results_for_classes(loaded):
        for result in summary.results:
            for subject_id, row in result.subjects.items():
                for term, value in row.term_average.items():
                    if value is not None:
                        averages[(result.student.pk, subject_id, term)] = value
    return averages


def time_sql() -> tuple[float, dict[tuple[int, int, int], Decimal]]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    return elapsed, {(s, subject, term): value for s, subject, term, value in rows}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side; the best is kept")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="time again on a database left by --keep (no seeding)"
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 1
    try:
        if not args.reuse:
            recreate_database(url)
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); benchmark skipped.")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command

    try:
        if args.reuse:
            from giaoducso.directory.models import SchoolClass

            classes = list(SchoolClass.objects.all())
            print(f"reusing the district left by --keep: {len(classes)} classes")
        else:
            call_command("migrate", verbosity=0, interactive=False)
            classes = seed(args.students, args.schools, random.Random(args.seed))
        time_sql()  # warm-up: both sides then read the table from the cache
        records_best = records_cpu = sql_best = float("inf")
        students = 0
        for _run in range(args.runs):
            records_seconds, cpu_seconds, students = time_records(classes)
            sql_seconds, floor = time_sql()
            records_best, sql_best = min(records_best, records_seconds), min(sql_best, sql_seconds)
            records_cpu = min(records_cpu, cpu_seconds)
        averages = records_averages(classes)
        same = averages == floor
        ratio = records_best / sql_best
        print(
            f"records (results_for_classes, {students:,} students): {records_best:6.2f} s ({records_cpu:.2f} s CPU)"
        )
        print(f"SQL aggregation of the term averages (floor):        {sql_best:6.2f} s")
        print(f"ratio {ratio:.2f}; {len(averages):,} term averages, identical to SQL: {same}")
        ok = records_best <= TARGET_SECONDS and ratio <= TARGET_RATIO and same
        print("ok" if ok else f"OVER TARGET (≤ {TARGET_SECONDS:.0f} s and ratio ≤ {TARGET_RATIO:.0f})")
        return 0 if ok else 1
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
