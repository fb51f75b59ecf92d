"""The grade book's write path: who may write which cell, the circular's checks, the term lock and the
correction request that is the only way through it; every change audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import CorrectionStatus, Mark, Subject
from giaoducso.records.selectors import class_access, classes_for, grade_book
from giaoducso.records.services import Cell
from giaoducso.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(world):
    """Class 6/1 of school A: the homeroom teacher teaches Toán there, a subject teacher Ngữ văn."""
    directory = build_directory(world)
    homeroom = directory.teacher_a
    subject_teacher = StaffFactory(school=world.school_a, full_name="Lý Văn Văn")
    # Accounts are tied to staff records by the demo and the account screens, not by a staff service.
    Staff.objects.filter(pk=homeroom.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    Staff.objects.filter(pk=subject_teacher.pk).update(user=world.user(Role.TEACHER))
    principal = world.user(Role.PRINCIPAL)
    toan = Subject.objects.get(code="toan_thcs")
    van = Subject.objects.get(code="ngu_van")
    services.teaching_assign(actor=principal, school_class=directory.class_a, subject=toan, teacher=homeroom)
    services.teaching_assign(
        actor=principal, school_class=directory.class_a, subject=van, teacher=subject_teacher
    )
    return directory, toan, van


def cell(student, value="", *, term=1, kind="tx", index=1, **extra):
    return Cell(student_id=student.pk, term=term, kind=kind, index=index, value=value, **extra)


def test_the_programme_is_seeded():
    assert Subject.objects.get(code="toan_thcs").grades.get(grade=6).periods_per_year == 140
    assert services.regular_count(Subject.objects.get(code="toan_thcs"), 6) == 4
    assert services.regular_count(Subject.objects.get(code="gdcd"), 6) == 2
    assert services.regular_count(Subject.objects.get(code="cong_nghe"), 8) == 3


def test_a_teacher_writes_the_subject_they_teach_with_the_decimal_comma(world, book):
    directory, toan, van = book
    teacher = world.user(Role.TEACHER)
    mark = services.mark_set(
        actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "8,5")
    )
    assert mark.value == Decimal("8.5") and mark.updated_by == teacher
    line = AuditEntry.objects.get(object_type="records.mark", object_id=str(mark.pk))
    assert line.actor == teacher and line.changes["value"] == [None, "8.5"]
    with pytest.raises(PermissionDenied):
        services.mark_set(
            actor=teacher, school_class=directory.class_a, subject=toan, cell=cell(world.child, "7")
        )
    with pytest.raises(PermissionDenied):
        services.mark_set(
            actor=world.stranger, school_class=directory.class_a, subject=van, cell=cell(world.child, "7")
        )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10.5", "out_of_range"),
        ("8.25", "too_many_decimals"),
        ("tám", "not_a_number"),
        ("-1", "out_of_range"),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(world, book, value, code):
    directory, _toan, van = book
    teacher = world.user(Role.TEACHER)
    with pytest.raises(ValidationError) as error:
        services.marks_write(
            actor=teacher,
            school_class=directory.class_a,
            subject=van,
            cells=[cell(world.child, "9"), cell(world.other_student_a, value)],
        )
    assert error.value.error_dict["value"][0].code == code
    assert not Mark.objects.exists()  # all or nothing: the good cell was not written either


def test_the_cell_address_follows_the_subject(world, book):
    directory, _toan, van = book
    teacher = world.user(Role.TEACHER)
    write = lambda c: services.mark_set(actor=teacher, school_class=directory.class_a, subject=van, cell=c)  # noqa: E731
    write(cell(world.child, "7", index=4))  # Ngữ văn has 140 periods: 4 regular scores
    with pytest.raises(ValidationError) as error:
        write(cell(world.child, "7", index=5))
    assert error.value.error_dict["index"][0].code == "invalid_index"
    with pytest.raises(ValidationError):
        write(cell(world.child, "7", kind="gk", index=2))
    with pytest.raises(ValidationError):
        write(cell(world.child, "7", term=3))


def test_a_student_who_left_the_class_gets_no_mark(world, book):
    directory, _toan, van = book
    with pytest.raises(ValidationError) as error:
        services.mark_set(
            actor=world.user(Role.TEACHER),
            school_class=directory.class_a,
            subject=van,
            cell=cell(world.student_b, "8"),
        )
    assert error.value.error_dict["student"][0].code == "not_in_class"


def test_clearing_a_cell_deletes_it_and_is_audited(world, book):
    directory, _toan, van = book
    teacher = world.user(Role.TEACHER)
    services.mark_set(actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "6"))
    assert (
        services.mark_set(
            actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "")
        )
        is None
    )
    assert not Mark.objects.exists()
    assert AuditEntry.objects.filter(object_type="records.mark", action="delete").count() == 1


def test_a_locked_term_refuses_changes_until_the_principal_approves_a_correction(world, book):
    directory, _toan, van = book
    teacher, principal = world.user(Role.TEACHER), world.user(Role.PRINCIPAL)
    services.mark_set(actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "6"))
    with pytest.raises(PermissionDenied):
        services.term_lock(actor=teacher, school=world.school_a, year=directory.year, term=1)
    lock = services.term_lock(actor=principal, school=world.school_a, year=directory.year, term=1)
    with pytest.raises(ValidationError) as error:
        services.mark_set(
            actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "7")
        )
    assert error.value.code == "term_locked" and "Hiệu trưởng" in error.value.messages[0]
    # Term II is still open.
    services.mark_set(
        actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "7", term=2)
    )

    change = {"target": "mark", "subject": van.pk, "kind": "tx", "index": 1, "value": "7"}
    request = services.correction_request(
        actor=teacher,
        school_class=directory.class_a,
        student=world.child,
        term=1,
        change=change,
        reason="Nhập nhầm",
    )
    with pytest.raises(PermissionDenied):
        services.correction_decide(actor=teacher, request=request, approve=True)
    services.correction_decide(actor=principal, request=request, approve=True, note="Đồng ý")
    mark = Mark.objects.get(student=world.child, term=1)
    assert mark.value == Decimal("7")
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPROVED
    line = AuditEntry.objects.filter(object_type="records.mark", object_id=str(mark.pk)).latest("id")
    assert line.actor == principal and line.note == f"đề nghị sửa #{request.pk}"

    services.term_reopen(actor=principal, lock=lock, reason="Bổ sung điểm")
    services.mark_set(actor=teacher, school_class=directory.class_a, subject=van, cell=cell(world.child, "8"))


def test_a_whole_school_lock_holds_every_class(world, book):
    directory, toan, _van = book
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=2)
    with pytest.raises(ValidationError):
        services.mark_set(
            actor=world.user(Role.HOMEROOM_TEACHER),
            school_class=directory.class_a,
            subject=toan,
            cell=cell(world.child, "9", term=2),
        )


def test_who_reaches_the_class(world, book):
    directory, toan, van = book
    homeroom = class_access(world.user(Role.HOMEROOM_TEACHER), directory.class_a)
    assert homeroom.whole_class and homeroom.homeroom and homeroom.enters_subject(toan.pk)
    assert not homeroom.enters_subject(van.pk)
    subject = class_access(world.user(Role.TEACHER), directory.class_a)
    assert not subject.whole_class and subject.subjects == {van.pk}
    family = class_access(world.user(Role.PARENT), directory.class_a)
    assert family.students == {world.child.pk} and not family.may_enter
    assert class_access(world.user(Role.PRINCIPAL), directory.class_a).whole_class
    assert class_access(world.user(Role.DEPARTMENT_OFFICER), directory.class_a).whole_class
    assert class_access(world.stranger, directory.class_a) is None
    assert class_access(world.user(Role.SCHOOL_OFFICE), directory.class_a) is None
    assert class_access(world.user(Role.TEACHER), directory.class_a2) is None
    assert list(classes_for(world.user(Role.TEACHER))) == [directory.class_a]
    assert list(classes_for(world.user(Role.PARENT))) == [directory.class_a]
    assert set(classes_for(world.user(Role.PRINCIPAL))) == {directory.class_a, directory.class_a2}
    assert list(classes_for(world.stranger)) == []


def test_the_grade_book_derives_the_averages_of_the_worked_examples(world, book):
    directory, _toan, _van = book
    gdcd = Subject.objects.get(code="gdcd")  # 35 periods: 2 regular scores a term
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    services.teaching_assign(
        actor=world.user(Role.PRINCIPAL),
        school_class=directory.class_a,
        subject=gdcd,
        teacher=directory.teacher_a,
    )
    # Worked example 2 in term I: regular 6, 7; mid 5; end 6.5 → 6.1. Term II: 8 everywhere → 8.0.
    cells = [cell(world.child, "6"), cell(world.child, "7", index=2)]
    cells += [cell(world.child, "5", kind="gk"), cell(world.child, "6,5", kind="ck")]
    cells += [
        cell(world.child, "8", term=2, kind=k, index=i)
        for k, i in (("tx", 1), ("tx", 2), ("gk", 1), ("ck", 1))
    ]
    cells += [cell(world.other_student_a, "9")]
    services.marks_write(actor=homeroom, school_class=directory.class_a, subject=gdcd, cells=cells)
    book_ = grade_book(user=homeroom, school_class=directory.class_a, subject=gdcd)
    assert [c.label for c in book_.columns] == ["TX1", "TX2", "GK", "CK"] * 2
    rows = {r.student.pk: r for r in book_.rows}
    child = rows[world.child.pk]
    assert child.term_average == {1: Decimal("6.1"), 2: Decimal("8.0")}
    assert child.year_average == Decimal("7.4")  # (6.1 + 16.0) / 3 = 7.366… → 7.4
    assert rows[world.other_student_a.pk].term_average == {1: None, 2: None}
    assert book_.editable
    # The parent reads their child's row only; a subject teacher of another subject does not reach it.
    parent_book = grade_book(user=world.user(Role.PARENT), school_class=directory.class_a, subject=gdcd)
    assert [r.student.pk for r in parent_book.rows] == [world.child.pk] and not parent_book.editable
    with pytest.raises(Http404):
        grade_book(user=world.user(Role.TEACHER), school_class=directory.class_a, subject=gdcd)
