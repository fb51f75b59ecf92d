"""Campaigns: send a form to schools, the board, totals, the export of every answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.exports import xlsx_response
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import School, SchoolLevel

from .. import selectors, services
from ..exporting import answer_columns
from ..models import Campaign, CampaignKind
from .common import acting_unit_or_404, acting_units, day_from, errors_of

BAR_WIDTH = 300
STATE_LABELS = {
    "submitted": gettext_lazy("Đã nộp đúng hạn"),
    "late": gettext_lazy("Nộp muộn"),
    "missing": gettext_lazy("Chưa nộp"),
    "returned": gettext_lazy("Trả lại"),
    "draft": gettext_lazy("Đang nhập"),
}


@login_required
@require_perm(Perm.VIEW_REPORTS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(user=request.user)
    submissions = [
        s
        for s in selectors.submission_list(user=request.user)
        .select_related("campaign")
        .order_by("-campaign__deadline")[:200]
        if has_perm(request.user, Perm.SUBMIT_REPORTS, s.school)
    ]
    context = {
        "campaigns": campaigns[:200],
        "submissions": submissions,
        "can_manage": has_perm(request.user, Perm.MANAGE_REPORTS),
        "today": timezone.localdate(),
    }
    return render(request, "reporting/campaign_list.html", context)


def _schools_under(owner: Unit) -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.SCHOOL, path__startswith=owner.path).order_by("name"))


@login_required
@require_perm(Perm.MANAGE_REPORTS)
def campaign_new(request: HttpRequest) -> HttpResponse:
    owner = acting_unit_or_404(request, Perm.MANAGE_REPORTS)
    forms = selectors.form_list(user=request.user)
    schools = _schools_under(owner)
    levels = dict(School.objects.filter(unit__in=schools).values_list("unit_id", "level"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            form = (
                forms.filter(pk=post.get("form") or 0).first()
                if str(post.get("form", "")).isdigit()
                else None
            )
            if form is None:
                raise ValidationError({"form": _("Cần chọn biểu mẫu.")})
            level = post.get("level", "")
            picked = {str(v) for v in post.getlist("schools")}
            chosen = [
                s
                for s in schools
                if str(s.pk) in picked or (level and (level == "all" or levels.get(s.pk) == level))
            ]
            opens_on = day_from(post.get("opens_on", ""), "opens_on")
            deadline = day_from(post.get("deadline", ""), "deadline")
            campaign = services.campaign_create(
                actor=request.user,
                owner=owner,
                form=form,
                title=post.get("title", ""),
                opens_on=opens_on,
                deadline=deadline,
                schools=chosen,
                kind=post.get("kind", CampaignKind.GENERAL),
            )
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(
                request, _("Đã gửi đợt báo cáo tới %(n)s trường.") % {"n": campaign.submissions.count()}
            )
            return redirect("reporting:campaign_detail", pk=campaign.pk)
    context = {
        "owner": owner,
        "owners": acting_units(request.user, Perm.MANAGE_REPORTS),
        "forms": forms,
        "schools": schools,
        "levels": SchoolLevel.choices,
        "kinds": CampaignKind.choices,
        "errors": errors,
        "posted": request.POST,
        "picked": set(request.POST.getlist("schools")),
        "preset_form": request.GET.get("form", ""),
    }
    return render(request, "reporting/campaign_new.html", context, status=422 if errors else 200)


def chart(counts: dict[str, int], total: int) -> list[dict[str, Any]]:
    """The board's bars, sized on the server (an SVG with no script and no style attribute)."""
    bars = []
    for index, (state, label) in enumerate(STATE_LABELS.items()):
        n = counts.get(state, 0)
        bars.append(
            {
                "state": state,
                "label": label,
                "count": n,
                "width": round(BAR_WIDTH * n / total) if total else 0,
                "y": 10 + index * 30,
                "text_y": 25 + index * 30,
            }
        )
    return bars


@login_required
@require_perm(Perm.VIEW_REPORTS)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("owner", "version__form"), request.user, Perm.VIEW_REPORTS, pk=pk
    )
    submissions = selectors.submission_list(user=request.user, campaign=campaign)
    result = selectors.board(campaign, submissions)
    manages = has_perm(request.user, Perm.VIEW_REPORTS, campaign.owner)
    numbers, choices = selectors.totals(campaign) if manages else ([], [])
    context = {
        "campaign": campaign,
        "board": result,
        "bars": chart(result.counts, result.total),
        "state_labels": STATE_LABELS,
        "numbers": numbers,
        "choices": choices,
        "manages": manages,
        "chart_height": 20 + 30 * len(STATE_LABELS),
    }
    return render(request, "reporting/campaign_detail.html", context)


@login_required
@require_perm(Perm.VIEW_REPORTS)
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("owner", "version"), request.user, Perm.VIEW_REPORTS, pk=pk
    )
    rows = selectors.submission_list(user=request.user, campaign=campaign).order_by("school__code")
    return xlsx_response(
        actor=request.user,
        what="reporting.submission",
        filename=f"bao-cao-{campaign.pk}",
        columns=answer_columns(selectors.schema_for(campaign)),
        rows=rows,
        unit=campaign.owner,
    )
