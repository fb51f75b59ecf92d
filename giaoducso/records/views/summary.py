"""A class's results for the homeroom teacher, the school's leaders and the department (a family sees their
child's row): every subject, learning and conduct per term and year, absences, promotion and awards."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass

from ..selectors.access import class_access_or_404
from ..selectors.summary import YEAR, ClassSummary, class_summary
from ..transcripts import may_print_class
from .gradebook import _shown


@login_required
@require_perm(Perm.VIEW_RECORDS)
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = get_object_or_404(SchoolClass.objects.select_related("school", "year"), pk=pk)
    result = class_summary(user=request.user, school_class=school_class)
    rows = rows_of(result)
    access = class_access_or_404(request.user, school_class)
    context = {
        "school_class": school_class,
        "subjects": result.subjects,
        "rows": rows,
        "access": access,
        "can_print": may_print_class(request.user, school_class),
    }
    return render(request, "records/summary.html", context)


def rows_of(result: ClassSummary) -> list[dict[str, Any]]:
    """Each student's results as the page and the XLSX export show them."""
    rows: list[dict[str, Any]] = []
    for r in result.results:
        subjects = []
        for subject in result.subjects:
            row = r.subjects.get(subject.pk)
            if row is None:
                subjects.append("")
            elif subject.kind == "scored":
                subjects.append(_shown(row.year_average))
            else:
                passed = row.term_passed.get(2)
                subjects.append("" if passed is None else ("Đ" if passed else "CĐ"))
        rows.append(
            {
                "student": r.student,
                "subjects": subjects,
                "learning": [
                    r.learning.get(t).label if r.learning.get(t) is not None else "" for t in (1, 2, YEAR)
                ],
                "conduct": [
                    r.conduct.get(t).label if r.conduct.get(t) is not None else "" for t in (1, 2, YEAR)
                ],
                "absences": r.absences,
                "outcome": r.outcome.label if r.outcome else "",
                "retests": ", ".join(r.retests),
                "award": r.award,
                "primary": r.primary_result.label if r.primary_result is not None else "",
            }
        )
    return rows
