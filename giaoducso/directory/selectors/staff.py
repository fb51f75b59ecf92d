"""Reads of staff records."""

from typing import Any

from django.db.models import Q, QuerySet

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped
from giaoducso.core.text_match import name_matches
from rules import codelists

from ..models import Staff


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
        # A listed position (its code or name) matches exactly; other text matches older free text.
        code = codelists.staff_positions().lookup(position)
        staff = staff.filter(position=code) if code else staff.filter(position__icontains=position)
    if status:
        staff = staff.filter(status=status)
    if q:
        staff = staff.filter(name_matches(q) | Q(personal_id=q))
    return staff.order_by("school__code", "sort_key", "id")


def staff_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_STAFF) -> Staff:
    return get_scoped_or_404(Staff.objects.select_related("school"), user, perm, pk=pk)
