"""Classes of a school per school year: list with student counts, detail with its students, create/edit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from giaoducso.core import audit, exports
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import class_print as printing
from .. import selectors, services
from ..forms import ClassCreateForm, ClassFilterForm, ClassForm, apply_service_errors
from .listing import ListRequest, export_table, export_url, table


def _filtered(request: HttpRequest, perm: str = Perm.VIEW_SCHOOL):  # type: ignore[no-untyped-def]
    form = ClassFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year")
    classes = selectors.class_list(
        user=request.user,
        school_code=filters.get("school", ""),
        year=year,
        grade=filters.get("grade"),
        q=filters.get("q", ""),
        perm=perm,
    )
    if year is None:
        # Each school's own current year (its province's), whichever provinces the list spans; the
        # heading names it when the user works in one calendar.
        classes = classes.filter(year__is_current=True)
        year = selectors.current_year_for_user(request.user)
    return form, classes, year, filters.get("school", "")


@login_required
@require_perm(Perm.VIEW_SCHOOL)
def class_list(request: HttpRequest) -> HttpResponse:
    form, classes, year, school_code = _filtered(request)
    school = None
    if school_code:
        school = selectors.school_list(user=request.user).filter(unit__code=school_code).first()
    context = {
        "form": form,
        "page": page_of(request, classes),
        "year": year,
        "school": school,
        "can_add": school is not None and has_perm(request.user, Perm.CHANGE_SCHOOL, school.unit),
        "export_url": export_url(request, reverse("directory:class_export")),
    }
    return render(request, "directory/class_list.html", context)


def class_table(user: Any, params: dict[str, str]) -> exports.Table:
    request = ListRequest(user, params)
    _form, classes, _year, school_code = _filtered(request)
    columns = [
        (_("Mã trường"), lambda c: c.school.code),
        (_("Trường"), lambda c: c.school.name),
        (_("Năm học"), lambda c: c.year.name),
        (_("Khối"), lambda c: c.grade),
        (_("Lớp"), lambda c: c.name),
        (_("Sĩ số"), lambda c: c.student_count),
        (_("Giáo viên chủ nhiệm"), lambda c: c.homeroom_teacher.full_name if c.homeroom_teacher else ""),
        (_("Phòng học"), lambda c: c.room.name if c.room else ""),
    ]
    return table(
        request,
        title=_("Danh sách lớp"),
        what="directory.schoolclass",
        filename="lop-hoc",
        columns=columns,
        rows=classes,
        school_code=school_code,
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def class_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, "directory.classes", view_perm=Perm.VIEW_SCHOOL)


def _may_print(user: Any, school_class: Any) -> bool:
    """The printed list is an export of the class's pupils: for who may see them and export there."""
    school = school_class.school
    return has_perm(user, Perm.VIEW_STUDENT, school) and has_perm(user, Perm.EXPORT_DATA, school)


@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = selectors.class_get(user=request.user, pk=pk)
    # The class is school data; its pupils are personal data, read under their own permission.
    students = scoped(selectors.class_students(school_class=school_class), request.user, Perm.VIEW_STUDENT)
    context = {
        "school_class": school_class,
        "students": students,
        "can_edit": has_perm(request.user, Perm.CHANGE_SCHOOL, school_class.school),
        "can_print": _may_print(request.user, school_class),
    }
    return render(request, "directory/class_detail.html", context)


@login_required
def class_print(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The class list ("Danh sách lớp") ready to print and sign, as PDF or XLSX; audited as an export of the pupils."""
    school_class = selectors.class_get(user=request.user, pk=pk)
    if fmt not in ("pdf", "xlsx") or not _may_print(request.user, school_class):
        raise Http404
    sheet = printing.class_sheet(school_class, printing.pupils_of(school_class, request.user))
    if fmt == "pdf":
        content, mime = printing.class_list_pdf(sheet), "application/pdf"
    else:
        content, mime = printing.class_list_xlsx(sheet), exports.XLSX_MIME
    audit.record_export(
        actor=request.user,
        what="directory.student",
        unit=school_class.school,
        rows=len(sheet.rows),
        fmt=fmt,
        note=_("Danh sách lớp %(name)s") % {"name": school_class.name},
    )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename}.{fmt}"'
    return response


@login_required
def class_create(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_unit_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    form = ClassCreateForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            school_class = services.class_create(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo lớp %(name)s.") % {"name": school_class.name})
            return redirect("directory:class_detail", pk=school_class.pk)
    context = {"form": form, "school": school, "school_class": None}
    return render(request, "directory/class_form.html", context, status=400 if form.errors else 200)


@login_required
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = selectors.class_get(user=request.user, pk=pk, perm=Perm.CHANGE_SCHOOL)
    initial = {
        "name": school_class.name,
        "homeroom_teacher": school_class.homeroom_teacher_id,
        "room": school_class.room_id,
    }
    form = ClassForm(request.POST or None, initial=initial, school=school_class.school)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.class_update(actor=request.user, school_class=school_class, **changed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            school_class.refresh_from_db()  # the service set the refused values on this instance
        else:
            messages.success(request, _("Đã lưu lớp %(name)s.") % {"name": school_class.name})
            return redirect("directory:class_detail", pk=school_class.pk)
    context = {"form": form, "school": school_class.school, "school_class": school_class}
    return render(request, "directory/class_form.html", context, status=400 if form.errors else 200)
