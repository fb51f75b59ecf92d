"""A school's report: fill in, save, submit; the department reads it, accepts or returns it, grants an
exception to the deadline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm
from giaoducso.core.uploads import file_response
from giaoducso.core.views.decorators import require_perm
from rules.report_forms import FormSchema

from .. import selectors, services
from ..exporting import cell
from ..models import Submission, SubmissionFile, SubmissionStatus
from .common import day_from, errors_of

FREE_ROWS_MORE = 3


def answers_from_post(schema: FormSchema, post: QueryDict) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for f in schema.fields():
        name = f"f_{f.key}"
        if f.type in ("file", "computed"):
            continue
        if f.type == "multi":
            raw[f.key] = post.getlist(name)
        elif f.type == "table":
            try:
                count = int(post.get(f"{name}__rows", "0"))
            except ValueError:
                count = 0
            count = len(f.rows) if f.rows else max(0, min(count, f.max_rows + FREE_ROWS_MORE))
            raw[f.key] = [
                {c.key: post.get(f"{name}__{i}__{c.key}", "") for c in f.columns} for i in range(count)
            ]
        else:
            raw[f.key] = post.get(name, "")
    return raw


def _shown(schema: FormSchema, answers: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each section's fields with what the page needs to draw them."""
    sections = []
    for section in schema.sections:
        items = []
        for f in section.fields:
            value = answers.get(f.key)
            item: dict[str, Any] = {
                "spec": f,
                "name": f"f_{f.key}",
                "value": "" if value is None else value,
                "text": cell(f, value) if value is not None else "",
                "errors": [m for key, msgs in errors.items() if key.split(".")[0] == f.key for m in msgs],
            }
            if f.type == "table":
                rows = list(value or []) if isinstance(value, list) else []
                count = len(f.rows) if f.rows else min(len(rows) + FREE_ROWS_MORE, f.max_rows)
                rows += [{}] * (count - len(rows))
                item["rows"] = [
                    {
                        "label": f.rows[i] if i < len(f.rows) else str(i + 1),
                        "cells": [
                            {
                                "name": f"f_{f.key}__{i}__{c.key}",
                                "value": (row or {}).get(c.key, ""),
                                "column": c,
                            }
                            for c in f.columns
                        ],
                    }
                    for i, row in enumerate(rows[:count])
                ]
                item["row_count"] = count
            items.append(item)
        sections.append({"title": section.title, "fields": items})
    return sections


@login_required
@require_perm(Perm.VIEW_REPORTS)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_scoped_or_404(
        Submission.objects.select_related("campaign__version", "campaign__owner", "school"),
        request.user,
        Perm.VIEW_REPORTS,
        pk=pk,
    )
    campaign = submission.campaign
    schema = selectors.schema_for(campaign)
    can_fill = has_perm(request.user, Perm.SUBMIT_REPORTS, submission.school)
    can_review = has_perm(request.user, Perm.MANAGE_REPORTS, campaign.owner)
    lock = services.submission_lock_reason(submission)
    errors: dict[str, list[str]] = {}
    answers = dict(submission.answers)
    if submission.status == SubmissionStatus.NOT_STARTED and can_fill:
        answers = {**selectors.prefilled_answers(schema, submission.school), **answers}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit") and can_fill:
                posted = answers_from_post(schema, request.POST)
                answers = {**answers, **posted}
                services.submission_save(
                    actor=request.user,
                    submission=submission,
                    answers=posted,
                    files={k[2:]: v for k, v in request.FILES.items() if k.startswith("f_")},
                    submit=action == "submit",
                )
                messages.success(
                    request, _("Đã nộp báo cáo.") if action == "submit" else _("Đã lưu bản nháp.")
                )
            elif action in ("accept", "return") and can_review:
                services.submission_review(
                    actor=request.user,
                    submission=submission,
                    accept=action == "accept",
                    comment=request.POST.get("comment", ""),
                    score=request.POST.get("score", ""),
                )
                messages.success(
                    request, _("Đã duyệt báo cáo.") if action == "accept" else _("Đã trả lại báo cáo.")
                )
            elif action == "exception" and can_review:
                text = request.POST.get("until", "").strip()
                services.submission_grant_exception(
                    actor=request.user, submission=submission, until=day_from(text, "until") if text else None
                )
                messages.success(request, _("Đã cập nhật gia hạn cho trường."))
            else:
                raise ValidationError(_("Bạn không được thực hiện thao tác này."))
        except ValidationError as error:
            errors = errors_of(error)
            status = 422
        else:
            return redirect("reporting:submission_detail", pk=submission.pk)
    context = {
        "submission": submission,
        "campaign": campaign,
        "sections": _shown(schema, answers, errors),
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "other_errors": {k: v for k, v in errors.items() if k in ("comment", "score", "until")},
        "can_fill": can_fill and not lock,
        "can_review": can_review,
        "lock": lock if can_fill else "",
    }
    return render(request, "reporting/submission_detail.html", context, status=status)


@login_required
@require_perm(Perm.VIEW_REPORTS)
def submission_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    stored = get_scoped_or_404(
        SubmissionFile.objects.filter(submission_id=pk), request.user, Perm.VIEW_REPORTS, pk=file_pk
    )
    return file_response(stored)
