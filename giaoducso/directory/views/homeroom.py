""" "Lớp của tôi": the homeroom teacher's classes of the current year with their pupils, the export of
them, and the guardians' phone numbers, which the homeroom teacher keeps up to date."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import exports
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..exports import audit_unit
from ..forms import apply_service_errors
from .listing import export_table, exportable

HOMEROOM_TABLE = "directory.homeroom"


class GuardianPhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Điện thoại"),
        max_length=20,
        error_messages={"required": gettext_lazy("Hãy nhập số điện thoại.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


@login_required
@require_perm(Perm.HOMEROOM)
def my_classes(request: HttpRequest) -> HttpResponse:
    classes = list(selectors.homeroom_classes(user=request.user))
    pupils: dict[int, list[Any]] = {c.pk: [] for c in classes}
    for student in selectors.homeroom_students(user=request.user):
        pupils[student.current_class_id].append(student)
    context = {
        "classes": [(c, pupils[c.pk]) for c in classes],
        "can_export": bool(classes) and has_perm(request.user, Perm.EXPORT_DATA),
    }
    return render(request, "directory/my_classes.html", context)


def homeroom_table(user: Any, params: dict[str, str]) -> exports.Table:
    """The pupils of the user's classes (one class with `lop`), with the guardians' phones."""
    class_id = params.get("lop") or None
    if class_id is not None and not str(class_id).isdigit():
        class_id = "0"
    students = exportable(selectors.homeroom_students(user=user, class_id=class_id), user)
    guarded = selectors.guarded

    def guardians(student: Any) -> str:
        return "; ".join(
            f"{g.full_name} ({g.relation}){' — ' + g.phone if g.phone else ''}"
            for g in student.guardians.all()
        )

    columns: list[exports.Column] = [
        (_("Lớp"), lambda s: s.current_class.name),
        (_("Họ và tên"), lambda s: s.full_name),
        (_("Ngày sinh"), lambda s: s.date_of_birth),
        (_("Giới tính"), lambda s: s.get_sex_display()),
        (_("Mã học sinh (Bộ)"), lambda s: s.ministry_code),
        (_("Số định danh cá nhân"), guarded("personal_id", lambda s: s.personal_id)),
        (_("Địa chỉ"), guarded("address", lambda s: s.address)),
        (_("Cha mẹ/người giám hộ, điện thoại"), guarded("guardians", guardians)),
        (_("Trạng thái"), lambda s: s.get_status_display()),
    ]
    return exports.Table(
        what="directory.student",
        title=_("Lớp của tôi"),
        filename="lop-cua-toi",
        columns=columns,
        rows=students,
        unit=audit_unit(user),
    )


@login_required
@require_perm(Perm.HOMEROOM)
def my_class_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, HOMEROOM_TABLE, view_perm=Perm.HOMEROOM)


@login_required
@require_perm(Perm.HOMEROOM)
def my_class_guardian_phone(request: HttpRequest, guardian_pk: int) -> HttpResponse:
    guardian = selectors.homeroom_guardian_get(user=request.user, pk=guardian_pk)
    form = GuardianPhoneForm(request.POST or None, initial={"phone": guardian.phone})
    if request.method == "POST" and form.is_valid():
        try:
            services.homeroom_guardian_set_phone(
                actor=request.user, guardian=guardian, phone=form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã lưu số điện thoại của %(name)s.") % {"name": guardian.full_name},
            )
            return redirect("directory:my_classes")
    context = {"form": form, "guardian": guardian, "student": guardian.student}
    return render(request, "directory/my_class_guardian.html", context, status=400 if form.errors else 200)
