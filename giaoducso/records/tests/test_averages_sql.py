"""The bulk results on PostgreSQL take the term and year averages from one SQL aggregation; they must be the
very averages, results, promotions and awards that the rules give from the marks in Python — including the
half-up ties (8.25 → 8.3, 6.05 → 6.1) that a float or half-to-even rounding gets wrong."""

import random
from decimal import Decimal

import pytest
from django.db import connection

from giaoducso.core.roles import Role
from giaoducso.directory.tests.directory_fixtures import put_in_class
from giaoducso.records import services
from giaoducso.records.models import GradeSubject, Mark, Subject, SubjectKind
from giaoducso.records.selectors import averages, term_close
from giaoducso.records.selectors.gradebook import columns_for
from giaoducso.records.services import Cell
from giaoducso.testing.factories import StudentFactory
from rules import assessment_secondary as secondary
from rules.assessment_secondary import Level

from .records_fixtures import build_records
from .test_term_close import flat

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the SQL aggregation is PostgreSQL's (SQLite rounds floats)"
    ),
]

SYSTEM = "test"


def write(school_class, subject, student, values):
    """`values`: column key → text score (scored) or level (comment-only); a key left out stays empty."""
    cells = [
        Cell(student_id=student.pk, term=t, kind=k, index=i, value=v)
        if subject.kind == SubjectKind.SCORED
        else Cell(student_id=student.pk, term=t, kind=k, index=i, level=v)
        for (t, k, i), v in values.items()
    ]
    services.marks_write(actor=SYSTEM, school_class=school_class, subject=subject, cells=cells, system=True)


@pytest.fixture
def records(world):
    return build_records(world)


@pytest.fixture
def klass(records):
    # Ngữ văn with 52 periods takes 3 regular scores, so its term average divides by 8 and can end in
    # an exact x.x5 — with 2 or 4 regular scores (÷ 7, ÷ 9) a tie cannot happen.
    GradeSubject.objects.filter(grade=6, subject__code="ngu_van").update(periods_per_year=52)
    return records.directory.class_a


def both_paths(school_class, monkeypatch):
    sql = list(term_close.results_for_classes([school_class]))
    with monkeypatch.context() as patched:
        patched.setattr(averages, "supported", lambda: False)
        python = list(term_close.results_for_classes([school_class]))
    return sql[0], python[0]


def test_the_sql_averages_are_the_rules_averages(world, klass, monkeypatch):
    rng = random.Random(22)
    students = [world.child, world.other_student_a]
    for name in ("Lê Văn Ba", "Phạm Thị Bốn", "Võ Minh Năm", "Đỗ Thu Sáu"):
        student = StudentFactory(school=world.school_a, full_name=name)
        put_in_class(student, klass)
        students.append(student)
    subjects = [gs.subject for gs in GradeSubject.objects.filter(grade=6).select_related("subject")]
    ngu_van = Subject.objects.get(code="ngu_van")
    for n, student in enumerate(students):
        for subject in subjects:
            columns = columns_for(subject, 6)
            if subject.kind == SubjectKind.SCORED:
                values = {c.key: str(Decimal(rng.randint(20, 100)) / 10) for c in columns}
            else:
                values = {c.key: 1 if rng.random() < 0.9 else 0 for c in columns}
            if n == 1 and subject.code == "toan_thcs":
                values.pop((2, "tx", 2))  # term II incomplete: no term II nor year average
            if n == 2 and subject.code == "gdtc":
                values.pop((1, "gk", 1))  # a comment-only term incomplete
            write(klass, subject, student, values)
        for term in (1, 2):
            services.conduct_set(
                actor=world.user(Role.HOMEROOM_TEACHER),
                school_class=klass,
                student=student,
                term=term,
                level=Level(rng.choice((1, 2, 3, 3))),
            )
    # The ties: (8 + 8 + 8 + 2·7.5 + 3·9) / 8 = 8.25 → 8.3; (6 + 6 + 6.4 + 2·6 + 3·6) / 8 = 6.05 → 6.1;
    # year (8.3 + 2·6.1) / 3 = 6.8333… → 6.8.
    tie = {(1, "tx", 1): "8", (1, "tx", 2): "8", (1, "tx", 3): "8", (1, "gk", 1): "7,5", (1, "ck", 1): "9"}
    tie |= {(2, "tx", 1): "6", (2, "tx", 2): "6", (2, "tx", 3): "6,4", (2, "gk", 1): "6", (2, "ck", 1): "6"}
    write(klass, ngu_van, world.child, tie)
    # A regular score stored beyond the subject's count (as left by a change of periods) counts nowhere.
    Mark.objects.create(
        school=klass.school,
        school_class=klass,
        student=world.child,
        subject=ngu_van,
        term=1,
        kind="tx",
        index=4,
        value=Decimal("0.0"),
    )

    sql, python = both_paths(klass, monkeypatch)
    assert flat(sql) == flat(python)
    child = next(r for r in sql.results if r.student.pk == world.child.pk)
    row = child.subjects[ngu_van.pk]
    assert row.term_average == {1: Decimal("8.3"), 2: Decimal("6.1")} and row.year_average == Decimal("6.8")
    assert secondary.term_average([Decimal(8)] * 3, Decimal("7.5"), Decimal(9)) == Decimal("8.3")
    incomplete = next(r for r in sql.results if r.student.pk == students[1].pk)
    toan = Subject.objects.get(code="toan_thcs")
    assert (
        incomplete.subjects[toan.pk].term_average[2] is None
        and incomplete.subjects[toan.pk].year_average is None
    )
    gdtc = Subject.objects.get(code="gdtc")
    assert (
        next(r for r in sql.results if r.student.pk == students[2].pk).subjects[gdtc.pk].term_passed[1]
        is None
    )
    # Every student's every term average is the rules' own, from the marks.
    for result in sql.results:
        for subject in subjects:
            if subject.kind != SubjectKind.SCORED:
                continue
            for term in (1, 2):
                marks = {
                    (m.kind, m.index): m.value
                    for m in Mark.objects.filter(student=result.student, subject=subject, term=term)
                }
                expected = result.subjects[subject.pk].term_average[term]
                if expected is not None:
                    count = len([c for c in columns_for(subject, 6) if c.term == term and c.kind == "tx"])
                    regular = [marks[("tx", i)] for i in range(1, count + 1)]
                    assert expected == secondary.term_average(regular, marks[("gk", 1)], marks[("ck", 1)])
    assert any(r.outcome is not None for r in sql.results)


def test_classes_without_marks_and_a_primary_class_come_out_in_order(world, records, klass, monkeypatch):
    classes = [records.primary_class, klass, records.directory.class_a2, records.directory.class_b]
    write(klass, Subject.objects.get(code="gdcd"), world.child, {(1, "tx", 1): "7"})
    sql = list(term_close.results_for_classes(classes))
    assert [s.school_class.pk for s in sql] == sorted(c.pk for c in classes)
    with monkeypatch.context() as patched:
        patched.setattr(averages, "supported", lambda: False)
        python = list(term_close.results_for_classes(classes))
    assert [flat(s) for s in sql] == [flat(s) for s in python]
    assert len(next(s for s in sql if s.school_class.pk == records.primary_class.pk).results) == 2
