"""Screens for dated changes and corrections of a student's record: cancelling a scheduled change,
correcting a wrong status line, correcting the personal identifier (with its history)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404
from rules import identifiers

from .. import selectors, services
from ..forms import PersonalIdCorrectForm, ReasonForm, apply_service_errors
from ..models import ChangeState, ScheduledChange, Student
from ..services import changes, corrections


def scheduled_for(student: Student) -> list[ScheduledChange]:
    return list(
        ScheduledChange.objects.filter(student=student, state=ChangeState.SCHEDULED)
        .select_related("decided_by", "transfer__from_school", "transfer__to_school", "school")
        .order_by("date", "id")
    )


def detail_context(request: HttpRequest, student: Student, *, shows_record: bool) -> dict[str, Any]:
    """The student screen's part: what waits for a later day, and what the user may correct."""
    if not shows_record:
        return {"scheduled_changes": None, "personal_id_history": None}
    waiting = scheduled_for(student)
    for change in waiting:
        change.can_cancel = changes.can_cancel(request.user, change)  # type: ignore[attr-defined]
    return {
        "scheduled_changes": waiting,
        "cancel_form": ReasonForm(prefix="cancel"),
        "can_correct": corrections.can_correct(request.user, student),
        "personal_id_history": list(student.personal_id_history.select_related("changed_by")),
    }


@login_required
@require_POST
def student_change_cancel(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    change = get_scoped_or_404(
        ScheduledChange.objects.select_related("transfer"),
        request.user,
        Perm.CHANGE_STUDENT,
        pk=change_pk,
        student_id=student.pk,
    )
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.scheduled_change_cancel(
                actor=request.user, change=change, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_messages(exc)))
        else:
            messages.success(request, _("Đã hủy thay đổi đã lên lịch."))
    else:
        messages.error(request, _("Hãy ghi lí do hủy."))
    return redirect("directory:student_detail", pk=student.pk)


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)] if str(exc) else [_("Bạn không có quyền làm việc này.")]


@login_required
def student_status_correct(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = ReasonForm(request.POST or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            restored = services.student_status_correct(
                actor=request.user, student=student, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            errors, status = _messages(exc), 403
        except ValidationError as exc:
            errors, status = _messages(exc), 400
        else:
            messages.success(
                request,
                _("Đã sửa: học sinh trở lại trạng thái «%(status)s».")
                % {"status": restored.get_status_display()},
            )
            return redirect("directory:student_detail", pk=student.pk)
    elif form.errors:
        status = 400
    latest, previous = corrections.status_correction_target(student)
    context = {
        "student": student,
        "form": form,
        "errors": errors,
        "latest": latest,
        "previous": previous,
        "can_correct": corrections.can_correct(request.user, student),
    }
    return render(request, "directory/student_status_correct.html", context, status=status)


@login_required
def student_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    """The identifier, what the checks say about it, its history, and the correction form."""
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = PersonalIdCorrectForm(request.POST or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.student_personal_id_correct(actor=request.user, student=student, **form.cleaned_data)
        except PermissionDenied as exc:
            errors, status = _messages(exc), 403
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Đã sửa số định danh cá nhân; số cũ được lưu trong lịch sử."))
            return redirect("directory:student_identifier", pk=student.pk)
    elif form.errors:
        status = 400
    # Whoever may change a student sees the whole record today; the rule is asked anyway, not assumed.
    visibility = selectors.student_visibility(user=request.user, student=student)
    problems = identifiers.check_personal_id(
        student.personal_id, sex=student.sex or None, birth_year=student.date_of_birth.year
    )
    context = {
        "student": student,
        "visibility": visibility,
        "form": form,
        "errors": errors,
        "problems": problems if visibility.shows("personal_id") else [],
        "history": (
            student.personal_id_history.select_related("changed_by")
            if visibility.shows("personal_id_history")
            else None
        ),
        "can_correct": corrections.can_correct(request.user, student),
    }
    return render(request, "directory/student_identifier.html", context, status=status)
