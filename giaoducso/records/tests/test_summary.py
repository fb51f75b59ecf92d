"""A class's results: learning, conduct, promotion and awards derived from the marks."""

import pytest
from django.http import Http404

from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff, Student
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import GradeSubject, Subject, SubjectKind
from giaoducso.records.selectors.gradebook import columns_for
from giaoducso.records.selectors.summary import YEAR, StudentResult, class_summary, summarise_primary
from giaoducso.records.selectors.summary import Cell as Stored
from giaoducso.records.services import Cell
from rules.assessment_primary import YearResult
from rules.assessment_secondary import Level, Outcome

pytestmark = pytest.mark.django_db


def fill(actor, school_class, student, score_of):
    """Every cell of every subject of the class for `student`: `score_of(subject)` for scored subjects,
    Đạt for comment-only ones."""
    for gs in GradeSubject.objects.filter(grade=school_class.grade).select_related("subject"):
        subject = gs.subject
        cells = [
            Cell(student_id=student.pk, term=c.term, kind=c.kind, index=c.index, value=score_of(subject))
            if subject.kind == SubjectKind.SCORED
            else Cell(student_id=student.pk, term=c.term, kind=c.kind, index=c.index, level=1)
            for c in columns_for(subject, school_class.grade)
        ]
        services.marks_write(actor=actor, school_class=school_class, subject=subject, cells=cells)


@pytest.fixture
def setup(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    for gs in GradeSubject.objects.filter(grade=6).select_related("subject"):
        services.teaching_assign(
            actor=world.user(Role.PRINCIPAL),
            school_class=directory.class_a,
            subject=gs.subject,
            teacher=directory.teacher_a,
        )
    return directory


def test_results_promotion_and_awards(world, setup):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    cls = setup.class_a
    fill(homeroom, cls, world.child, lambda s: "8")
    for term in (1, 2):
        services.conduct_set(
            actor=homeroom, school_class=cls, student=world.child, term=term, level=Level.TOT
        )
    summary = class_summary(user=homeroom, school_class=cls)
    result = next(r for r in summary.results if r.student.pk == world.child.pk)
    assert result.learning == {1: Level.TOT, 2: Level.TOT, YEAR: Level.TOT}
    assert result.conduct[YEAR] == Level.TOT and result.outcome == Outcome.PROMOTED
    assert result.award == "Học sinh Giỏi"
    other = next(r for r in summary.results if r.student.pk == world.other_student_a.pk)
    assert other.learning[YEAR] is None and other.outcome is None  # nothing entered yet

    # Six scored subjects at 9 make it Xuất sắc; one at 3.0 makes it Đạt by the adjustment, with re-tests
    # only when learning is Chưa đạt.
    nine = {"ngu_van", "toan_thcs", "ngoai_ngu_1_thcs", "gdcd", "lich_su_dia_li", "khtn"}
    fill(homeroom, cls, world.child, lambda s: "9" if s.code in nine else "8")
    result = next(
        r for r in class_summary(user=homeroom, school_class=cls).results if r.student.pk == world.child.pk
    )
    assert result.award == "Học sinh Xuất sắc"
    fill(homeroom, cls, world.child, lambda s: "3" if s.code == "tin_hoc" else "9")
    result = next(
        r for r in class_summary(user=homeroom, school_class=cls).results if r.student.pk == world.child.pk
    )
    assert result.learning[YEAR] == Level.DAT and result.outcome == Outcome.PROMOTED and result.award == ""


def test_the_summary_is_for_those_who_see_the_whole_class(world, setup):
    assert len(class_summary(user=world.user(Role.PRINCIPAL), school_class=setup.class_a).results) == 2
    assert [
        r.student.pk for r in class_summary(user=world.user(Role.PARENT), school_class=setup.class_a).results
    ] == [world.child.pk]
    with pytest.raises(Http404):
        class_summary(user=world.stranger, school_class=setup.class_a)


def test_a_primary_year_has_no_result_until_every_subject_has_its_end_of_year_level():
    toan, tieng_viet = (
        Subject(pk=1, code="toan", kind="level"),
        Subject(pk=2, code="tieng_viet", kind="level"),
    )
    end = (2, "ck", 1)
    half = StudentResult(Student(pk=1))
    summarise_primary(half, [toan, tieng_viet], {toan.pk: {end: Stored(None, 2)}}, [2, 2])
    assert half.primary_result is None
    full = StudentResult(Student(pk=1))
    summarise_primary(
        full,
        [toan, tieng_viet],
        {toan.pk: {end: Stored(None, 2)}, tieng_viet.pk: {end: Stored(None, 1)}},
        [2, 2],
    )
    assert full.primary_result == YearResult.HOAN_THANH
