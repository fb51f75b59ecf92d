"""The digital-transformation index and the IT-application model: the board of the department, a school's
self-assessment with the platform's proposals, the review, the checklist's versions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm, scoped
from giaoducso.core.views.decorators import require_perm
from rules import checklists as rules

from ..models import Assessment, Checklist, ChecklistKind, SubmissionStatus
from ..services import checklists as services
from .common import acting_units, errors_of
from .cycles import _year_now


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or ChecklistKind.DT_INDEX
    return kind if kind in ChecklistKind.values else ChecklistKind.DT_INDEX


@login_required
@require_perm(Perm.VIEW_REPORTS)
def checklist_board(request: HttpRequest) -> HttpResponse:
    kind, year = _kind(request), request.GET.get("year", "") or _year_now()
    schools = scoped(Unit.objects.filter(kind=UnitKind.SCHOOL), request.user, Perm.VIEW_REPORTS).order_by(
        "name"
    )
    owners = acting_units(request.user, Perm.MANAGE_REPORTS)
    if request.method == "POST":
        if not owners:
            raise Http404
        checklist = services.checklist_start(actor=request.user, owner=owners[0], kind=kind)
        return redirect("reporting:checklist_edit", pk=checklist.pk)
    if not owners and schools.count() == 1:
        return redirect(f"/reporting/index/{schools.get().code}/?kind={kind}&year={year}")
    assessments = {
        a.school_id: a
        for a in Assessment.objects.filter(
            school__in=schools, year_name=year, checklist__kind=kind
        ).select_related("checklist")
    }
    rows = []
    for school in schools[:500]:
        a = assessments.get(school.pk)
        scores = rules.score(a.checklist.data, a.answers) if a else []
        rows.append({"school": school, "assessment": a, "scores": scores})
    checklist = services.checklist_for(owners[0], kind) if owners else None
    context = {
        "rows": rows,
        "kind": kind,
        "kinds": ChecklistKind.choices,
        "year": year,
        "checklist": checklist,
        "can_manage": bool(owners),
        "groups": [g["label"] for g in (checklist.data.get("groups", []) if checklist else [])],
    }
    return render(request, "reporting/checklist_board.html", context)


@login_required
@require_perm(Perm.MANAGE_REPORTS)
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = get_scoped_or_404(
        Checklist.objects.select_related("owner"), request.user, Perm.MANAGE_REPORTS, pk=pk
    )
    errors: dict[str, list[str]] = {}
    text = json.dumps(checklist.data, ensure_ascii=False, indent=2)
    if request.method == "POST":
        text = request.POST.get("data", "")
        try:
            try:
                data = json.loads(text)
            except ValueError:
                raise ValidationError({"data": _("Nội dung không phải JSON hợp lệ.")}) from None
            saved = services.checklist_edit(actor=request.user, checklist=checklist, data=data)
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(request, _("Đã lưu bộ tiêu chí (phiên bản %(v)s).") % {"v": saved.version})
            return redirect("reporting:checklist_edit", pk=saved.pk)
    context = {"checklist": checklist, "text": text, "errors": errors}
    return render(request, "reporting/checklist_edit.html", context, status=422 if errors else 200)


def _answers_from_post(checklist: Checklist, post: Any) -> dict[str, Any]:
    answers = {}
    for group in checklist.data.get("groups", []):
        for item in group.get("criteria", []):
            key = item["key"]
            answers[key] = {
                "met": post.get(f"met_{key}") == "on",
                "value": post.get(f"value_{key}", ""),
                "evidence": post.get(f"evidence_{key}", ""),
            }
    return answers


@login_required
@require_perm(Perm.VIEW_REPORTS)
def assessment_detail(request: HttpRequest, code: str) -> HttpResponse:
    school = Unit.objects.filter(code=code, kind=UnitKind.SCHOOL).first()
    if school is None or not has_perm(request.user, Perm.VIEW_REPORTS, school):
        raise Http404
    kind, year = _kind(request), (request.GET.get("year") or request.POST.get("year") or _year_now())[:9]
    existing = (
        Assessment.objects.filter(school=school, year_name=year, checklist__kind=kind)
        .select_related("checklist")
        .first()
    )
    checklist = existing.checklist if existing else services.checklist_for(school, kind)
    if checklist is None:
        return render(
            request,
            "reporting/assessment_detail.html",
            {"school": school, "checklist": None, "kind": kind, "year": year},
        )
    can_fill = has_perm(request.user, Perm.SUBMIT_REPORTS, school) and not (
        existing and existing.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
    )
    can_review = has_perm(request.user, Perm.MANAGE_REPORTS, checklist.owner) and existing is not None
    errors: dict[str, list[str]] = {}
    proposed = services.proposals(school, year)
    answers = dict(existing.answers) if existing else dict(proposed)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit") and can_fill:
                answers = _answers_from_post(checklist, request.POST)
                services.assessment_save(
                    actor=request.user,
                    checklist=checklist,
                    school=school,
                    year_name=year,
                    answers=answers,
                    submit=action == "submit",
                )
            elif action in ("accept", "return") and can_review:
                services.assessment_review(
                    actor=request.user,
                    assessment=existing,
                    accept=action == "accept",
                    comment=request.POST.get("comment", ""),
                )  # type: ignore[arg-type]
            else:
                raise ValidationError(_("Bạn không được thực hiện thao tác này."))
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(f"{request.path}?kind={kind}&year={year}")
    groups = []
    for group in checklist.data.get("groups", []):
        items = []
        for item in group.get("criteria", []):
            answer = answers.get(item["key"]) or {}
            items.append(
                {
                    "item": item,
                    "answer": answer,
                    "proposal": proposed.get(item["key"]),
                    "errors": errors.get(item["key"], []),
                }
            )
        groups.append({"label": group["label"], "items": items})
    context = {
        "school": school,
        "checklist": checklist,
        "assessment": existing,
        "groups": groups,
        "scores": rules.score(checklist.data, {k: v for k, v in answers.items() if isinstance(v, dict)}),
        "kind": kind,
        "year": year,
        "can_fill": can_fill,
        "can_review": can_review,
        "errors": errors,
    }
    return render(request, "reporting/assessment_detail.html", context, status=422 if errors else 200)
