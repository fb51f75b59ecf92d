"""Spreadsheets of the records: a class's results and a class and subject's grade book out as XLSX, and a
grade book back in through the import machinery (upload, background check with a row report, then a
background write, all or nothing; see `records.importing` for the columns)."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from giaoducso.core import exports
from giaoducso.core import selectors as core_selectors
from giaoducso.core.models import Job
from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.importing.readers import XLSX_EXTENSIONS
from giaoducso.directory.models import Student
from giaoducso.directory.views.imports import check_upload_size

from .. import importing, selectors
from ..models import Subject, SubjectKind, Term
from ..selectors.summary import class_summary
from ..services.locks import active_lock
from .common import parse_term
from .gradebook import LEVEL_SHOWN, _class
from .summary import rows_of


@login_required
@require_perm(Perm.VIEW_RECORDS)
def summary_export(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, _access = _class(request, pk)
    result = class_summary(user=request.user, school_class=school_class)
    columns: list[exports.Column] = [
        (_("STT"), lambda r: r["n"]),
        (_("Họ và tên"), lambda r: r["student"].full_name),
        (_("Ngày sinh"), lambda r: r["student"].date_of_birth),
    ]
    for i, subject in enumerate(result.subjects):
        columns.append((subject.name, lambda r, i=i: r["subjects"][i]))
    for i, label in enumerate((_("Học tập HKI"), _("Học tập HKII"), _("Học tập cả năm"))):
        columns.append((label, lambda r, i=i: r["learning"][i]))
    for i, label in enumerate((_("Rèn luyện HKI"), _("Rèn luyện HKII"), _("Rèn luyện cả năm"))):
        columns.append((label, lambda r, i=i: r["conduct"][i]))
    columns += [
        (_("Số buổi nghỉ"), lambda r: r["absences"]),
        (_("Kết quả"), lambda r: r["outcome"] or r["primary"]),
        (_("Kiểm tra lại"), lambda r: r["retests"]),
        (_("Khen thưởng"), lambda r: r["award"]),
    ]
    rows = [{**row, "n": n} for n, row in enumerate(rows_of(result), start=1)]
    return exports.xlsx_response(
        actor=request.user,
        what="records.summary",
        filename=f"tong-hop-{school_class.name.replace('/', '-')}",
        columns=columns,
        rows=rows,
        unit=school_class.school,
    )


def _value(kind: SubjectKind, mark: Any) -> Any:
    if mark is None:
        return ""
    if kind == SubjectKind.SCORED:
        return float(mark.value) if mark.value is not None else ""
    return LEVEL_SHOWN[kind].get(mark.level, "") if mark.level is not None else ""


@login_required
@require_perm(Perm.VIEW_RECORDS)
def gradebook_export(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    school_class, _access = _class(request, pk)
    subject = get_object_or_404(Subject, pk=subject_pk)
    book = selectors.grade_book(user=request.user, school_class=school_class, subject=subject)
    term = parse_term(request.GET.get("term"))
    kind = SubjectKind(subject.kind)
    getters: dict[str, Any] = {
        "stt": lambda r: r[0],
        "ma_hoc_sinh": lambda r: r[1].student.ministry_code,
        "ma_dinh_danh": lambda r: r[1].student.personal_id,
        "ho_va_ten": lambda r: r[1].student.full_name,
        "ngay_sinh": lambda r: r[1].student.date_of_birth,
        "hoc_ki": lambda r: term,
        "dtbmhk": lambda r: float(r[1].term_average[term]) if r[1].term_average.get(term) is not None else "",
    }
    for column in importing.columns_of(subject, school_class.grade):
        if column.startswith("ddg"):
            mark_kind, index = importing._address(column)
            getters[column] = lambda r, k=(term, str(mark_kind), index): _value(kind, r[1].cell(k))
    columns: list[exports.Column] = [
        (importing.HEADERS[c], getters[c]) for c in importing.columns_of(subject, school_class.grade)
    ]
    # The personal id and the Ministry code are read by `.only()` lazily: fetch them at once.
    students = Student.objects.filter(pk__in=[r.student.pk for r in book.rows]).only(
        "pk", "full_name", "date_of_birth", "ministry_code", "personal_id"
    )
    by_pk = {s.pk: s for s in students}
    for row in book.rows:
        row.student = by_pk.get(row.student.pk, row.student)
    return exports.xlsx_response(
        actor=request.user,
        what="records.mark",
        filename=f"so-diem-{subject.code}-{school_class.name.replace('/', '-')}-hk{term}",
        columns=columns,
        rows=list(enumerate(book.rows, start=1)),
        unit=school_class.school,
    )


class GradebookUploadForm(forms.Form):
    term = forms.TypedChoiceField(label=gettext_lazy("Học kì"), choices=Term.choices, coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp cần nhập."),
            "empty": gettext_lazy("Tệp trống."),
            "invalid": gettext_lazy("Không đọc được tệp đã gửi."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].error_messages["invalid_choice"] = _("Học kì phải là I hoặc II.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in XLSX_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp Excel (.xlsx) theo mẫu sổ điểm."))
        check_upload_size(upload)
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError(_("Tệp không phải tệp Excel (.xlsx) hợp lệ."))
        upload.seek(0)
        return upload


@login_required
@require_perm(Perm.ENTER_MARKS)
def gradebook_import(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    school_class, access = _class(request, pk)
    subject = get_object_or_404(Subject, pk=subject_pk)
    if not access.enters_subject(subject.pk):
        raise Http404
    form = GradebookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        term = form.cleaned_data["term"]
        lock = active_lock(school_class, term)
        if lock is None:
            stored = default_storage.save(f"{importing.UPLOAD_DIR}/{uuid.uuid4().hex}.xlsx", upload)
            job = importing.job_start_check(
                actor=request.user,
                target=importing.Target(school_class, subject, term),
                stored_name=stored,
                file_name=Path(upload.name).name,
            )
            return redirect("records:import_detail", pk=job.pk)
        form.add_error(
            "term",
            _("Học kì %(term)s đã khoá sổ: không nhập điểm từ tệp được. Muốn sửa, hãy gửi đề nghị sửa điểm.")
            % {"term": Term(term).label},
        )
    recent = core_selectors.job_list(user=request.user, kinds=importing.IMPORT_JOB_KINDS)[:10]
    context = {
        "form": form,
        "school_class": school_class,
        "subject": subject,
        "columns": [importing.HEADERS[c] for c in importing.columns_of(subject, school_class.grade)],
        "recent": recent,
    }
    return render(request, "records/gradebook_import.html", context, status=400 if form.errors else 200)


def _job(request: HttpRequest, pk: Any) -> Job:
    return core_selectors.job_get(user=request.user, pk=pk, kinds=importing.IMPORT_JOB_KINDS)


def _context(job: Job) -> dict[str, Any]:
    return {
        "job": job,
        "result": job.result or {},
        "is_check": job.kind == importing.CHECK_KIND,
        "can_commit": importing.can_commit(job),
        "class_id": job.params.get("class_id"),
        "subject_id": job.params.get("subject_id"),
    }


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "records/import_detail.html", _context(_job(request, pk)))


@login_required
@require_GET
def import_status(request: HttpRequest, pk: Any) -> HttpResponse:
    response = render(request, "records/import_status.html", _context(_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: Any) -> HttpResponse:
    check_job = _job(request, pk)
    try:
        job = importing.job_start_run(actor=request.user, check_job=check_job)
    except importing.NotReady:
        messages.error(request, _("Tệp này chưa thể nhập: hãy xem các lỗi hoặc tải lại tệp."))
        return redirect("records:import_detail", pk=check_job.pk)
    messages.success(request, _("Đã bắt đầu: %(title)s.") % {"title": job.title})
    return redirect("records:import_detail", pk=job.pk)
