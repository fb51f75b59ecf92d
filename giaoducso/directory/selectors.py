"""Reads of the shared education database, always through scoping."""

from typing import Any

from django.db.models import Q, QuerySet

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped

from .models import Student


def student_list(*, user: Any, q: str = "", school_code: str = "") -> QuerySet[Student]:
    students = scoped(Student.objects.select_related("school"), user, Perm.VIEW_STUDENT)
    if school_code:
        students = students.filter(school__code=school_code)
    if q:
        students = students.filter(Q(full_name__icontains=q) | Q(personal_id=q) | Q(ministry_code=q))
    return students.order_by("school__code", "full_name", "id")


def student_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_STUDENT) -> Student:
    return get_scoped_or_404(
        Student.objects.select_related("school").prefetch_related("guardians"), user, perm, pk=pk
    )


# --- schools, years, classes, staff, facilities (the directory's own screens and API) --------------

from django.db.models import Count, OuterRef, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from giaoducso.core.models import Unit  # noqa: E402
from rules.text import fold  # noqa: E402

from .models import (  # noqa: E402
    Equipment,
    Room,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffAssignment,
)


def _count_of(model: Any, field: str, **filters: Any) -> Any:
    """A correlated COUNT per row: one query for the whole page instead of one per row."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def school_list(
    *,
    user: Any,
    q: str = "",
    level: str = "",
    ownership: str = "",
    ward: str = "",
    status: str = "",
    perm: str = Perm.VIEW_SCHOOL,
) -> QuerySet[School]:
    schools = scoped(School.objects.select_related("unit", "ward"), user, perm)
    if level:
        schools = schools.filter(level=level)
    if ownership:
        schools = schools.filter(ownership=ownership)
    if status:
        schools = schools.filter(status=status)
    if ward:
        schools = schools.filter(
            Q(ward__code=ward) | Q(ward__name__icontains=ward) | Q(ward_name__icontains=ward)
        )
    if q:
        schools = schools.filter(Q(unit__name__icontains=q) | Q(unit__code__iexact=q))
    return schools.order_by("unit__code")


def school_get(*, user: Any, code: str, perm: str = Perm.VIEW_SCHOOL) -> School:
    return get_scoped_or_404(School.objects.select_related("unit", "ward"), user, perm, unit__code=code)


def school_unit_get(*, user: Any, code: str, perm: str) -> Unit:
    """A school's unit the user holds `perm` on (for creating things in it), or 404."""
    return get_scoped_or_404(Unit.objects.all(), user, perm, code=code, kind="school")


def school_counts(*, school: School) -> dict[str, int]:
    year = SchoolYear.objects.filter(is_current=True).first()
    classes = SchoolClass.objects.filter(school=school.unit)
    return {
        "classes": classes.filter(year=year).count() if year else 0,
        "students": Student.objects.filter(
            school=school.unit, status__in=("studying", "transferred_in", "returned")
        ).count(),
        "staff": StaffAssignment.objects.filter(school=school.unit).count(),
        "rooms": Room.objects.filter(school=school.unit).count(),
        "equipment": Equipment.objects.filter(school=school.unit).count(),
    }


def year_list() -> QuerySet[SchoolYear]:
    # The calendar is the same for every school and names no person: no scoping needed.
    return SchoolYear.objects.prefetch_related("terms").order_by("-start_date")


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


def staff_list(
    *,
    user: Any,
    school_code: str = "",
    q: str = "",
    position: str = "",
    status: str = "",
    perm: str = Perm.VIEW_STAFF,
) -> QuerySet[Staff]:
    staff = scoped(Staff.objects.select_related("school"), user, perm)
    if school_code:
        # Staff working at the school, whether it keeps their record or they teach there too.
        staff = staff.filter(
            Q(school__code=school_code) | Q(assignments__school__code=school_code)
        ).distinct()
    if position:
        staff = staff.filter(position__icontains=position)
    if status:
        staff = staff.filter(status=status)
    if q:
        staff = staff.filter(Q(search_name__contains=fold(q)) | Q(personal_id=q))
    return staff.order_by("school__code", "full_name", "id")


def staff_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_STAFF) -> Staff:
    return get_scoped_or_404(Staff.objects.select_related("school"), user, perm, pk=pk)


def room_list(
    *, user: Any, school_code: str = "", kind: str = "", condition: str = "", perm: str = Perm.VIEW_SCHOOL
) -> QuerySet[Room]:
    rooms = scoped(Room.objects.select_related("school"), user, perm).annotate(
        equipment_count=_count_of(Equipment, "room")
    )
    if school_code:
        rooms = rooms.filter(school__code=school_code)
    if kind:
        rooms = rooms.filter(kind=kind)
    if condition:
        rooms = rooms.filter(condition=condition)
    return rooms.order_by("school__code", "kind", "name")


def room_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_SCHOOL) -> Room:
    return get_scoped_or_404(Room.objects.select_related("school"), user, perm, pk=pk)


def equipment_list(
    *, user: Any, school_code: str = "", condition: str = "", q: str = "", perm: str = Perm.VIEW_SCHOOL
) -> QuerySet[Equipment]:
    items = scoped(Equipment.objects.select_related("school", "room"), user, perm)
    if school_code:
        items = items.filter(school__code=school_code)
    if condition:
        items = items.filter(condition=condition)
    if q:
        items = items.filter(name__icontains=q)
    return items.order_by("school__code", "name", "id")


def equipment_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_SCHOOL) -> Equipment:
    return get_scoped_or_404(Equipment.objects.select_related("school", "room"), user, perm, pk=pk)
