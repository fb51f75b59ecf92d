"""The public pages (no account): apply with the child's identifier and date of birth, the receipt (also as
PDF), the result lookup, the confirmation and the schools' lists. Every POST is CSRF-protected and counted
against a rate limit per client (throttle.py); every refusal is a Vietnamese message and changes nothing.

What a family has proven in this browser (the child identified, the receipt, the looked-up result) is kept
in the session; nothing is ever shown for a code alone."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.pdf import render_pdf

from .. import lookup, selectors, services
from ..forms import ApplicationForm, IdentifyForm, LookupForm, attach
from ..models import Application, ApplicationStatus, Campaign, CampaignState
from ..services.campaigns import PARENT
from ..throttle import throttled

FACTS = "adm_facts"
CODES = "adm_codes"
RESULT = "adm_result"
MAX_CODES = 10


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.exclude(state=CampaignState.DRAFT).select_related("unit"), pk=pk
    )


PAGE = ("GET", "HEAD")


@require_safe
@throttled("page", methods=PAGE)
def public_index(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.public_campaigns()[:50])
    for campaign in campaigns:
        campaign.problem = services.window_problem(campaign)  # type: ignore[attr-defined]
    return render(request, "admissions/public/index.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])
@throttled("page", methods=PAGE)
@throttled("identify")
def apply_start(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(pk)
    closed = services.window_problem(campaign)
    form = IdentifyForm(request.POST or None)
    if request.method == "POST" and closed is None and form.is_valid():
        try:
            facts = services.applicant_identify(
                campaign=campaign,
                personal_id=form.cleaned_data["personal_id"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except ValidationError as error:
            attach(form, error)
        else:
            existing = Application.objects.filter(campaign=campaign, personal_id=facts.personal_id).first()
            if existing is not None and existing.date_of_birth == facts.date_of_birth:
                _remember(request, existing.code)
                return redirect("admissions:receipt", code=existing.code)
            request.session[FACTS] = {"campaign": campaign.pk, **facts.as_session()}
            return redirect("admissions:apply_form", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    if closed and request.method == "POST":
        status = 409
    return render(
        request,
        "admissions/public/apply_start.html",
        {"campaign": campaign, "form": form, "closed": closed},
        status=status,
    )


def _remember(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(CODES, []) if c != code]
    request.session[CODES] = [*codes, code][-MAX_CODES:]


def _wards(campaign: Campaign) -> list[tuple[str, str]]:
    wards = Unit.objects.filter(
        kind=UnitKind.WARD, path__startswith=campaign.unit.path[: campaign.unit.path.find("/") + 1]
    )
    return [(str(w.pk), w.name) for w in wards.order_by("name")[:500]]


@require_http_methods(["GET", "POST"])
@throttled("page", methods=PAGE)
@throttled("apply")
def apply_form(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(pk)
    data = request.session.get(FACTS)
    if not data or data.get("campaign") != campaign.pk:
        return redirect("admissions:apply_start", pk=campaign.pk)
    facts = services.ApplicantFacts.from_session({k: v for k, v in data.items() if k != "campaign"})
    wards = _wards(campaign)
    initial = {"address": facts.address, "ward": str(facts.ward_id or ""), "full_name": facts.full_name}
    form = ApplicationForm(
        request.POST or None, request.FILES or None, campaign=campaign, wards=wards, initial=initial
    )
    closed = services.window_problem(campaign)
    if request.method == "POST" and closed is None and form.is_valid():
        d = form.cleaned_data
        ward = Unit.objects.filter(pk=d["ward"], kind=UnitKind.WARD).first() if d.get("ward") else None
        try:
            application = services.application_submit(
                actor=PARENT,
                campaign=campaign,
                facts=facts,
                choices=[d.get(f"choice_{r}") for r in range(1, campaign.choices_allowed + 1)],
                address=d["address"],
                ward=ward,
                guardian_name=d["guardian_name"],
                guardian_phone=d["guardian_phone"],
                data_confirmed=d["data_confirmed"],
                full_name=d.get("full_name") or "",
                latitude=d.get("latitude"),
                longitude=d.get("longitude"),
                local_priority=d.get("local_priority") or "",
                correction={
                    "field": d.get("correction_field") or "",
                    "value": d.get("correction_value") or "",
                    "note": d.get("correction_note") or "",
                },
                proof=d.get("proof"),
            )
        except ValidationError as error:
            attach(form, error)
        else:
            request.session.pop(FACTS, None)
            _remember(request, application.code)
            return redirect("admissions:receipt", code=application.code)
    status = 200 if request.method == "GET" else (409 if closed else 400)
    return render(
        request,
        "admissions/public/apply_form.html",
        {"campaign": campaign, "facts": facts, "form": form, "closed": closed},
        status=status,
    )


def _own_application(request: HttpRequest, code: str) -> Application:
    """An application this browser filed or identified; anything else does not exist here."""
    if code not in request.session.get(CODES, []):
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("campaign", "school", "ward", "previous_school").prefetch_related(
            "choices__school", "corrections"
        ),
        code=code,
    )


@require_safe
@throttled("page", methods=PAGE)
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    application = _own_application(request, code)
    return render(request, "admissions/public/receipt.html", {"application": application})


@require_safe
@throttled("apply", methods=PAGE)
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    application = _own_application(request, code)
    pdf = render_pdf(
        "admissions/pdf/receipt.html", {"application": application, "printed_at": timezone.localtime()}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-nhan-{application.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _answer(code: str, day: Any, fresh: bool = False) -> dict[str, Any]:
    text = lookup.find_answer(code, day, fresh=fresh)
    answer: dict[str, Any] = json.loads(text) if text else lookup.not_found()
    return answer


@require_http_methods(["GET", "POST"])
@throttled("page", methods=PAGE)
@throttled("lookup")
def result(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    answer = None
    remembered = request.session.get(RESULT)
    if request.method == "POST":
        if form.is_valid():
            answer = _answer(form.cleaned_data["code"], form.cleaned_data["date_of_birth"])
            if answer.get("found"):
                request.session[RESULT] = {
                    "code": answer["code"],
                    "date_of_birth": form.cleaned_data["date_of_birth"].isoformat(),
                }
            else:
                request.session.pop(RESULT, None)
    elif remembered:
        answer = _answer(remembered["code"], lookup.parse_date(remembered["date_of_birth"]), fresh=True)
    may_confirm = bool(answer and answer.get("found") and answer.get("status") == ApplicationStatus.ASSIGNED)
    return render(
        request,
        "admissions/public/result.html",
        {"form": form, "answer": answer, "may_confirm": may_confirm},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@require_POST
@throttled("confirm")
def result_confirm(request: HttpRequest) -> HttpResponse:
    remembered = request.session.get(RESULT)
    if not remembered:
        return redirect("admissions:result")
    application = Application.objects.filter(code=remembered["code"]).select_related("campaign").first()
    day = lookup.parse_date(remembered.get("date_of_birth", ""))
    if application is None or application.date_of_birth != day:
        request.session.pop(RESULT, None)
        return redirect("admissions:result")
    try:
        services.application_confirm(actor=PARENT, application=application)
    except ValidationError as error:
        answer = _answer(application.code, day, fresh=True)
        return render(
            request,
            "admissions/public/result.html",
            {"form": LookupForm(), "answer": answer, "may_confirm": False, "error": " ".join(error.messages)},
            status=409,
        )
    return redirect("admissions:result")


@require_safe
@throttled("page", methods=PAGE)
def school_list(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A school's applicants, names masked and the year of birth only: who applied there first while the
    campaign takes applications, who was placed there once the results are published."""
    campaign = _campaign(pk)
    row = get_object_or_404(campaign.schools.select_related("school"), school__code=code)
    published = campaign.state in (CampaignState.PUBLISHED, CampaignState.CLOSED)
    if published:
        applications = Application.objects.filter(campaign=campaign, assigned_school=row.school).exclude(
            status=ApplicationStatus.RELEASED
        )
    else:
        applications = Application.objects.filter(campaign=campaign, school=row.school)
    from rules.admission_run import mask_name

    rows = [
        {
            "code": a.code[-4:],
            "name": mask_name(a.full_name),
            "year": a.date_of_birth.year,
            "status": a.get_status_display(),
            "rank": a.assigned_rank,
        }
        for a in applications.only("code", "full_name", "date_of_birth", "status", "assigned_rank").order_by(
            "code"
        )[:2000]
    ]
    return render(
        request,
        "admissions/public/school_list.html",
        {"campaign": campaign, "row": row, "rows": rows, "published": published},
    )
