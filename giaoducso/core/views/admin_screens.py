"""Screens of the organisation: units and the audit log (accounts: views/accounts.py). Each is parse → selector → render."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .. import audit, exports, selectors
from ..forms import DayMonthYearField
from ..models import AuditAction, Unit, UnitKind
from ..paging import page_of
from ..roles import Perm
from ..scoping import get_scoped_or_404
from .decorators import require_perm


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả")), *UnitKind.choices]
    )


@login_required
@require_perm(Perm.VIEW_UNIT)
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(user=request.user, kind=filters.get("kind", ""), q=filters.get("q", ""))
    return render(request, "core/unit_list.html", {"form": form, "page": page_of(request, units)})


@login_required
@require_perm(Perm.VIEW_UNIT)
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.select_related("parent"), request.user, Perm.VIEW_UNIT, code=code)
    children = selectors.unit_list(user=request.user).filter(parent=unit)
    return render(request, "core/unit_detail.html", {"unit": unit, "children": children})


class AuditFilterForm(forms.Form):
    date_from = DayMonthYearField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y"])
    date_to = DayMonthYearField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y"])
    action = forms.ChoiceField(
        label=_("Hành động"), required=False, choices=[("", _("Tất cả")), *AuditAction.choices]
    )
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=100)
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(placeholder="dd/mm/yyyy", inputmode="numeric")
            self.fields[name].error_messages["invalid"] = _("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/09/2026.")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


@login_required
@require_perm(Perm.VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    status = 200
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_list(user=request.user, **{k: v for k, v in filters.items() if v})
    if form.is_bound and form.errors:
        # A filter that cannot hold (an end before its start) finds nothing: listing the whole log
        # under it would read as its answer.
        entries = entries.none()
        status = 400
    page = page_of(request, entries.select_related("unit"))
    names = audit.NameCache()
    for entry in page:
        # Verbose names, choice labels and objects' names, as the export says them (audit.describe_changes).
        entry.described = audit.describe_changes(entry, names)
        entry.type_label = audit.object_type_label(entry.object_type)
    context = {
        "form": form,
        "page": page,
        "object_types": selectors.audit_object_types(user=request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "core/audit_list.html", context, status=status)


def _active_unit(request: HttpRequest) -> Unit | None:
    membership = getattr(request.user, "active_membership", None)
    return membership.unit if membership else None


@login_required
@require_perm(Perm.VIEW_UNIT)
def unit_export(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(user=request.user, kind=filters.get("kind", ""), q=filters.get("q", ""))
    columns = [
        (_("Mã đơn vị"), lambda u: u.code),
        (_("Tên đơn vị"), lambda u: u.name),
        (_("Loại"), lambda u: u.get_kind_display()),
        (_("Mã đơn vị cấp trên"), lambda u: u.parent.code if u.parent else ""),
        (_("Đang hoạt động"), lambda u: _("Có") if u.is_active else _("Không")),
    ]
    return exports.xlsx_response(
        actor=request.user,
        what="core.unit",
        filename="don-vi",
        columns=columns,
        rows=units.iterator(),
        unit=_active_unit(request),
    )
