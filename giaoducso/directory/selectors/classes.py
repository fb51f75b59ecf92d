"""Reads of classes."""

from typing import Any

from django.db.models import QuerySet

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped

from ..models import SchoolClass, SchoolYear, Student
from .common import _count_of


def class_list(
    *,
    user: Any,
    school_code: str = "",
    year: SchoolYear | None = None,
    grade: int | None = None,
    q: str = "",
    perm: str = Perm.VIEW_SCHOOL,
) -> QuerySet[SchoolClass]:
    classes = scoped(
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher", "room"), user, perm
    ).annotate(student_count=_count_of(Student, "current_class"))
    if school_code:
        classes = classes.filter(school__code=school_code)
    if year is not None:
        classes = classes.filter(year=year)
    if grade is not None:
        classes = classes.filter(grade=grade)
    if q:
        classes = classes.filter(name__icontains=q)
    return classes.order_by("school__code", "-year__start_date", "grade", "name")


def class_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_SCHOOL) -> SchoolClass:
    return get_scoped_or_404(
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher", "room"), user, perm, pk=pk
    )
