"""Staff (cán bộ, giáo viên, nhân viên): list, detail with the schools they work at, create, edit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core import exports
from giaoducso.core.models import Unit
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..forms import StaffAssignForm, StaffCreateForm, StaffFilterForm, StaffForm, apply_service_errors
from ..models import SchoolClass, Staff
from .listing import ListRequest, export_table, export_url, table


def _filtered(request: HttpRequest, perm: str = Perm.VIEW_STAFF):  # type: ignore[no-untyped-def]
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    staff = selectors.staff_list(
        user=request.user,
        school_code=filters.get("school", ""),
        q=filters.get("q", ""),
        position=filters.get("position", ""),
        status=filters.get("status", ""),
        perm=perm,
    )
    return form, staff, filters.get("school", "")


@login_required
@require_perm(Perm.VIEW_STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    form, staff, school_code = _filtered(request)
    school = None
    if school_code:
        school = Unit.objects.filter(code=school_code, kind="school").first()
    context = {
        "form": form,
        "page": page_of(request, staff),
        "school": school,
        "can_add": school is not None and has_perm(request.user, Perm.CHANGE_STAFF, school),
        "export_url": export_url(request, reverse("directory:staff_export")),
    }
    return render(request, "directory/staff_list.html", context)


def staff_table(user: Any, params: dict[str, str]) -> exports.Table:
    request = ListRequest(user, params)
    _form, staff, school_code = _filtered(request)
    columns = [
        (_("Mã trường"), lambda s: s.school.code),
        (_("Họ và tên"), lambda s: s.full_name),
        (_("Số định danh cá nhân"), lambda s: s.personal_id),
        (_("Giới tính"), lambda s: s.get_sex_display()),
        (_("Ngày sinh"), lambda s: s.date_of_birth),
        (_("Vị trí việc làm"), lambda s: s.position_name),
        (_("Loại hợp đồng/biên chế"), lambda s: s.employment_type_name),
        (_("Trình độ chuyên môn"), lambda s: s.qualification_name),
        (_("Môn dạy"), lambda s: s.subjects),
        (_("Điện thoại"), lambda s: s.phone),
        (_("Thư điện tử"), lambda s: s.email),
        (_("Trạng thái"), lambda s: s.get_status_display()),
    ]
    return table(
        request,
        title=_("Danh sách cán bộ, giáo viên, nhân viên"),
        what="directory.staff",
        filename="can-bo-giao-vien",
        columns=columns,
        rows=staff,
        school_code=school_code,
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def staff_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, "directory.staff", view_perm=Perm.VIEW_STAFF)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.staff_get(user=request.user, pk=pk)
    assignments = person.assignments.select_related("school").order_by("-is_main", "school__code")
    homeroom = SchoolClass.objects.filter(homeroom_teacher=person, year__is_current=True).select_related(
        "school"
    )
    can_edit = has_perm(request.user, Perm.CHANGE_STAFF, person.school)
    context = {
        "person": person,
        "assignments": assignments,
        "homeroom": homeroom,
        "can_edit": can_edit,
        "assign_form": StaffAssignForm(prefix="assign") if can_edit else None,
    }
    return render(request, "directory/staff_detail.html", context)


def _fields(form: StaffForm, names: list[str]) -> dict[str, object]:
    return {name: form.cleaned_data[name] for name in names}


@login_required
def staff_create(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_unit_get(user=request.user, code=code, perm=Perm.CHANGE_STAFF)
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.staff_create(
                actor=request.user,
                school=school,
                personal_id=data.pop("personal_id"),
                full_name=data.pop("full_name"),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": person.full_name})
            return redirect("directory:staff_detail", pk=person.pk)
    context = {"form": form, "school": school, "person": None}
    return render(request, "directory/staff_form.html", context, status=400 if form.errors else 200)


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.staff_get(user=request.user, pk=pk, perm=Perm.CHANGE_STAFF)
    initial = {name: getattr(person, name) for name in StaffForm.base_fields}
    form = StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=request.user, staff=person, **_fields(form, form.changed_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
            person = Staff.objects.select_related("school").get(pk=person.pk)
        else:
            messages.success(request, _("Đã lưu thông tin %(name)s.") % {"name": person.full_name})
            return redirect("directory:staff_detail", pk=person.pk)
    context = {"form": form, "school": person.school, "person": person}
    return render(request, "directory/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.staff_get(user=request.user, pk=pk, perm=Perm.CHANGE_STAFF)
    form = StaffAssignForm(request.POST, prefix="assign")
    if form.is_valid():
        # The second school must be one the user may also change: a principal cannot post staff elsewhere.
        target = scoped(Unit.objects.filter(kind="school"), request.user, Perm.CHANGE_STAFF).filter(
            code=form.cleaned_data["school"]
        )
        school = target.first()
        if school is None:
            form.add_error("school", _("Không tìm thấy trường này trong phạm vi bạn quản lý."))
        else:
            try:
                services.staff_assign(
                    actor=request.user, staff=person, school=school, position=form.cleaned_data["position"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Đã phân công thêm tại %(school)s.") % {"school": school.name})
                return redirect("directory:staff_detail", pk=person.pk)
    assignments = person.assignments.select_related("school").order_by("-is_main", "school__code")
    context = {
        "person": person,
        "assignments": assignments,
        "homeroom": SchoolClass.objects.none(),
        "can_edit": True,
        "assign_form": form,
    }
    return render(request, "directory/staff_detail.html", context, status=400)
