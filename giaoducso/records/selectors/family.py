"""What a family reads in the contact book: a parent's children, a student themself, and for one child the
scores as entered, the published results, attendance, the teachers' comments and the class's
announcements. Never a rank, a class average or another student: every read here is keyed on one student.

A parent reaches a child through a guardianship linked to their account and a PARENT membership on a unit
above the child's school; a student reaches themself through their own account and a STUDENT membership.
Anything else is not found (404), as everywhere in the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from giaoducso.core.roles import Perm, Role, role_allows
from giaoducso.core.scoping import memberships_for
from giaoducso.directory.models import SchoolClass, Student
from giaoducso.directory.ordering import in_name_order

from ..models import (
    Absence,
    Announcement,
    Conduct,
    ContactAttachment,
    GradeSubject,
    LeaveRequest,
    Mark,
    MarkKind,
    Message,
    ResultsPublication,
    Subject,
    SubjectKind,
    Term,
)
from ..services.marks import regular_for
from .gradebook import Row, columns_of, derive
from .summary import YEAR, class_summary

LEVEL_SHOWN = {SubjectKind.COMMENT: {1: "Đ", 0: "CĐ"}, SubjectKind.LEVEL: {2: "T", 1: "H", 0: "C"}}


def _family_q(user: Any, perm: str) -> Q:
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        if not role_allows(membership.role, perm):
            continue
        in_unit = Q(school__path__startswith=membership.unit.path)
        if membership.role == Role.PARENT:
            condition |= in_unit & Q(guardians__user=user)
        elif membership.role == Role.STUDENT:
            condition |= in_unit & Q(user=user)
    return condition


def children_for(user: Any, perm: str = Perm.VIEW_RECORDS) -> QuerySet[Student]:
    """The students whose contact book `user` opens: a parent's children, a student themself."""
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    students = Student.objects.filter(_family_q(user, perm)).distinct()
    return in_name_order(students.select_related("current_class", "current_class__year", "school"))


def child_or_404(user: Any, pk: int, perm: str = Perm.VIEW_RECORDS) -> Student:
    """One of `user`'s children (or themself); 404 for any other student and for a student with no class."""
    student = children_for(user, perm).filter(pk=pk).first()
    if student is None or student.current_class_id is None:
        raise Http404
    return student


def is_parent_of(user: Any, student: Student) -> bool:
    return children_for(user, Perm.CONTACT_BOOK).filter(pk=student.pk).exists()


# --- scores ----------------------------------------------------------------------------------------


@dataclass
class ShownCell:
    label: str
    text: str
    comment: str = ""


@dataclass
class SubjectScores:
    subject: Subject
    terms: dict[int, list[ShownCell]] = field(default_factory=dict)
    term_average: dict[int, Decimal | None] = field(default_factory=dict)
    year_average: Decimal | None = None
    term_passed: dict[int, bool | None] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    @property
    def term_rows(self) -> list[dict[str, Any]]:
        """Per term with something entered: its label, cells, the child's average or Đạt/Chưa đạt."""
        return [
            {
                "label": str(Term(term).label),
                "cells": self.terms[term],
                "average": self.term_average.get(term),
                "passed": self.term_passed.get(term),
            }
            for term in sorted(self.terms)
        ]


def _shown(subject: Subject, mark: Mark) -> str:
    if mark.value is not None and subject.kind != SubjectKind.COMMENT:
        text = f"{mark.value}".replace(".", ",")
        if mark.level is not None and subject.kind == SubjectKind.LEVEL:
            return f"{LEVEL_SHOWN[SubjectKind.LEVEL].get(mark.level, '')} ({text})"
        return text
    if mark.level is not None:
        return LEVEL_SHOWN.get(subject.kind, {}).get(mark.level, str(mark.level))  # type: ignore[call-overload]
    return ""


def child_scores(student: Student) -> list[SubjectScores]:
    """Every subject of the child's grade, with each score or level as entered, the child's own term and
    year averages (never the class's) and the teachers' comments. Two queries."""
    school_class = student.current_class
    assert school_class is not None
    grade_subjects = list(
        GradeSubject.objects.filter(grade=school_class.grade)
        .select_related("subject")
        .order_by("subject__order")
    )
    marks: dict[int, list[Mark]] = {}
    for mark in Mark.objects.filter(school_class=school_class, student=student).order_by(
        "term", "kind", "index"
    ):
        marks.setdefault(mark.subject_id, []).append(mark)
    order = {MarkKind.REGULAR: 0, MarkKind.MIDTERM: 1, MarkKind.FINAL: 2}
    result = []
    for gs in grade_subjects:
        subject = gs.subject
        row = Row(student)
        scores = SubjectScores(subject)
        for mark in sorted(marks.get(subject.pk, []), key=lambda m: (m.term, order[m.kind], m.index)):
            row.cells[(mark.term, mark.kind, mark.index)] = mark
            label = (
                f"TX{mark.index}"
                if mark.kind == MarkKind.REGULAR
                else ("GK" if mark.kind == MarkKind.MIDTERM else "CK")
            )
            text = _shown(subject, mark)
            if text:
                scores.terms.setdefault(mark.term, []).append(ShownCell(label, text, mark.comment))
            if mark.comment:
                scores.comments.append(mark.comment)
        derive(row, subject, columns_of(regular_for(subject.kind, gs.periods_per_year)))
        scores.term_average, scores.year_average = row.term_average, row.year_average
        scores.term_passed = row.term_passed
        result.append(scores)
    return result


# --- results (published terms only) ----------------------------------------------------------------


@dataclass
class ChildResults:
    published: list[int]
    learning: dict[int, Any]
    conduct: dict[int, Any]
    conduct_comments: dict[int, str]
    outcome: Any = None
    retests: list[str] = field(default_factory=list)
    award: str = ""
    primary_result: Any = None

    @property
    def term_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "label": str(Term(term).label),
                "learning": self.learning.get(term),
                "conduct": self.conduct.get(term),
                "note": self.conduct_comments.get(term, ""),
            }
            for term in self.published
        ]


def published_terms(school_class: SchoolClass) -> list[int]:
    return sorted(ResultsPublication.objects.filter(school_class=school_class).values_list("term", flat=True))


def child_results(user: Any, student: Student) -> ChildResults:
    """The child's own learning and conduct results of the terms the school has published, and the year's
    outcome once term II is published. Read through the class summary, which gives a family their child's
    row only."""
    school_class = student.current_class
    assert school_class is not None
    published = published_terms(school_class)
    comments = dict(
        Conduct.objects.filter(school_class=school_class, student=student).values_list("term", "comment")
    )
    results = ChildResults(published, {}, {}, {t: c for t, c in comments.items() if t in published})
    if not published:
        return results
    summary = class_summary(user=user, school_class=school_class)
    mine = next((r for r in summary.results if r.student.pk == student.pk), None)
    if mine is None:
        return results
    for term in published:
        results.learning[term] = mine.learning.get(term)
        results.conduct[term] = mine.conduct.get(term)
    if 2 in published:
        results.learning[YEAR] = mine.learning.get(YEAR)
        results.conduct[YEAR] = mine.conduct.get(YEAR)
        results.outcome, results.retests, results.award = mine.outcome, mine.retests, mine.award
        results.primary_result = mine.primary_result
    return results


# --- attendance, announcements, messages, leave ----------------------------------------------------


def child_absences(student: Student) -> QuerySet[Absence]:
    school_class = student.current_class
    assert school_class is not None
    year = school_class.year
    return Absence.objects.filter(student=student, date__range=(year.start_date, year.end_date)).order_by(
        "-date", "session"
    )


def class_announcements(school_class: SchoolClass) -> QuerySet[Announcement]:
    return Announcement.objects.filter(school_class=school_class).select_related("author")


def thread(student: Student) -> QuerySet[Message]:
    return Message.objects.filter(student=student).select_related("sender").prefetch_related("attachments")


def attachment_or_404(user: Any, pk: int) -> ContactAttachment:
    """A message's or leave request's file, for the parents of its student and their homeroom teacher (the
    screen and the API decide it here, once); 404 for anyone else."""
    from ..services.family import is_homeroom_of

    attachment = (
        ContactAttachment.objects.select_related(
            "message__student__current_class__school", "leave_request__student__current_class__school"
        )
        .filter(pk=pk)
        .first()
    )
    owner = (attachment.message or attachment.leave_request) if attachment is not None else None
    student = owner.student if owner is not None else None
    if student is None or attachment is None:
        raise Http404
    if is_parent_of(user, student):
        return attachment
    school_class = student.current_class
    if school_class is not None and is_homeroom_of(user, school_class):
        return attachment
    raise Http404


def child_leave_requests(student: Student) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(student=student).select_related("requested_by", "decided_by")


def class_students(school_class: SchoolClass) -> QuerySet[Student]:
    from ..services.marks import IN_CLASS_STATUSES

    return in_name_order(Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES))
