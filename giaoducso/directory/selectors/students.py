"""Reads of students, always through scoping."""

from typing import Any

from django.db.models import Q, QuerySet

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped
from giaoducso.core.text_match import name_matches

from ..models import Student
from .privacy import RECORD, group_q


def student_list(*, user: Any, q: str = "", school_code: str = "") -> QuerySet[Student]:
    students = scoped(Student.objects.select_related("school"), user, Perm.VIEW_STUDENT)
    if school_code:
        students = students.filter(school__code=school_code)
    if q:
        by_id = Q(personal_id=q)
        # Only a record the user may read can be found by its identifier: a search must not confirm one.
        readable = group_q(user, RECORD)
        if readable is not None:
            by_id &= readable
        students = students.filter(name_matches(q) | by_id | Q(ministry_code=q))
    return students.order_by("school__code", "sort_key", "id")


def student_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_STUDENT) -> Student:
    return get_scoped_or_404(
        Student.objects.select_related("school").prefetch_related("guardians"), user, perm, pk=pk
    )


def children_of(*, user: Any) -> QuerySet[Student]:
    """The students a parent account is linked to as guardian, within the parent's scope."""
    # The relation, not the school: a parent who also teaches there sees here only their own children.
    return (
        scoped(Student.objects.filter(guardians__user=user), user, Perm.VIEW_STUDENT)
        .select_related("school", "current_class")
        .distinct()
        .order_by("sort_key", "id")
    )


def own_record(*, user: Any) -> Student | None:
    """The student record a student account stands for, if it is linked to one."""
    return (
        scoped(Student.objects.filter(user=user), user, Perm.VIEW_STUDENT)
        .select_related("school", "current_class")
        .first()
    )
