"""The bulk paths give the rows and audit lines the one-by-one services give, with the same checks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.records import services
from giaoducso.records.models import Absence, Conduct, Mark, Subject, TeachingAssignment
from giaoducso.records.services import AbsenceEntry, Cell
from giaoducso.records.services.bulk import (
    AbsenceRow,
    absences_bulk_add,
    conduct_bulk_set,
    marks_bulk_write,
    teaching_bulk_assign,
)

from .records_fixtures import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(world):
    return build_records(world)


MARK_FIELDS = (
    "school_id",
    "school_class_id",
    "student_id",
    "subject_id",
    "term",
    "kind",
    "index",
    "value",
    "level",
    "comment",
    "updated_by_id",
)
AUDIT_FIELDS = (
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_repr",
    "unit_id",
    "unit_path",
    "note",
)


def _rows(model, fields):
    return sorted(model.objects.order_by("pk").values_list(*fields))


def _audit(object_type):
    lines = AuditEntry.objects.filter(object_type=object_type).order_by("pk")
    # The ids of the rows differ between the two runs; the changes name them only as ids of what is equal.
    return sorted(
        (*line, tuple(sorted((k, tuple(v)) for k, v in changes.items() if k != "id")))
        for *line, changes in lines.values_list(*AUDIT_FIELDS, "changes")
    )


def _cells(world, rec):
    child, other = world.child.pk, world.other_student_a.pk
    return [
        Cell(child, 1, "tx", 1, value="8,5"),
        Cell(child, 1, "gk", 1, value="7"),
        Cell(other, 1, "tx", 2, value="6", comment="Cần cố gắng"),
        Cell(other, 2, "ck", 1, value=""),  # empty: nothing written
        Cell(child, 1, "tx", 1, value="9"),  # the same cell again: the last one wins
    ]


def test_marks_bulk_gives_the_rows_and_audit_of_marks_write(world, rec):
    teacher = world.user(Role.HOMEROOM_TEACHER)
    kwargs = {"actor": teacher, "school_class": rec.directory.class_a, "subject": rec.gdcd, "note": "nhập"}
    services.marks_write(cells=_cells(world, rec), **kwargs)
    one_by_one = (_rows(Mark, MARK_FIELDS), _audit("records.mark"))
    Mark.objects.all().delete()
    AuditEntry.objects.filter(object_type="records.mark").count()
    before = AuditEntry.objects.count()
    assert marks_bulk_write(cells=_cells(world, rec), **kwargs) == 5
    rows = _rows(Mark, MARK_FIELDS)
    lines = AuditEntry.objects.filter(object_type="records.mark").order_by("pk")[len(one_by_one[1]) :]
    assert rows == one_by_one[0]
    assert AuditEntry.objects.count() - before == len(one_by_one[1])
    bulk_audit = sorted(
        (*line, tuple(sorted((k, tuple(v)) for k, v in changes.items() if k != "id")))
        for *line, changes in lines.values_list(*AUDIT_FIELDS, "changes")
    )
    assert bulk_audit == one_by_one[1]
    assert all(line.object_id.isdigit() for line in lines)


def test_marks_bulk_checks_like_marks_write(world, rec):
    kwargs = {"school_class": rec.directory.class_a, "subject": rec.gdcd}
    with pytest.raises(ValidationError):
        marks_bulk_write(
            actor=world.user(Role.HOMEROOM_TEACHER),
            cells=[Cell(world.child.pk, 1, "tx", 1, value="10,5")],
            **kwargs,
        )
    with pytest.raises(ValidationError):  # a student of another class
        marks_bulk_write(
            actor=world.user(Role.HOMEROOM_TEACHER),
            cells=[Cell(rec.pupil.pk, 1, "tx", 1, value="5")],
            **kwargs,
        )
    with pytest.raises(PermissionDenied):  # a person is checked even when `system` is asked for
        marks_bulk_write(
            actor=world.user(Role.TEACHER),
            cells=[Cell(world.child.pk, 1, "tx", 1, value="5")],
            system=True,
            **kwargs,
        )
    services.term_lock(
        actor=world.user(Role.PRINCIPAL), school=world.school_a, year=rec.directory.year, term=1
    )
    with pytest.raises(ValidationError) as refused:  # the system too respects a locked term
        marks_bulk_write(
            actor="seed_demo", cells=[Cell(world.child.pk, 1, "tx", 1, value="5")], system=True, **kwargs
        )
    assert "khoá sổ" in str(refused.value)
    assert not Mark.objects.exists()


def test_conduct_bulk_gives_the_rows_and_audit_of_conduct_set(world, rec):
    teacher = world.user(Role.HOMEROOM_TEACHER)
    klass = rec.directory.class_a
    services.conduct_set(actor=teacher, school_class=klass, student=world.child, term=1, level=3)
    services.conduct_set(actor=teacher, school_class=klass, student=world.other_student_a, term=1, level=1)
    services.conduct_set(actor=teacher, school_class=klass, student=world.child, term=1, level=2)
    expected = (_rows(Conduct, ("student_id", "term", "level", "comment")), _audit("records.conduct"))
    Conduct.objects.all().delete()
    conduct_bulk_set(
        actor=teacher, school_class=klass, term=1, levels={world.child.pk: 3, world.other_student_a.pk: 1}
    )
    conduct_bulk_set(actor=teacher, school_class=klass, term=1, levels={world.child.pk: 2})
    assert _rows(Conduct, ("student_id", "term", "level", "comment")) == expected[0]
    assert _audit("records.conduct") == sorted(expected[1] * 2)
    with pytest.raises(PermissionDenied):
        conduct_bulk_set(
            actor=world.user(Role.TEACHER), school_class=klass, term=1, levels={world.child.pk: 2}
        )
    with pytest.raises(ValidationError):
        conduct_bulk_set(actor=teacher, school_class=klass, term=1, levels={world.child.pk: 7})


def test_absences_bulk_gives_the_rows_of_attendance_write(world, rec):
    teacher = world.user(Role.HOMEROOM_TEACHER)
    klass = rec.directory.class_a
    day = dt.date(2026, 10, 5)
    services.attendance_write(
        actor=teacher,
        school_class=klass,
        date=day,
        session="am",
        absent={world.child.pk: AbsenceEntry(True, "Ốm")},
    )
    fields = ("student_id", "date", "session", "excused", "reason")
    expected = (_rows(Absence, fields), _audit("records.absence"))
    Absence.objects.all().delete()
    added = absences_bulk_add(
        actor=teacher,
        school_class=klass,
        rows=[
            AbsenceRow(world.child.pk, day, "am", excused=True, reason="Ốm"),
            AbsenceRow(world.child.pk, day, "am"),
        ],
    )
    assert added == 1 and _rows(Absence, fields) == expected[0]
    assert _audit("records.absence") == sorted(expected[1] * 2)
    with pytest.raises(ValidationError):
        absences_bulk_add(
            actor=teacher, school_class=klass, rows=[AbsenceRow(world.child.pk, dt.date(2030, 1, 1), "am")]
        )


def test_teaching_bulk_assign(world, rec):
    toan = Subject.objects.get(code="toan_thcs")
    klass = rec.directory.class_a
    with pytest.raises(PermissionDenied):
        teaching_bulk_assign(
            actor=world.user(Role.TEACHER), assignments=[(klass, toan, rec.directory.teacher_a)]
        )
    with pytest.raises(ValidationError):  # a teacher of another school
        teaching_bulk_assign(
            actor=world.user(Role.PRINCIPAL), assignments=[(klass, toan, rec.directory.teacher_b)]
        )
    with pytest.raises(ValidationError):  # grade 6 learns no primary Toán
        teaching_bulk_assign(
            actor=world.user(Role.PRINCIPAL), assignments=[(klass, rec.toan_th, rec.directory.teacher_a)]
        )
    teaching_bulk_assign(
        actor=world.user(Role.PRINCIPAL),
        assignments=[(klass, toan, rec.directory.teacher_a), (klass, rec.gdcd, rec.directory.teacher_a)],
    )
    assert TeachingAssignment.objects.filter(school_class=klass).count() == 2
    assert (
        AuditEntry.objects.filter(object_type="records.teachingassignment", action="create").count() == 4
    )  # the fixture's three, and Toán
