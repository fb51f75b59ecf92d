from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import exports, selectors, services
from ..forms import (
    GuardianForm,
    StudentClassForm,
    StudentCreateForm,
    StudentFilterForm,
    StudentForm,
    StudentStatusForm,
    apply_service_errors,
)
from ..models import Enrolment, Guardian, ScheduledChange, Student, StudentStatusEvent
from . import student_changes
from .listing import export_table, export_url


@login_required
@require_perm(Perm.VIEW_STUDENT)
def student_list(request: HttpRequest) -> HttpResponse:
    form = StudentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    students = selectors.student_list(
        user=request.user, q=filters.get("q", ""), school_code=filters.get("school", "")
    )
    context = {
        "form": form,
        "page": page_of(request, students),
        "export_url": student_list_export_url(request),
    }
    return render(request, "directory/student_list.html", context)


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk)
    services.student_record_viewed(actor=request.user, student=student)
    # Status history, class history, guardians and the change forms (see _detail_context below).
    return render(request, "directory/student_detail.html", _detail_context(request, student))


@login_required
def student_edit(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = StudentForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form validated a copy; reload so the service diffs against what is stored.
        student.refresh_from_db()
        try:
            services.student_update(actor=request.user, student=student, **changed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin học sinh."))
            return redirect("directory:student_detail", pk=student.pk)
    status = 400 if form.errors else 200
    return render(request, "directory/student_edit.html", {"form": form, "student": student}, status=status)


# --- create, class and status changes, guardians -------------------------------------------------


@login_required
@require_perm(Perm.EXPORT_DATA)
def student_export(request: HttpRequest) -> HttpResponse:
    return export_table(request, exports.STUDENTS, view_perm=Perm.VIEW_STUDENT)


def student_list_export_url(request: HttpRequest) -> str:
    return export_url(request, reverse("directory:student_export"))


@login_required
def student_create(request: HttpRequest, code: str) -> HttpResponse:
    school = selectors.school_unit_get(user=request.user, code=code, perm=Perm.CHANGE_STUDENT)
    form = StudentCreateForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            student = services.student_create(
                actor=request.user,
                school=school,
                personal_id=data.pop("personal_id", ""),
                full_name=data.pop("full_name"),
                date_of_birth=data.pop("date_of_birth"),
                sex=data.pop("sex"),
                school_class=data.pop("school_class", None),
                start_date=data.pop("start_date", None),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm học sinh %(name)s.") % {"name": student.full_name})
            return redirect("directory:student_detail", pk=student.pk)
    context = {"form": form, "school": school}
    return render(request, "directory/student_create.html", context, status=400 if form.errors else 200)


def _detail_context(request: HttpRequest, student: Student) -> dict[str, object]:
    user = request.user
    # Which fields this user sees is decided in selectors.privacy, the same rule as the API and exports.
    visibility = selectors.student_visibility(user=user, student=student)
    events = scoped(StudentStatusEvent.objects.filter(student=student), user, Perm.VIEW_STUDENT).order_by(
        "-date", "-id"
    )
    enrolments = (
        scoped(Enrolment.objects.filter(student=student), user, Perm.VIEW_STUDENT)
        .select_related("school_class", "year")
        .order_by("-start_date", "-id")
    )
    can_change = has_perm(user, Perm.CHANGE_STUDENT, student.school)
    shows_record = visibility.shows("scheduled_changes")
    return {
        **student_changes.detail_context(request, student, shows_record=shows_record),
        "student": student,
        "visibility": visibility,
        "events": events if visibility.shows("status_history") else None,
        "enrolments": enrolments if visibility.shows("enrolments") else None,
        "guardians": student.guardians.all() if visibility.shows("guardians") else None,
        "can_change": can_change,
        "class_form": StudentClassForm(prefix="cls", school=student.school) if can_change else None,
        "status_form": StudentStatusForm(prefix="st") if can_change else None,
    }


@login_required
@require_POST
def student_set_class(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = StudentClassForm(request.POST, prefix="cls", school=student.school)
    if form.is_valid():
        try:
            services.student_set_class(
                actor=request.user,
                student=student,
                school_class=form.cleaned_data["school_class"],
                date=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã chuyển học sinh sang lớp %(name)s.") % {"name": student.current_class}
            )
            return redirect("directory:student_detail", pk=student.pk)
    student.refresh_from_db()
    context = {**_detail_context(request, student), "class_form": form}
    return render(request, "directory/student_detail.html", context, status=400)


@login_required
@require_POST
def student_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = StudentStatusForm(request.POST, prefix="st")
    if form.is_valid():
        try:
            done = services.student_set_status(actor=request.user, student=student, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if isinstance(done, ScheduledChange):
                messages.success(
                    request,
                    _("Đã lên lịch: trạng thái sẽ đổi vào ngày %(date)s; có thể hủy trước ngày đó.")
                    % {"date": f"{done.date:%d/%m/%Y}"},
                )
            else:
                messages.success(request, _("Đã cập nhật trạng thái học sinh."))
            return redirect("directory:student_detail", pk=student.pk)
    context = {**_detail_context(request, student), "status_form": form}
    return render(request, "directory/student_detail.html", context, status=400)


@login_required
def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_add(actor=request.user, student=student, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cha mẹ/người giám hộ."))
            return redirect("directory:student_detail", pk=student.pk)
    context = {"form": form, "student": student, "guardian": None}
    return render(request, "directory/student_guardian.html", context, status=400 if form.errors else 200)


def _guardian(request: HttpRequest, pk: int, guardian_pk: int) -> Guardian:
    return get_scoped_or_404(
        Guardian.objects.select_related("student", "school"),
        request.user,
        Perm.CHANGE_STUDENT,
        pk=guardian_pk,
        student_id=pk,
    )


@login_required
def guardian_edit(request: HttpRequest, pk: int, guardian_pk: int) -> HttpResponse:
    guardian = _guardian(request, pk, guardian_pk)
    initial = {name: getattr(guardian, name) for name in GuardianForm.base_fields}
    form = GuardianForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.guardian_update(actor=request.user, guardian=guardian, **changed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cha mẹ/người giám hộ."))
            return redirect("directory:student_detail", pk=pk)
    context = {"form": form, "student": guardian.student, "guardian": guardian}
    return render(request, "directory/student_guardian.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def guardian_remove(request: HttpRequest, pk: int, guardian_pk: int) -> HttpResponse:
    guardian = _guardian(request, pk, guardian_pk)
    services.guardian_remove(actor=request.user, guardian=guardian)
    messages.success(request, _("Đã xóa cha mẹ/người giám hộ khỏi hồ sơ."))
    return redirect("directory:student_detail", pk=pk)
