"""Procedures: the public catalogue and its online form, the lookup by tracking code, the unit's handling."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from giaoducso.core import ratelimit
from giaoducso.core.audit import record
from giaoducso.core.middleware import client_ip
from giaoducso.core.models import AuditAction
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.uploads import file_response

from .. import selectors
from ..access import unit_for
from ..cache import public_page
from ..forms import apply_service_errors
from ..models import Procedure, ProcedureFile, ProcedureRequest, RequestFile, RequestStatus
from ..models.procedures import CLOSED_STATUSES
from ..services import procedures as service
from .public import site_context


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each one is checked by the service (core.uploads)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RequestForm(forms.Form):
    applicant_name = forms.CharField(label=gettext_lazy("Họ tên người nộp"), max_length=255)
    applicant_phone = forms.CharField(label=gettext_lazy("Điện thoại"), max_length=20)
    applicant_email = forms.EmailField(label=gettext_lazy("Thư điện tử (không bắt buộc)"), required=False)
    student_name = forms.CharField(label=gettext_lazy("Họ tên học sinh"), max_length=255, required=False)
    student_class = forms.CharField(label=gettext_lazy("Lớp"), max_length=32, required=False)
    details = forms.CharField(
        label=gettext_lazy("Nội dung đề nghị"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(
        label=gettext_lazy("Tệp đính kèm (PDF, DOCX, ODT, XLSX, ảnh; tối đa 5 tệp)"), required=False
    )


@require_GET
@public_page
def procedure_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    return render(
        request, "portal/public/procedures.html", site_context(unit, procedures=service.offered_by(unit))
    )


def procedure_detail(request: HttpRequest, code: str, procedure: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    item = Procedure.objects.filter(code=procedure, is_active=True).first()
    if item is None or item not in service.offered_by(unit):
        raise Http404
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and item.online and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        try:
            created = service.request_submit(
                actor=request.user, unit=unit, procedure=item, files=form.cleaned_data["files"], **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session["portal_submitted"] = created.tracking_code
            return redirect(reverse("site:lookup") + f"?ma={created.tracking_code}&moi=1")
    context = site_context(unit, procedure=item, form=form, forms_to_download=list(item.forms.all()))
    return render(request, "portal/public/procedure.html", context, status=400 if form.errors else 200)


def _mask(name: str) -> str:
    """Nguyễn Văn An → Nguyễn V. A.: a code read over someone's shoulder does not give a full name."""
    parts = name.split()
    if len(parts) < 2:
        return name[:1] + "." if name else ""
    return " ".join([parts[0], *[p[0] + "." for p in parts[1:]]])


LOOKUP_MAX_FAILURES = 20
LOOKUP_WINDOW_SECONDS = 10 * 60


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    unit = selectors.home_unit()
    if unit is None:
        raise Http404
    code = request.GET.get("ma", "").strip()[:30]
    found = None
    client = client_ip(request) or "?"
    if code and ratelimit.reached("portal-lookup-failures", [client], limit=LOOKUP_MAX_FAILURES):
        # Guessing codes is what this stops: past the limit nothing is looked up until the window ends.
        context = site_context(unit, code=code, found=None, throttled=True)
        response = render(request, "portal/public/lookup.html", context, status=429)
        response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
        return response
    if code:
        found = (
            ProcedureRequest.objects.filter(tracking_code=service.normalise_code(code))
            .select_related("procedure", "unit", "answer_document")
            .first()
        )
        if found is None:
            ratelimit.count("portal-lookup-failures", client, seconds=LOOKUP_WINDOW_SECONDS)
            record(actor=request.user, action=AuditAction.LOOKUP_FAILED, object_type="portal.procedurerequest",
                   object_repr=code[:30])  # fmt: skip
    context = site_context(
        unit,
        code=code,
        found=found,
        applicant=_mask(found.applicant_name) if found else "",
        new=request.GET.get("moi") == "1" and found is not None,
    )
    return render(
        request, "portal/public/lookup.html", context, status=404 if code and found is None else 200
    )


@require_GET
def lookup_document(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The answer's document, reached by the request's code as the request itself is."""
    found = ProcedureRequest.objects.filter(tracking_code=service.normalise_code(tracking_code)).first()
    if (
        found is None
        or found.answer_document_id is None
        or found.status not in CLOSED_STATUSES | {RequestStatus.NEEDS_INFO}
    ):
        raise Http404
    return file_response(found.answer_document)  # type: ignore[arg-type]


# --- the unit's handling --------------------------------------------------------------------------------


class HandleForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Chuyển sang"), choices=[])
    answer = forms.CharField(label=gettext_lazy("Trả lời người nộp"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    document = forms.FileField(label=gettext_lazy("Văn bản trả lời (PDF, DOCX, ODT, XLSX)"), required=False)

    def __init__(self, *args: object, current: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = service.TRANSITIONS.get(RequestStatus(current), set())
        self.fields["status"].choices = [(v, label) for v, label in RequestStatus.choices if v in allowed]


@login_required
def request_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request.user, Perm.PORTAL_REQUESTS, code)
    queryset = ProcedureRequest.objects.filter(unit=unit).select_related("procedure")
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    context = {
        "unit": unit,
        "page": page_of(request, queryset),
        "statuses": RequestStatus.choices,
        "status": status,
    }
    return render(request, "portal/edit/requests.html", context)


@login_required
def request_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = unit_for(request.user, Perm.PORTAL_REQUESTS, code)
    item = ProcedureRequest.objects.filter(unit=unit, pk=pk).select_related("procedure").first()
    if item is None:
        raise Http404
    form = HandleForm(request.POST or None, request.FILES or None, current=item.status)
    if request.method == "POST" and form.is_valid():
        try:
            service.request_update(
                actor=request.user,
                request=item,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật hồ sơ."))
            return redirect(reverse("portal:request", args=[code, pk]))
    context = {
        "unit": unit,
        "item": item,
        "form": form,
        "files": list(item.files.all()),
        "closed": item.status in CLOSED_STATUSES,
    }
    return render(request, "portal/edit/request.html", context, status=400 if form.errors else 200)


@login_required
def request_file(request: HttpRequest, code: str, pk: int, file_pk: int) -> HttpResponse:
    unit = unit_for(request.user, Perm.PORTAL_REQUESTS, code)
    stored = RequestFile.objects.filter(request__unit=unit, request_id=pk, pk=file_pk).first()
    if stored is None:
        raise Http404
    return file_response(stored)


@require_GET
def procedure_form(request: HttpRequest, code: str, procedure: str, pk: int) -> HttpResponse:
    unit = selectors.public_unit(code)
    stored = ProcedureFile.objects.filter(pk=pk, procedure__code=procedure, procedure__is_active=True).first()
    if stored is None or stored.procedure not in service.offered_by(unit):
        raise Http404
    return file_response(stored)


class ProcedureFormUpload(forms.Form):
    procedure = forms.ModelChoiceField(
        label=gettext_lazy("Thủ tục"), queryset=Procedure.objects.filter(is_active=True)
    )
    title = forms.CharField(label=gettext_lazy("Tên mẫu đơn"), max_length=255)
    file = forms.FileField(label=gettext_lazy("Tệp mẫu (PDF, DOCX, ODT, XLSX)"))


@login_required
def procedure_forms(request: HttpRequest) -> HttpResponse:
    """The department's catalogue of procedures and their blank forms."""
    from .disclosure import _overseen

    _overseen(request)
    form = ProcedureFormUpload(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.procedure_form_add(
                actor=request.user,
                procedure=form.cleaned_data["procedure"],
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm mẫu đơn."))
            return redirect(reverse("portal:procedure_forms"))
    context = {"form": form, "procedures": Procedure.objects.prefetch_related("forms")}
    return render(request, "portal/edit/procedure_forms.html", context, status=400 if form.errors else 200)
