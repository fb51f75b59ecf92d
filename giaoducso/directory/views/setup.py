"""The superuser's screen "Thiết lập đơn vị": the first run of a real deployment, as `setup_unit` does it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.forms import DayMonthYearField

from ..setup import DATE_FORMAT, SETUP_KINDS, default_school_year, unit_setup


class UnitSetupForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại đơn vị"), choices=[(k.value, k.label) for k in SETUP_KINDS]
    )
    code = forms.CharField(label=gettext_lazy("Mã đơn vị"), max_length=32)
    name = forms.CharField(label=gettext_lazy("Tên đơn vị"), max_length=255)
    parent_code = forms.CharField(
        label=gettext_lazy("Mã Sở GD&ĐT cấp trên"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("Để trống nếu đơn vị không có cấp trên trong hệ thống."),
    )
    parent_name = forms.CharField(
        label=gettext_lazy("Tên Sở GD&ĐT cấp trên"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Chỉ cần khi Sở chưa có trong hệ thống."),
    )
    school_year = forms.CharField(label=gettext_lazy("Năm học hiện tại"), max_length=9)
    start_date = DayMonthYearField(
        label=gettext_lazy("Ngày bắt đầu năm học"),
        required=False,
        input_formats=[DATE_FORMAT],
        help_text=gettext_lazy("dd/mm/yyyy; để trống: 5 tháng 9."),
    )
    end_date = DayMonthYearField(
        label=gettext_lazy("Ngày kết thúc năm học"),
        required=False,
        input_formats=[DATE_FORMAT],
        help_text=gettext_lazy("dd/mm/yyyy; để trống: 31 tháng 5."),
    )
    admin_username = forms.CharField(
        label=gettext_lazy("Tài khoản chuyên viên CNTT đầu tiên"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Tùy chọn: tạo tài khoản này với vai trò chuyên viên CNTT của đơn vị."),
    )
    admin_email = forms.EmailField(label=gettext_lazy("Thư điện tử của tài khoản"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["invalid"] = _("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/09/2026.")


@login_required
def unit_setup_view(request: HttpRequest) -> HttpResponse:
    # Creating the top of the tree is above every role: only a superuser, and others see no such page.
    if not (request.user.is_superuser and request.user.is_active):
        raise Http404
    form = UnitSetupForm(request.POST or None, initial={"school_year": default_school_year()})
    if request.method == "POST" and form.is_valid():
        try:
            result = unit_setup(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if result.created:
                messages.success(request, _("Đã tạo: %(items)s.") % {"items": "; ".join(result.created)})
            else:
                messages.info(request, _("Không có gì thay đổi: đơn vị và năm học đã có sẵn."))
            return redirect("core:unit_detail", code=result.unit.code)
    status = 400 if form.errors else 200
    return render(request, "directory/unit_setup.html", {"form": form}, status=status)
