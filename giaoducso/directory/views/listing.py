"""What every list screen of the directory shares: pages that keep their filters, audited exports."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from giaoducso.core import exports
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped

from ..exports import audit_unit


def export_url(request: HttpRequest, url: str) -> str:
    """The export link beside a list, carrying the list's filters; empty when the user may not export."""
    if not has_perm(request.user, Perm.EXPORT_DATA):
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    return f"{url}?{params.urlencode()}" if params else url


@dataclass(frozen=True)
class ListRequest:
    """The two things a list's filters read from a request, so that a worker can rebuild the same list."""

    user: Any
    params: dict[str, str]

    @property
    def GET(self) -> QueryDict:
        query = QueryDict(mutable=True)
        query.update(self.params)
        return query


def exportable(rows: Any, user: Any) -> Any:
    """What a list's export holds: the rows its screen shows this user (the list's own permission, which
    the builder applied) that the user may also export. One place, so no export reaches further than its
    list: a role exporting somewhere but not seeing staff gets no staff."""
    return scoped(rows, user, Perm.EXPORT_DATA)


def table(
    request: ListRequest,
    *,
    title: str,
    what: str,
    filename: str,
    columns: list[exports.Column],
    rows: Any,
    school_code: str = "",
) -> exports.Table:
    return exports.Table(
        what=what,
        title=title,
        filename=filename,
        columns=columns,
        rows=exportable(rows, request.user),
        unit=audit_unit(request.user, school_code),
    )


def export_table(request: HttpRequest, key: str, *, view_perm: str) -> HttpResponse:
    """A registered table (directory/exports.py): the file now when small, else a job with a progress bar.
    Only for who may both see the list (`view_perm`) and export; anyone else gets 404, as for no page."""
    if not (has_perm(request.user, Perm.EXPORT_DATA) and has_perm(request.user, view_perm)):
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
