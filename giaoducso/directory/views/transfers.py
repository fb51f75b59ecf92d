from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giaoducso.core import exports
from giaoducso.core.forms import DayMonthYearField
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import services, transfers
from ..exports import audit_unit
from ..models import ScheduledChange, Student, Transfer, TransferStatus
from .listing import export_table, exportable

TRANSFER_TABLE = "directory.transfers"

DATE_INPUT = {
    "input_formats": ["%d/%m/%Y"],
    "widget": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    "error_messages": {"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/09/2014.")},
}


class TransferFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=gettext_lazy("Chiều"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("in", gettext_lazy("Chuyển đến")),
            ("out", gettext_lazy("Chuyển đi")),
        ],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Tất cả")), *TransferStatus.choices],
    )


class FindStudentForm(forms.Form):
    personal_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân của học sinh"),
        max_length=20,
        error_messages={"required": gettext_lazy("Hãy nhập số định danh cá nhân (12 chữ số).")},
    )
    date_of_birth = DayMonthYearField(label=gettext_lazy("Ngày sinh"), **DATE_INPUT)
    to_school = forms.ModelChoiceField(
        label=gettext_lazy("Trường chuyển đến"),
        queryset=Unit.objects.none(),
        error_messages={"required": gettext_lazy("Hãy chọn trường chuyển đến.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = transfers.schools_where(user)
        schools = list(self.fields["to_school"].queryset[:2])
        if len(schools) == 1:
            self.fields["to_school"].initial = schools[0].pk

    def clean_personal_id(self) -> str:
        value = "".join(self.cleaned_data["personal_id"].split())
        if not (len(value) == 12 and value.isdigit()):
            raise ValidationError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
        return value


class RequestDetailsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lí do"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    effective_date = DayMonthYearField(
        label=gettext_lazy("Ngày chuyển (dự kiến)"), required=False, **DATE_INPUT
    )


class RequestOutForm(RequestDetailsForm):
    to_school = forms.ModelChoiceField(
        label=gettext_lazy("Trường chuyển đến"),
        queryset=Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True).order_by("name"),
        error_messages={"required": gettext_lazy("Hãy chọn trường chuyển đến.")},
    )

    field_order = ["to_school", "effective_date", "reason"]

    def __init__(self, *args: Any, student: Student, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = self.fields["to_school"].queryset.exclude(pk=student.school_id)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Ý kiến"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@login_required
@require_perm(Perm.VIEW_STUDENT)
def transfer_list(request: HttpRequest) -> HttpResponse:
    form = TransferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = transfers.transfer_list(
        user=request.user, direction=filters.get("direction", ""), status=filters.get("status", "")
    )
    page = page_of(request, rows)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "export_query": params.urlencode(),
        "can_export": has_perm(request.user, Perm.EXPORT_DATA),
        "can_request": has_perm(request.user, Perm.CHANGE_STUDENT),
    }
    return render(
        request,
        "directory/transfer_list.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


TRANSFER_COLUMNS: list[exports.Column] = [
    (gettext_lazy("Học sinh"), lambda t: t.student.full_name),
    (gettext_lazy("Trường chuyển đi"), lambda t: t.from_school.name),
    (gettext_lazy("Trường chuyển đến"), lambda t: t.to_school.name),
    (gettext_lazy("Bên đề nghị"), lambda t: t.requested_by_school.name),
    (gettext_lazy("Ngày đề nghị"), lambda t: t.created_at),
    (gettext_lazy("Ngày chuyển"), lambda t: t.effective_date),
    (gettext_lazy("Trạng thái"), lambda t: t.get_status_display()),
    (gettext_lazy("Lí do"), lambda t: t.reason),
    (gettext_lazy("Ý kiến"), lambda t: t.decision_note),
]


def transfer_table(user: Any, params: dict[str, str]) -> exports.Table:
    """The transfers the list shows for these filters, every one of them."""
    form = TransferFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = transfers.transfer_list(
        user=user, direction=filters.get("direction", ""), status=filters.get("status", "")
    )
    return exports.Table(
        what="directory.transfer",
        title=_("Danh sách chuyển trường"),
        filename="chuyen-truong",
        columns=TRANSFER_COLUMNS,
        rows=exportable(rows, user),
        unit=audit_unit(user),
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def transfer_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, TRANSFER_TABLE, view_perm=Perm.VIEW_STUDENT)


@login_required
@require_perm(Perm.CHANGE_STUDENT)
def transfer_request_in(request: HttpRequest) -> HttpResponse:
    """The destination school asks: find the student by identifier and date of birth, then confirm."""
    find_form = FindStudentForm(request.POST or None, user=request.user)
    details_form = RequestDetailsForm(request.POST if request.POST.get("step") == "request" else None)
    match = None
    errors: list[str] = []
    throttled = False
    if request.method == "POST" and find_form.is_valid():
        data = find_form.cleaned_data
        try:
            match = transfers.transfer_find_student(
                actor=request.user, personal_id=data["personal_id"], date_of_birth=data["date_of_birth"]
            )
            if match.school_id == data["to_school"].pk:
                raise transfers.TransferError(_("Học sinh đang học ở trường này; hãy chọn trường khác."))
        except transfers.TransferLookupThrottled as exc:
            errors, match, throttled = _errors(exc), None, True
        except ValidationError as exc:
            errors, match = _errors(exc), None
        if match is not None and request.POST.get("step") == "request" and details_form.is_valid():
            student = Student.objects.select_related("school").get(pk=match.student_id)
            try:
                transfer = transfers.transfer_request(
                    actor=request.user,
                    student=student,
                    to_school=data["to_school"],
                    requested_by_school=data["to_school"],
                    reason=details_form.cleaned_data["reason"],
                    effective_date=details_form.cleaned_data["effective_date"],
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Đã gửi đề nghị chuyển trường; chờ trường chuyển đi duyệt."))
                return redirect("directory:transfer_detail", pk=transfer.pk)
    invalid = request.method == "POST" and (errors or find_form.errors or details_form.errors)
    context = {"find_form": find_form, "details_form": details_form, "match": match, "errors": errors}
    status = 429 if throttled else 400 if invalid else 200
    return render(request, "directory/transfer_request_in.html", context, status=status)


@login_required
@require_perm(Perm.CHANGE_STUDENT)
def transfer_request_out(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The source school sends one of its students to another school."""
    student = get_scoped_or_404(
        Student.objects.select_related("school"), request.user, Perm.CHANGE_STUDENT, pk=student_pk
    )
    form = RequestOutForm(request.POST or None, student=student)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.transfer_request(
                actor=request.user,
                student=student,
                to_school=form.cleaned_data["to_school"],
                requested_by_school=student.school,
                reason=form.cleaned_data["reason"],
                effective_date=form.cleaned_data["effective_date"],
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Đã gửi đề nghị chuyển trường; chờ trường chuyển đến duyệt."))
            return redirect("directory:transfer_detail", pk=transfer.pk)
    invalid = request.method == "POST" and (errors or form.errors)
    context = {"form": form, "student": student, "errors": errors}
    return render(request, "directory/transfer_request_out.html", context, status=400 if invalid else 200)


def _detail_context(request: HttpRequest, transfer: Transfer, **extra: Any) -> dict[str, Any]:
    return {
        "transfer": transfer,
        "history": transfers.transfer_history(user=request.user, transfer=transfer),
        "deciding_school": transfers.deciding_school(transfer),
        "can_decide": transfers.can_decide(request.user, transfer),
        "can_cancel": transfers.can_cancel(request.user, transfer),
        "can_unschedule": transfers.can_unschedule(request.user, transfer),
        "student_visible": scoped(
            Student.objects.filter(pk=transfer.student_id), request.user, Perm.VIEW_STUDENT
        ).exists(),
        "decision_form": extra.pop("decision_form", None) or DecisionForm(),
        **extra,
    }


@login_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.transfer_get(user=request.user, pk=pk)
    return render(request, "directory/transfer_detail.html", _detail_context(request, transfer))


def _unschedule(*, actor: Any, transfer: Transfer, note: str) -> Transfer:
    """Cancels an approved transfer before its day, through its scheduled change (one write path)."""
    change = ScheduledChange.objects.filter(transfer=transfer).first()
    if change is None:
        raise ValidationError(_("Đề nghị này không có lịch chuyển nào để hủy."))
    services.scheduled_change_cancel(actor=actor, change=change, reason=note)
    transfer.refresh_from_db()
    return transfer


ACTIONS = {
    "approve": (transfers.transfer_approve, gettext_lazy("Đã duyệt: học sinh đã chuyển sang trường mới.")),
    "reject": (transfers.transfer_reject, gettext_lazy("Đã từ chối đề nghị chuyển trường.")),
    "cancel": (transfers.transfer_cancel, gettext_lazy("Đã hủy đề nghị chuyển trường.")),
    "unschedule": (_unschedule, gettext_lazy("Đã hủy chuyển trường đã lên lịch; học sinh ở lại trường cũ.")),
}


@login_required
@require_POST
def transfer_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    transfer = transfers.transfer_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        service, done = ACTIONS[action]
        try:
            result = service(actor=request.user, transfer=transfer, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
        else:
            if result.status == TransferStatus.SCHEDULED:
                done = gettext_lazy(
                    "Đã duyệt: học sinh sẽ chuyển vào ngày %(date)s; đến ngày đó hồ sơ vẫn ở trường cũ."
                ) % {"date": f"{result.effective_date:%d/%m/%Y}"}
            messages.success(request, str(done))
            return redirect("directory:transfer_detail", pk=transfer.pk)
    transfer.refresh_from_db()
    context = _detail_context(request, transfer, decision_form=form, errors=errors)
    return render(request, "directory/transfer_detail.html", context, status=400)
