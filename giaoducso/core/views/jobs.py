"""Background jobs: the user's own list, a detail page whose progress bar polls itself, downloads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import audit, audit_export, jobs, selectors
from ..forms import DayMonthYearField
from ..models import AuditAction, JobStatus
from ..roles import Perm
from ..scoping import has_perm

JOBS_PER_PAGE = 20


class SystemCheckForm(forms.Form):
    steps = forms.IntegerField(
        label=gettext_lazy("Số bước"),
        min_value=1,
        max_value=jobs.SYSTEM_CHECK_MAX_STEPS,
        initial=5,
        required=False,
        error_messages={
            "invalid": gettext_lazy("Số bước phải là một số nguyên."),
            "min_value": gettext_lazy("Số bước ít nhất là %(limit_value)s."),
            "max_value": gettext_lazy("Số bước nhiều nhất là %(limit_value)s."),
        },
    )


class AuditExportForm(forms.Form):
    date_from = DayMonthYearField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        input_formats=[audit_export.DATE_FORMAT],
        widget=forms.DateInput(format=audit_export.DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": gettext_lazy("Nhập ngày dạng dd/mm/yyyy, ví dụ 05/09/2025.")},
    )
    date_to = DayMonthYearField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        input_formats=[audit_export.DATE_FORMAT],
        widget=forms.DateInput(format=audit_export.DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": gettext_lazy("Nhập ngày dạng dd/mm/yyyy, ví dụ 05/09/2025.")},
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Hành động"),
        required=False,
        choices=[("", gettext_lazy("Tất cả")), *AuditAction.choices],
        error_messages={"invalid_choice": gettext_lazy("Hành động không hợp lệ.")},
    )
    object_type = forms.CharField(
        label=gettext_lazy("Loại đối tượng"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Ví dụ: directory.student. Để trống để xuất mọi loại."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


def _list_page(
    request: HttpRequest,
    *,
    check_form: SystemCheckForm | None = None,
    export_form: AuditExportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(selectors.job_list(user=request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    can_export = has_perm(request.user, Perm.VIEW_AUDIT)
    return render(
        request,
        "core/job_list.html",
        {
            "page": page,
            "jobs": page.object_list,
            "check_form": check_form or SystemCheckForm(),
            "export_form": (export_form or AuditExportForm()) if can_export else None,
        },
        status=status,
    )


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "core/job_detail.html", {"job": selectors.job_get(user=request.user, pk=pk)})


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: Any) -> HttpResponse:
    response = render(
        request, "core/_job_progress.html", {"job": selectors.job_get(user=request.user, pk=pk)}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, pk: Any) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=job,
        unit=job.unit,
        changes={"file": filename, "rows": job.result.get("rows")},
        note=_("Tải tệp kết quả của công việc nền"),
    )
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
@require_POST
def job_start_system_check(request: HttpRequest) -> HttpResponse:
    # A harmless check that reads nothing personal: every signed-in user may run it.
    form = SystemCheckForm(request.POST)
    if not form.is_valid():
        return _list_page(request, check_form=form, status=400)
    job = jobs.job_start_system_check(actor=request.user, steps=form.cleaned_data["steps"] or 5)
    messages.success(request, _("Đã bắt đầu: %(title)s.") % {"title": job.title})
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_POST
def job_start_audit_export(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.VIEW_AUDIT):
        raise Http404
    form = AuditExportForm(request.POST)
    if not form.is_valid():
        return _list_page(request, export_form=form, status=400)
    try:
        job = audit_export.job_start_audit_export(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _list_page(request, export_form=form, status=400)
    messages.success(request, _("Đã bắt đầu: %(title)s.") % {"title": job.title})
    return redirect("core:job_detail", pk=job.pk)
