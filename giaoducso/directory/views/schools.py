"""Schools: the list, a school's record and its counts, its edit form; the school-year calendar."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core import exports
from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..forms import SchoolFilterForm, SchoolForm, SchoolYearForm, TermForm, apply_service_errors
from ..models import School, SchoolYear
from .listing import ListRequest, export_table, export_url, table, yes_no


def _filtered(request: HttpRequest, perm: str = Perm.VIEW_SCHOOL):  # type: ignore[no-untyped-def]
    form = SchoolFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    schools = selectors.school_list(
        user=request.user,
        q=filters.get("q", ""),
        level=filters.get("level", ""),
        ownership=filters.get("ownership", ""),
        ward=filters.get("ward", ""),
        status=filters.get("status", ""),
        perm=perm,
    )
    return form, schools


@login_required
@require_perm(Perm.VIEW_SCHOOL)
def school_list(request: HttpRequest) -> HttpResponse:
    form, schools = _filtered(request)
    context = {
        "form": form,
        "page": page_of(request, schools),
        "export_url": export_url(request, reverse("directory:school_export")),
        "may_manage_years": may_manage_years(request.user),
    }
    return render(request, "directory/school_list.html", context)


def school_table(user: Any, params: dict[str, str]) -> exports.Table:
    request = ListRequest(user, params)
    _form, schools = _filtered(request)
    columns = [
        (_("Mã trường"), lambda s: s.unit.code),
        (_("Tên trường"), lambda s: s.unit.name),
        (_("Cấp học"), lambda s: s.get_level_display()),
        (_("Loại hình"), lambda s: s.get_ownership_display()),
        (_("Phường/xã"), lambda s: s.ward.name if s.ward else s.ward_name),
        (_("Địa chỉ"), lambda s: s.address),
        (_("Điện thoại"), lambda s: s.phone),
        (_("Thư điện tử"), lambda s: s.email),
        (_("Hiệu trưởng"), lambda s: s.principal_name),
        (_("Lãnh đạo phụ trách CNTT"), lambda s: s.it_leader_name),
        (_("Có vị trí nhân viên CNTT"), lambda s: yes_no(s.has_it_staff_position)),
        (_("Trạng thái"), lambda s: s.get_status_display()),
    ]
    return table(
        request,
        title=_("Danh sách trường học"),
        what="directory.school",
        filename="truong-hoc",
        columns=columns,
        rows=schools,
    )


@login_required
@require_perm(Perm.EXPORT_DATA)
def school_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, "directory.schools", view_perm=Perm.VIEW_SCHOOL)


@login_required
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_get(user=request.user, code=code)
    unit = school.unit
    context = {
        "school": school,
        "counts": selectors.school_counts(school=school),
        "can_edit": has_perm(request.user, Perm.CHANGE_SCHOOL, unit),
        "can_add_student": has_perm(request.user, Perm.CHANGE_STUDENT, unit),
        "can_add_staff": has_perm(request.user, Perm.CHANGE_STAFF, unit),
        "sees_students": has_perm(request.user, Perm.VIEW_STUDENT, unit),
        "sees_staff": has_perm(request.user, Perm.VIEW_STAFF, unit),
        "current_year": selectors.current_year_for(unit),
    }
    return render(request, "directory/school_detail.html", context)


@login_required
def school_edit(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    form = SchoolForm(request.POST or None, instance=school, initial={"name": school.unit.name})
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "name"}
        # The form validated a copy; reload so the service diffs against what is stored.
        school = School.objects.select_related("unit").get(pk=school.pk)
        try:
            services.school_update(
                actor=request.user, school=school, name=form.cleaned_data["name"], **changed
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin trường."))
            return redirect("directory:school_detail", code=school.unit.code)
    status = 400 if form.errors else 200
    return render(request, "directory/school_edit.html", {"form": form, "school": school}, status=status)


# --- school years and terms ---------------------------------------------------------------------


def may_manage_years(user: object) -> bool:
    """Whether the calendar screen opens (department roles); what it lets change is decided per year."""
    return selectors.may_open_calendar(user)


def _year_context(
    request: HttpRequest,
    year_form: SchoolYearForm | None = None,
    bound: TermForm | None = None,
    bound_year: SchoolYear | None = None,
) -> dict[str, object]:
    years = list(selectors.year_list(user=request.user).prefetch_related("terms"))
    # The years whose calendar the user governs (their Sở's): only those get buttons and forms.
    managed = set(
        scoped(
            SchoolYear.objects.filter(pk__in=[y.pk for y in years]), request.user, Perm.MANAGE_CALENDAR
        ).values_list("pk", flat=True)
    )
    units = selectors.calendar_units_for(request.user)
    if year_form is None and units:
        year_form = SchoolYearForm(prefix="year", units=units)
    # One term form per year, each with its own prefix so that field ids stay unique on the page.
    term_forms = [
        (
            year,
            bound
            if bound_year is not None and year.pk == bound_year.pk
            else TermForm(prefix=f"term{year.pk}"),
        )
        for year in years
        if year.pk in managed
    ]
    return {
        "years": years,
        "managed": managed,
        "year_form": year_form,
        "term_forms": term_forms,
        "several_calendars": len({y.unit_id for y in years}) > 1,
    }


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    if not may_manage_years(request.user):
        raise Http404
    units = selectors.calendar_units_for(request.user)
    year_form = None
    if request.method == "POST":
        if not units:
            raise Http404
        year_form = SchoolYearForm(request.POST, prefix="year", units=units)
        if year_form.is_valid():
            try:
                year = services.school_year_create(actor=request.user, **year_form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(year_form, exc)
            else:
                messages.success(request, _("Đã tạo năm học %(name)s.") % {"name": year.name})
                return redirect("directory:year_list")
    context = _year_context(request, year_form=year_form)
    status = 400 if year_form is not None and year_form.errors else 200
    return render(request, "directory/year_list.html", context, status=status)


@login_required
@require_POST
def year_set_current(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped on the year's calendar unit (the Sở): a Phòng or a school, or another province, gets 404.
    year = selectors.year_get(user=request.user, pk=pk)
    services.school_year_set_current(actor=request.user, year=year)
    messages.success(request, _("Năm học hiện tại là %(name)s.") % {"name": year.name})
    return redirect("directory:year_list")


@login_required
@require_POST
def year_term_set(request: HttpRequest, pk: int) -> HttpResponse:
    year = selectors.year_get(user=request.user, pk=pk)
    form = TermForm(request.POST, prefix=f"term{year.pk}")
    if form.is_valid():
        try:
            services.term_set(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu học kì của năm học %(name)s.") % {"name": year.name})
            return redirect("directory:year_list")
    return render(
        request, "directory/year_list.html", _year_context(request, bound=form, bound_year=year), status=400
    )
