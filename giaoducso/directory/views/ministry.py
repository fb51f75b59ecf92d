from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.exports import XLSX_MIME
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm

from .. import ministry
from ..importing import jobs as import_jobs
from ..transfers import schools_where
from .imports import check_upload_size, store_upload


class ExportForm(forms.Form):
    school = forms.ModelChoiceField(label=gettext_lazy("Trường"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = ministry.export_schools(user)


class ImportForm(forms.Form):
    school = forms.ModelChoiceField(label=gettext_lazy("Trường"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Tệp C1-HocSinh do Bộ trả về (.xlsx)"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp Excel để tải lên.")},
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa ghi"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_where(user, Perm.CHANGE_STUDENT)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Hãy tải lên tệp Excel (.xlsx) theo mẫu C1-HocSinh."))
        check_upload_size(upload)
        return upload


def _allowed(request: HttpRequest) -> None:
    if not (has_perm(request.user, Perm.EXPORT_DATA) or has_perm(request.user, Perm.CHANGE_STUDENT)):
        raise Http404


def _single(form: forms.Form) -> None:
    """Preselects the school when there is only one to choose."""
    schools = list(form.fields["school"].queryset[:2])  # type: ignore[attr-defined]
    if len(schools) == 1:
        form.fields["school"].initial = schools[0].pk


@login_required
def ministry_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    export_form = ExportForm(user=request.user)
    import_form = ImportForm(user=request.user)
    _single(export_form)
    _single(import_form)
    return render(
        request,
        "directory/ministry_exchange.html",
        {"export_form": export_form, "import_form": import_form},
    )


@login_required
def ministry_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        # A school outside the user's reach looks exactly like one that does not exist.
        raise Http404
    school = form.cleaned_data["school"]
    target, _count = ministry.ministry_export(actor=request.user, school=school)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"{ministry.SHEET_NAME}-{school.code}-{ministry.today_stamp()}.xlsx",
        content_type=XLSX_MIME,
    )


@login_required
def ministry_import(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    if request.method != "POST":
        return ministry_page(request)
    import_form = ImportForm(request.POST, request.FILES, user=request.user)
    if import_form.is_valid():
        # Checked and written by a worker, like every import: a large file must not hold a web process.
        upload = import_form.cleaned_data["file"]
        job = import_jobs.job_start_ministry_codes(
            actor=request.user,
            school=import_form.cleaned_data["school"],
            stored_name=store_upload(upload),
            file_name=Path(upload.name).name,
            dry_run=import_form.cleaned_data["dry_run"],
        )
        return redirect("directory:import_detail", pk=job.pk)
    export_form = ExportForm(user=request.user)
    _single(export_form)
    context = {"export_form": export_form, "import_form": import_form}
    return render(request, "directory/ministry_exchange.html", context, status=400)
