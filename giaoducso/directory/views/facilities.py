"""Facilities (cơ sở vật chất): rooms by kind with area and condition, equipment with quantities."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from giaoducso.core import exports
from giaoducso.core.models import Unit
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..forms import EquipmentFilterForm, EquipmentForm, RoomFilterForm, RoomForm, apply_service_errors
from .listing import ListRequest, export_table, export_url, table


def _school_of(request: HttpRequest, code: str) -> tuple[Unit | None, bool]:
    if not code:
        return None, False
    school = Unit.objects.filter(code=code, kind="school").first()
    return school, school is not None and has_perm(request.user, Perm.CHANGE_SCHOOL, school)


# --- rooms ----------------------------------------------------------------------------------------


def _rooms(request: HttpRequest, perm: str = Perm.VIEW_SCHOOL):  # type: ignore[no-untyped-def]
    form = RoomFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rooms = selectors.room_list(
        user=request.user,
        school_code=filters.get("school", ""),
        kind=filters.get("kind", ""),
        condition=filters.get("condition", ""),
        perm=perm,
    )
    return form, rooms, filters.get("school", "")


@login_required
@require_perm(Perm.VIEW_SCHOOL)
def room_list(request: HttpRequest) -> HttpResponse:
    form, rooms, school_code = _rooms(request)
    school, can_add = _school_of(request, school_code)
    context = {
        "form": form,
        "page": page_of(request, rooms),
        "school": school,
        "can_add": can_add,
        "can_change": has_perm(request.user, Perm.CHANGE_SCHOOL),
        "export_url": export_url(request, reverse("directory:room_export")),
    }
    return render(request, "directory/room_list.html", context)


def room_table(user: Any, params: dict[str, str]) -> exports.Table:
    request = ListRequest(user, params)
    _form, rooms, school_code = _rooms(request)
    columns = [
        (_("Mã trường"), lambda r: r.school.code),
        (_("Trường"), lambda r: r.school.name),
        (_("Tên phòng"), lambda r: r.name),
        (_("Loại phòng"), lambda r: r.get_kind_display()),
        (_("Diện tích (m²)"), lambda r: float(r.area_m2) if r.area_m2 is not None else ""),
        (_("Tình trạng"), lambda r: r.get_condition_display()),
        (_("Số thiết bị"), lambda r: r.equipment_count),
    ]
    return table(
        request,
        title=_("Danh sách phòng"),
        what="directory.room",
        filename="phong-hoc",
        columns=columns,
        rows=rooms,
        school_code=school_code,
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def room_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, "directory.rooms", view_perm=Perm.VIEW_SCHOOL)


@login_required
def room_create(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_unit_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm phòng %(name)s.") % {"name": room.name})
            return redirect(f"{reverse('directory:room_list')}?school={school.code}")
    context = {"form": form, "school": school, "room": None}
    return render(request, "directory/room_form.html", context, status=400 if form.errors else 200)


@login_required
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.room_get(user=request.user, pk=pk, perm=Perm.CHANGE_SCHOOL)
    initial = {name: getattr(room, name) for name in RoomForm.base_fields}
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.room_update(actor=request.user, room=room, **changed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            room.refresh_from_db()
        else:
            messages.success(request, _("Đã lưu phòng %(name)s.") % {"name": room.name})
            return redirect(f"{reverse('directory:room_list')}?school={room.school.code}")
    context = {"form": form, "school": room.school, "room": room}
    return render(request, "directory/room_form.html", context, status=400 if form.errors else 200)


# --- equipment ------------------------------------------------------------------------------------


def _equipment(request: HttpRequest, perm: str = Perm.VIEW_SCHOOL):  # type: ignore[no-untyped-def]
    form = EquipmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.equipment_list(
        user=request.user,
        school_code=filters.get("school", ""),
        condition=filters.get("condition", ""),
        q=filters.get("q", ""),
        perm=perm,
    )
    return form, items, filters.get("school", "")


@login_required
@require_perm(Perm.VIEW_SCHOOL)
def equipment_list(request: HttpRequest) -> HttpResponse:
    form, items, school_code = _equipment(request)
    school, can_add = _school_of(request, school_code)
    context = {
        "form": form,
        "page": page_of(request, items),
        "school": school,
        "can_add": can_add,
        "can_change": has_perm(request.user, Perm.CHANGE_SCHOOL),
        "export_url": export_url(request, reverse("directory:equipment_export")),
    }
    return render(request, "directory/equipment_list.html", context)


def equipment_table(user: Any, params: dict[str, str]) -> exports.Table:
    request = ListRequest(user, params)
    _form, items, school_code = _equipment(request)
    columns = [
        (_("Mã trường"), lambda e: e.school.code),
        (_("Trường"), lambda e: e.school.name),
        (_("Tên thiết bị"), lambda e: e.name),
        (_("Số lượng"), lambda e: e.quantity),
        (_("Tình trạng"), lambda e: e.get_condition_display()),
        (_("Phòng"), lambda e: e.room.name if e.room else ""),
    ]
    return table(
        request,
        title=_("Danh sách thiết bị"),
        what="directory.equipment",
        filename="thiet-bi",
        columns=columns,
        rows=items,
        school_code=school_code,
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def equipment_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, "directory.equipment", view_perm=Perm.VIEW_SCHOOL)


@login_required
def equipment_create(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_unit_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    form = EquipmentForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.equipment_create(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm thiết bị %(name)s.") % {"name": item.name})
            return redirect(f"{reverse('directory:equipment_list')}?school={school.code}")
    context = {"form": form, "school": school, "item": None}
    return render(request, "directory/equipment_form.html", context, status=400 if form.errors else 200)


@login_required
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.equipment_get(user=request.user, pk=pk, perm=Perm.CHANGE_SCHOOL)
    initial = {
        "name": item.name,
        "quantity": item.quantity,
        "condition": item.condition,
        "room": item.room_id,
    }
    form = EquipmentForm(request.POST or None, initial=initial, school=item.school)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.equipment_update(actor=request.user, equipment=item, **changed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            item.refresh_from_db()
        else:
            messages.success(request, _("Đã lưu thiết bị %(name)s.") % {"name": item.name})
            return redirect(f"{reverse('directory:equipment_list')}?school={item.school.code}")
    context = {"form": form, "school": item.school, "item": item}
    return render(request, "directory/equipment_form.html", context, status=400 if form.errors else 200)
