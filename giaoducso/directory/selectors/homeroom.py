"""Reads of "Lớp của tôi": the classes of the current year whose homeroom teacher is the user.

A class is the user's when its `homeroom_teacher` is the user's Staff record (`Staff.user`) and the user
holds `Perm.HOMEROOM` (the homeroom-teacher role) on its school; the same "own class" as the privacy rule
(`privacy.Reach.OWN_CLASS`), so everything here shows the whole record of those pupils.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import scoped

from ..models import Guardian, SchoolClass, Student
from ..ordering import in_name_order
from .common import _count_of
from .privacy import with_visibility


def homeroom_classes(*, user: Any) -> QuerySet[SchoolClass]:
    if not getattr(user, "is_authenticated", False):
        return SchoolClass.objects.none()
    classes = SchoolClass.objects.filter(homeroom_teacher__user=user, year__is_current=True)
    return (
        scoped(classes, user, Perm.HOMEROOM)
        .select_related("school", "year", "homeroom_teacher", "room")
        .annotate(student_count=_count_of(Student, "current_class"))
        .order_by("school__code", "grade", "name")
    )


def class_students(*, school_class: SchoolClass) -> QuerySet[Student]:
    """The pupils of a class in name order (the caller has decided the user may see them)."""
    return in_name_order(Student.objects.filter(current_class=school_class).select_related("school"))


def homeroom_students(*, user: Any, class_id: Any = None) -> QuerySet[Student]:
    """The pupils of the user's classes (of one of them, given `class_id`), class by class in name order,
    with their guardians and what the user sees of each (the privacy rule: all of it, for their own class)."""
    classes = homeroom_classes(user=user)
    if class_id is not None:
        classes = classes.filter(pk=class_id)
    students = Student.objects.filter(current_class__in=classes.values("pk")).select_related(
        "school", "current_class"
    )
    students = students.prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.order_by("-is_primary", "id"))
    )
    return with_visibility(in_name_order(students, "current_class__grade", "current_class__name"), user)


def homeroom_guardian_get(*, user: Any, pk: Any, student_id: Any = None) -> Guardian:
    """A guardian of a pupil of one of the user's classes; 404 for anyone else's (as for none)."""
    classes = homeroom_classes(user=user).values("pk")
    guardians = Guardian.objects.select_related("student", "student__current_class", "school").filter(
        student__current_class__in=classes
    )
    if student_id is not None:
        guardians = guardians.filter(student_id=student_id)
    try:
        return guardians.get(pk=pk)
    except (Guardian.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
