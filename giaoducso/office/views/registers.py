"""The registers on screen, to Excel, and as the PDF printed and bound at the year's end."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from giaoducso.core import audit, exports, pdf
from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm

from .. import registers, selectors

MAX_SCREEN_ROWS = 500


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year") or ""
    this_year = timezone.localdate().year
    return int(text) if text.isdigit() and 2000 <= int(text) <= this_year + 1 else this_year


def _rows(request: HttpRequest, key: str, year: int) -> Any:
    if key == "outgoing":
        return registers.outgoing_rows(selectors.outgoing_for(request.user), year)
    rows = selectors.incoming_for(request.user)
    return registers.follow_up_rows(rows, year) if key == "follow_up" else registers.incoming_rows(rows, year)


@login_required
@require_perm(Perm.OFFICE_VIEW)
def register_index(request: HttpRequest) -> HttpResponse:
    return redirect("office:register_incoming")


@login_required
@require_perm(Perm.OFFICE_VIEW)
def register_outgoing(request: HttpRequest) -> HttpResponse:
    return _register(request, "outgoing")


@login_required
@require_perm(Perm.OFFICE_VIEW)
def register_incoming(request: HttpRequest) -> HttpResponse:
    return _register(request, "incoming")


@login_required
@require_perm(Perm.OFFICE_VIEW)
def follow_up(request: HttpRequest) -> HttpResponse:
    return _register(request, "follow_up")


def _register(request: HttpRequest, key: str) -> HttpResponse:
    found = registers.REGISTERS.get(key)
    if found is None:
        raise Http404
    year = _year(request)
    rows = _rows(request, key, year)
    fmt = request.GET.get("format")
    units = selectors.office_units(request.user)
    unit = units[0] if units else None
    filename = f"so-{key.replace('_', '-')}-{year}"
    if fmt == "xlsx":
        return exports.xlsx_response(
            actor=request.user,
            what=f"office.register_{key}",
            filename=filename,
            columns=found.columns,
            rows=rows.iterator(chunk_size=500) if key != "outgoing" else rows,
            unit=unit,
        )
    if fmt == "pdf":
        table = registers.table(found, rows)
        content = pdf.render_pdf(
            "office/register_pdf.html",
            {
                "register": found,
                "year": year,
                "rows": table,
                "unit": unit,
                "headers": [c[0] for c in found.columns],
            },
        )
        audit.record_export(
            actor=request.user, what=f"office.register_{key}", unit=unit, rows=len(table), fmt="pdf"
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    shown = list(rows[:MAX_SCREEN_ROWS])
    context = {
        "register": found,
        "key": key,
        "year": year,
        "headers": [c[0] for c in found.columns],
        "rows": registers.table(found, shown),
        "truncated": len(shown) == MAX_SCREEN_ROWS,
        "registers": registers.REGISTERS.values(),
    }
    return render(request, "office/register.html", context)
