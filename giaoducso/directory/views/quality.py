"""Data quality screens: a school's score and problems to fix; a department's board of its schools."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from giaoducso.core.exports import xlsx_response
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, memberships_for, scoped
from giaoducso.core.views.decorators import require_perm

from .. import quality


def _schools_for(request: HttpRequest, perm: str) -> list[Unit]:
    return quality.school_units(scoped(Unit.objects.all(), request.user, perm))


def _board_root(request: HttpRequest) -> Unit | None:
    """The unit the board is about: the highest unit among the memberships that count."""
    units = [m.unit for m in memberships_for(request.user) if m.unit.kind != UnitKind.SCHOOL]
    return min(units, key=lambda u: u.depth) if units else None


@login_required
@require_perm(Perm.VIEW_STUDENT)
@require_safe
def quality_home(request: HttpRequest) -> HttpResponse:
    schools = _schools_for(request, Perm.VIEW_STUDENT)
    root = _board_root(request)
    if root is None and len(schools) == 1:
        return quality_school(request, schools[0].code)
    if not schools and root is None:
        raise Http404
    rows = sorted(quality.school_quality(schools), key=lambda q: (-q.score, q.unit.name))
    total = quality.total_of(rows, root or schools[0])
    return render(
        request,
        "directory/quality_board.html",
        {
            "rows": rows,
            "total": total,
            "root": root,
            "kinds": [quality.KIND_LABELS[k] for k in quality.KINDS],
        },
    )


@login_required
@require_safe
def quality_school(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_scoped_or_404(
        Unit.objects.filter(kind=UnitKind.SCHOOL), request.user, Perm.VIEW_STUDENT, code=code
    )
    kind = request.GET.get("kind", "")
    if kind not in quality.KINDS:
        kind = ""
    problems = quality.school_problems(unit, kind=kind)
    if request.GET.get("format") == "xlsx":
        columns = [
            ("Loại vấn đề", lambda p: p.kind_label),
            ("Hồ sơ", lambda p: p.record),
            ("Trường cần sửa", lambda p: p.field),
            ("Mô tả", lambda p: p.message),
            ("Liên kết", lambda p: request.build_absolute_uri(p.url) if p.url else ""),
        ]
        return xlsx_response(
            actor=request.user,
            what="Vấn đề chất lượng dữ liệu",
            filename=f"chat-luong-du-lieu-{unit.code}",
            columns=columns,
            rows=problems,
            unit=unit,
        )
    [summary] = quality.school_quality([unit])
    page = page_of(request, list(problems))
    return render(
        request,
        "directory/quality_school.html",
        {
            "unit": unit,
            "summary": summary,
            "page": page,
            "kind": kind,
            "kinds": [(k, quality.KIND_LABELS[k], summary.problems.get(k, 0)) for k in quality.KINDS],
            "export_query": f"?format=xlsx&kind={kind}" if kind else "?format=xlsx",
        },
    )
