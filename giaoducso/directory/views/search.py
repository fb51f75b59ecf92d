from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import exports
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm

from .. import search, selectors
from ..exports import audit_unit
from ..models import Student
from .listing import export_table, exportable

SEARCH_TABLE = "directory.search"

MAX_QUERY_LENGTH = 100


def _query(request: HttpRequest) -> tuple[str, search.SearchQuery]:
    raw = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    return raw, search.parse_query(raw)


def _hint(query: search.SearchQuery) -> str:
    if query.kind == "too_short":
        return _("Hãy gõ ít nhất %(n)d ký tự của tên.") % {"n": search.MIN_NAME_LENGTH}
    if query.kind == "bad_number":
        return _("Số định danh cá nhân gồm đúng 12 chữ số; mã học sinh của Bộ gồm đúng 10 chữ số.")
    return ""


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    can_students = has_perm(request.user, Perm.VIEW_STUDENT)
    can_staff = has_perm(request.user, Perm.VIEW_STAFF)
    if not (can_students or can_staff):
        raise Http404
    raw, query = _query(request)
    students = search.search_students(user=request.user, query=query, limit=search.RESULT_LIMIT + 1)
    staff = search.search_staff(user=request.user, query=query, limit=search.RESULT_LIMIT + 1)
    context = {
        "q": raw,
        "query": query,
        "hint": _hint(query),
        "students": students[: search.RESULT_LIMIT],
        "students_more": len(students) > search.RESULT_LIMIT,
        "staff": staff[: search.RESULT_LIMIT],
        "staff_more": len(staff) > search.RESULT_LIMIT,
        "can_students": can_students,
        "can_staff": can_staff,
        "can_export": can_students and has_perm(request.user, Perm.EXPORT_DATA),
        # The transfer form itself checks the student's school; this only hides a link that would 404.
        "can_transfer": has_perm(request.user, Perm.CHANGE_STUDENT),
        "limit": search.RESULT_LIMIT,
    }
    status = 400 if query.kind == "bad_number" else 200
    template = "directory/search_results.html" if request.htmx else "directory/search.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _class_name(student: Student) -> str:
    return student.current_class.name if student.current_class else ""


STUDENT_COLUMNS: list[exports.Column] = [
    (gettext_lazy("Mã trường"), lambda s: s.school.code),
    (gettext_lazy("Trường"), lambda s: s.school.name),
    (gettext_lazy("Lớp"), _class_name),
    (gettext_lazy("Họ và tên"), lambda s: s.full_name),
    (gettext_lazy("Ngày sinh"), lambda s: s.date_of_birth),
    (gettext_lazy("Giới tính"), lambda s: s.get_sex_display()),
    (gettext_lazy("Số định danh cá nhân"), selectors.guarded("personal_id", lambda s: s.personal_id)),
    (gettext_lazy("Mã học sinh (Bộ)"), lambda s: s.ministry_code),
    (gettext_lazy("Trạng thái"), lambda s: s.get_status_display()),
]


def search_table(user: Any, params: dict[str, str]) -> exports.Table:
    """The students the search page finds for `q`, every one of them (not the page's first 50)."""
    query = search.parse_query(params.get("q", "")[:MAX_QUERY_LENGTH])
    students = exportable(search.student_results_queryset(user=user, query=query), user)
    # Each row carries what this user may read of it (selectors.privacy); withheld cells stay empty.
    return exports.Table(
        what="directory.student",
        title=_("Kết quả tìm kiếm học sinh"),
        filename="tim-kiem-hoc-sinh",
        columns=STUDENT_COLUMNS,
        rows=selectors.with_visibility(students, user),
        unit=audit_unit(user),
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def search_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, SEARCH_TABLE, view_perm=Perm.VIEW_STUDENT)
