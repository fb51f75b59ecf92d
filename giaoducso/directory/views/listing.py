"""What every list screen of the directory shares: pages that keep their filters, audited exports."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from giaoducso.core import exports
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, memberships_for


def export_url(request: HttpRequest, url: str) -> str:
    """The export link beside a list, carrying the list's filters; empty when the user may not export."""
    if not has_perm(request.user, Perm.EXPORT_DATA):
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    return f"{url}?{params.urlencode()}" if params else url


def audit_unit(request: HttpRequest, school_code: str = "") -> Unit | None:
    """The unit an export is logged under: the school filtered on, else the user's own unit."""
    if school_code:
        unit = Unit.objects.filter(code=school_code).first()
        if unit is not None:
            return unit
    memberships = memberships_for(request.user)
    return memberships[0].unit if memberships else None


def export(
    request: HttpRequest,
    *,
    what: str,
    filename: str,
    columns: list[exports.Column],
    rows: Any,
    school_code: str = "",
) -> HttpResponse:
    if not has_perm(request.user, Perm.EXPORT_DATA):
        raise Http404
    return exports.xlsx_response(
        actor=request.user,
        what=what,
        filename=filename,
        columns=columns,
        rows=rows[: exports.SYNC_EXPORT_LIMIT],
        unit=audit_unit(request, school_code),
    )


def export_table(request: HttpRequest, key: str) -> HttpResponse:
    """A registered table (directory/exports.py): the file now when small, else a job with a progress bar."""
    if not has_perm(request.user, Perm.EXPORT_DATA):
        raise Http404
    params = request.GET.dict()
    fmt = params.pop("format", "xlsx")
    result = exports.table_export(actor=request.user, key=key, params=params, fmt=fmt)
    if isinstance(result, HttpResponse):
        return result
    messages.info(request, _("Danh sách lớn được xuất trong nền; tải tệp ở đây khi xong."))
    return redirect("core:job_detail", pk=result.pk)


def yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")
