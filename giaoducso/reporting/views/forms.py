"""The form builder: a department makes a report form in the browser, field by field (or as JSON)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404
from giaoducso.core.views.decorators import require_perm
from rules.report_forms import COLUMN_TYPES, FIELD_TYPES, FILE_KINDS, PREFILL_SOURCES, parse_schema

from .. import selectors, services
from ..models import ReportForm
from ..services.forms import latest_version
from .common import acting_unit_or_404, acting_units, errors_of, key_from_label

TYPE_LABELS = {
    "text": gettext_lazy("Văn bản"),
    "number": gettext_lazy("Số"),
    "date": gettext_lazy("Ngày"),
    "choice": gettext_lazy("Chọn một"),
    "multi": gettext_lazy("Chọn nhiều"),
    "yesno": gettext_lazy("Có/Không"),
    "file": gettext_lazy("Tệp đính kèm"),
    "table": gettext_lazy("Bảng"),
    "computed": gettext_lazy("Tính từ chỉ tiêu khác"),
}
PREFILL_LABELS = {
    "students": gettext_lazy("Số học sinh"),
    "classes": gettext_lazy("Số lớp"),
    "staff": gettext_lazy("Số cán bộ, giáo viên, nhân viên"),
    "teachers": gettext_lazy("Số giáo viên"),
    "computers": gettext_lazy("Số máy tính"),
    "computers_working": gettext_lazy("Số máy tính dùng được"),
    "cameras": gettext_lazy("Số camera"),
    "websites": gettext_lazy("Số website"),
    "bandwidth_mbps": gettext_lazy("Băng thông (Mbps)"),
    "has_fibre": gettext_lazy("Có cáp quang"),
    "it_leader": gettext_lazy("Lãnh đạo phụ trách CNTT"),
}


@login_required
@require_perm(Perm.MANAGE_REPORTS)
def form_list(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        owner = acting_unit_or_404(request, Perm.MANAGE_REPORTS)
        try:
            form = services.form_create(
                actor=request.user,
                owner=owner,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(request, _("Đã tạo biểu mẫu. Hãy thêm các chỉ tiêu."))
            return redirect("reporting:form_detail", pk=form.pk)
    forms = selectors.form_list(user=request.user)
    context = {"forms": forms, "errors": errors, "owners": acting_units(request.user, Perm.MANAGE_REPORTS)}
    return render(request, "reporting/form_list.html", context, status=422 if errors else 200)


def _field_from_post(post: Any, taken: set[str]) -> dict[str, Any]:
    kind = post.get("type", "")
    label = post.get("label", "").strip()
    field: dict[str, Any] = {
        "key": post.get("key", "").strip() or key_from_label(label, taken),
        "label": label,
        "type": kind,
        "required": post.get("required") == "on",
    }
    for name in ("help", "unit", "formula", "prefill"):
        if post.get(name, "").strip():
            field[name] = post.get(name).strip()
    for name in ("min", "max", "max_rows"):
        if post.get(name, "").strip():
            field[name] = post.get(name).strip()
    if post.get("integer") == "on":
        field["integer"] = True
    if kind in ("choice", "multi"):
        field["choices"] = post.get("choices", "")
    if kind == "table":
        columns, used = [], set()
        for line in post.get("columns", "").splitlines():
            name, _sep, ctype = line.partition("|")
            if name.strip():
                ckey = key_from_label(name.strip(), used)
                used.add(ckey)
                columns.append({"key": ckey, "label": name.strip(), "type": ctype.strip() or "text"})
        field["columns"] = columns
        field["rows"] = post.get("rows", "")
    if kind == "file":
        field["kinds"] = post.getlist("kinds")
    return field


@login_required
@require_perm(Perm.MANAGE_REPORTS)
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_scoped_or_404(
        ReportForm.objects.select_related("owner"), request.user, Perm.MANAGE_REPORTS, pk=pk
    )
    version = latest_version(form)
    errors: dict[str, list[str]] = {}
    json_text = json.dumps(version.schema, ensure_ascii=False, indent=2)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                parsed, _problems = parse_schema(version.schema)
                taken = {f.key for f in parsed.fields()} if parsed else set()
                services.form_add_field(
                    actor=request.user,
                    form=form,
                    section=request.POST.get("section", ""),
                    field=_field_from_post(request.POST, taken),
                )
                messages.success(request, _("Đã thêm chỉ tiêu."))
            elif action == "remove":
                services.form_remove_field(actor=request.user, form=form, key=request.POST.get("key", ""))
                messages.success(request, _("Đã xóa chỉ tiêu."))
            elif action == "json":
                json_text = request.POST.get("schema", "")
                try:
                    data = json.loads(json_text)
                except ValueError:
                    raise ValidationError({"schema": _("Nội dung không phải JSON hợp lệ.")}) from None
                services.form_set_schema(actor=request.user, form=form, schema=data)
                messages.success(request, _("Đã lưu cấu trúc biểu mẫu."))
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except ValidationError as error:
            errors = errors_of(error)
        else:
            return redirect("reporting:form_detail", pk=form.pk)
    parsed, _problems = parse_schema(version.schema)
    context = {
        "form": form,
        "version": version,
        "schema": parsed,
        "errors": errors,
        "posted": request.POST if errors else {},
        "json_text": json_text,
        "types": [(t, TYPE_LABELS[t]) for t in FIELD_TYPES],
        "type_labels": TYPE_LABELS,
        "prefills": [(p, PREFILL_LABELS[p]) for p in PREFILL_SOURCES],
        "file_kinds": FILE_KINDS,
        "column_types": COLUMN_TYPES,
        "versions": form.versions.all(),
        # A new field goes on in the section the last one went to, unless the builder names another.
        "last_section": parsed.sections[-1].title if parsed and parsed.sections else "",
    }
    return render(request, "reporting/form_detail.html", context, status=422 if errors else 200)
