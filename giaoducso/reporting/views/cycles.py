"""The yearly IT plan cycle: start it in one action, follow and score the schools, the city summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit, pdf
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped
from giaoducso.core.views.decorators import require_perm

from ..models import PlanCycle
from ..services.cycles import cycle_docx, cycle_summary, default_dates, plan_cycle_create
from .common import acting_unit_or_404, day_from, errors_of

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year_now() -> str:
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    return f"{first}-{first + 1}"


@login_required
@require_perm(Perm.MANAGE_REPORTS)
def cycle_list(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    year = request.POST.get("year_name", "") or _year_now()
    if request.method == "POST":
        owner = acting_unit_or_404(request, Perm.MANAGE_REPORTS)
        try:
            given = [
                request.POST.get(n, "").strip() for n in ("plan_deadline", "mid_deadline", "end_deadline")
            ]
            deadlines = None
            if any(given):
                defaults = default_dates(year)
                deadlines = tuple(
                    day_from(text, name) if text else default
                    for text, name, default in zip(
                        given, ("plan_deadline", "mid_deadline", "end_deadline"), defaults, strict=True
                    )
                )
            cycle = plan_cycle_create(actor=request.user, owner=owner, year_name=year, deadlines=deadlines)  # type: ignore[arg-type]
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(
                request, _("Đã tạo ba đợt báo cáo của kế hoạch CNTT năm học %(y)s.") % {"y": cycle.year_name}
            )
            return redirect("reporting:cycle_detail", pk=cycle.pk)
    try:
        defaults = default_dates(year)
    except ValidationError:
        defaults = default_dates(_year_now())
    context = {
        "cycles": scoped(PlanCycle.objects.select_related("owner"), request.user, Perm.MANAGE_REPORTS),
        "errors": errors,
        "year": year,
        "defaults": defaults,
    }
    return render(request, "reporting/cycle_list.html", context, status=422 if errors else 200)


def _cycle(request: HttpRequest, pk: int) -> PlanCycle:
    return get_scoped_or_404(
        PlanCycle.objects.select_related("owner", "plan", "mid_year", "year_end"),
        request.user,
        Perm.VIEW_REPORTS,
        pk=pk,
    )


@login_required
@require_perm(Perm.VIEW_REPORTS)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reporting/cycle_detail.html", cycle_summary(_cycle(request, pk)))


@login_required
@require_perm(Perm.VIEW_REPORTS)
def cycle_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    summary = cycle_summary(_cycle(request, pk))
    content = pdf.render_pdf("reporting/cycle_pdf.html", {**summary, "today": timezone.localdate()})
    audit.record_export(
        actor=request.user,
        what="reporting.plancycle",
        unit=summary["cycle"].owner,
        rows=len(summary["lines"]),
        fmt="pdf",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-cntt-{summary["cycle"].year_name}.pdf"'
    return response


@login_required
@require_perm(Perm.VIEW_REPORTS)
def cycle_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    summary = cycle_summary(_cycle(request, pk))
    audit.record_export(
        actor=request.user,
        what="reporting.plancycle",
        unit=summary["cycle"].owner,
        rows=len(summary["lines"]),
        fmt="docx",
    )
    response = HttpResponse(cycle_docx(summary), content_type=DOCX_MIME)
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-cntt-{summary["cycle"].year_name}.docx"'
    )
    return response
