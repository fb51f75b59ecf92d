"""Imports in the UI: upload → background check with a preview → "Nhập dữ liệu" → background import."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from giaoducso.core import selectors
from giaoducso.core.exports import XLSX_MIME
from giaoducso.core.models import Job

from ..importing import jobs as import_jobs
from ..importing.readers import CSV_EXTENSIONS, XLSX_EXTENSIONS, looks_like_text
from ..importing.service import KIND_LABELS, KINDS
from ..importing.templates import FILENAMES, template_xlsx

ERRORS_PER_PAGE = 50


def check_upload_size(upload: Any) -> None:
    """Refuses an uploaded file larger than IMPORT_MAX_UPLOAD_SIZE (every upload screen)."""
    limit = settings.IMPORT_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise forms.ValidationError(
            _("Tệp lớn hơn %(limit)s; hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": filesizeformat(limit)}
        )


def store_upload(upload: Any) -> str:
    """Saves an upload where the workers read it; its stored name."""
    suffix = Path(upload.name).suffix.lower()
    return default_storage.save(f"{import_jobs.UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"), choices=())
    file = forms.FileField(
        label=gettext_lazy("Tệp CSV hoặc Excel (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp cần nhập."),
            "empty": gettext_lazy("Tệp trống."),
            "invalid": gettext_lazy("Không đọc được tệp đã gửi."),
        },
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, KIND_LABELS[k]) for k in kinds]
        field.error_messages["invalid_choice"] = _("Hãy chọn loại dữ liệu trong danh sách.")
        field.error_messages["required"] = _("Hãy chọn loại dữ liệu.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in CSV_EXTENSIONS + XLSX_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."))
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp trống."))
        check_upload_size(upload)
        upload.seek(0)
        head = upload.read(64 * 1024)
        upload.seek(0)
        if suffix in XLSX_EXTENSIONS:
            if not zipfile.is_zipfile(upload):
                raise forms.ValidationError(_("Tệp không phải tệp Excel (.xlsx) hợp lệ."))
            upload.seek(0)
        elif not looks_like_text(head[:-4] if len(head) == 64 * 1024 else head):
            raise forms.ValidationError(
                _("Tệp CSV không ở mã UTF-8. Hãy lưu lại dạng “CSV UTF-8” hoặc dùng tệp Excel (.xlsx).")
            )
        return upload


def _kinds_or_404(request: HttpRequest) -> list[str]:
    kinds = import_jobs.kinds_for(request.user)
    if not kinds:
        raise Http404
    return kinds


def _import_job_or_404(request: HttpRequest, pk: Any) -> Job:
    return selectors.job_get(user=request.user, pk=pk, kinds=import_jobs.IMPORT_JOB_KINDS)


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    kinds = _kinds_or_404(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = store_upload(upload)
        job = import_jobs.job_start_import_check(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            stored_name=stored,
            file_name=Path(upload.name).name,
        )
        return redirect("directory:import_detail", pk=job.pk)
    recent = selectors.job_list(user=request.user, kinds=import_jobs.IMPORT_JOB_KINDS)[:10]
    columns = [(k, KIND_LABELS[k], ", ".join(KINDS[k].COLUMNS)) for k in kinds]
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/import_start.html",
        {"form": form, "recent": recent, "columns": columns},
        status=status,
    )


def _page(request: HttpRequest, items: list[Any], parameter: str) -> Page[Any]:
    """One page of a stored problem list: the whole list is in the job's report file, not in the HTML."""
    return Paginator(items, ERRORS_PER_PAGE).get_page(request.GET.get(parameter))


def _context(request: HttpRequest, job: Job) -> dict[str, Any]:
    result = job.result or {}
    is_ministry = job.kind == import_jobs.MINISTRY_KIND
    errors = result.get("errors") or []
    warnings = result.get("warnings") or []
    return {
        "job": job,
        "result": result,
        "kind_label": import_jobs.MINISTRY_LABEL
        if is_ministry
        else KIND_LABELS.get(job.params.get("import_kind", ""), ""),
        "is_check": job.kind == import_jobs.CHECK_KIND or (is_ministry and job.params.get("dry_run")),
        "is_ministry": is_ministry,
        "can_commit": import_jobs.import_can_commit(job),
        "errors_page": _page(request, errors, "page") if errors else None,
        "warnings_page": _page(request, warnings, "warnings_page") if warnings else None,
    }


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _import_job_or_404(request, pk)
    return render(request, "directory/import_detail.html", _context(request, job))


@login_required
@require_GET
def import_status(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _import_job_or_404(request, pk)
    response = render(request, "directory/import_status.html", _context(request, job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: Any) -> HttpResponse:
    check_job = _import_job_or_404(request, pk)
    try:
        job = import_jobs.job_start_import_run(actor=request.user, check_job=check_job)
    except import_jobs.ImportNotReady:
        messages.error(request, _("Tệp này chưa thể nhập: hãy xem các lỗi hoặc tải lại tệp."))
        return redirect("directory:import_detail", pk=check_job.pk)
    except PermissionError as exc:
        raise Http404 from exc
    messages.success(request, _("Đã bắt đầu: %(title)s.") % {"title": job.title})
    return redirect("directory:import_detail", pk=job.pk)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The file to fill in for one kind of import (`?kind=`), with an example row and the allowed values."""
    kinds = _kinds_or_404(request)
    kind = request.GET.get("kind") or kinds[0]
    if kind not in kinds:
        raise Http404
    response = HttpResponse(template_xlsx(kind, user=request.user), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{FILENAMES[kind]}.xlsx"'
    return response
