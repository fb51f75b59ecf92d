"""Teaching assignments (phân công giảng dạy) for a school's leaders: the whole school at a glance (classes
by subjects, one grade at a time so that 40 classes stay readable), and one class's subjects with a teacher
picker each, saved through `teaching_assign` all at once."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass, Staff, StaffStatus
from giaoducso.directory.ordering import NAME_ORDER

from .. import services
from ..models import GradeSubject, TeachingAssignment
from .common import message_of, school_or_404


def school_staff(school: Unit) -> list[Staff]:
    """Who may be picked: the school's working staff, and those assigned to it from elsewhere."""
    return list(
        Staff.objects.filter(Q(school=school) | Q(assignments__school=school), status=StaffStatus.WORKING)
        .distinct()
        .order_by(*NAME_ORDER)
        .only("pk", "full_name", "subjects")
    )


@login_required
@require_perm(Perm.MANAGE_TEACHING)
def teaching_overview(request: HttpRequest, code: str) -> HttpResponse:
    school = school_or_404(request, code, Perm.MANAGE_TEACHING)
    classes = list(
        SchoolClass.objects.filter(school=school, year__is_current=True)
        .select_related("homeroom_teacher")
        .order_by("grade", "name")
    )
    grades = sorted({c.grade for c in classes})
    try:
        grade = int(request.GET.get("grade", ""))
    except ValueError:
        grade = grades[0] if grades else 0
    if grade not in grades:
        grade = grades[0] if grades else 0
    shown = [c for c in classes if c.grade == grade]
    subjects = [gs.subject for gs in GradeSubject.objects.filter(grade=grade).select_related("subject")]
    teachers: dict[tuple[int, int], str] = {}
    for class_id, subject_id, name in TeachingAssignment.objects.filter(school_class__in=shown).values_list(
        "school_class_id", "subject_id", "teacher__full_name"
    ):
        teachers[(class_id, subject_id)] = name
    rows = [{"school_class": c, "cells": [teachers.get((c.pk, s.pk), "") for s in subjects]} for c in shown]
    missing = sum(1 for r in rows for t in r["cells"] if not t)
    load: dict[str, int] = defaultdict(int)
    for name in teachers.values():
        load[name] += 1
    context = {
        "school": school,
        "grades": grades,
        "grade": grade,
        "subjects": subjects,
        "rows": rows,
        "missing": missing,
        "load": sorted(load.items()),
    }
    return render(request, "records/teaching_overview.html", context)


@login_required
@require_perm(Perm.MANAGE_TEACHING)
def teaching_class(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = get_object_or_404(SchoolClass.objects.select_related("school", "year"), pk=pk)
    if not has_perm(request.user, Perm.MANAGE_TEACHING, school_class.school):
        raise Http404
    subjects = [
        gs.subject for gs in GradeSubject.objects.filter(grade=school_class.grade).select_related("subject")
    ]
    current = dict(
        TeachingAssignment.objects.filter(school_class=school_class).values_list("subject_id", "teacher_id")
    )
    staff = school_staff(school_class.school)
    by_pk = {s.pk: s for s in staff}
    error = ""
    if request.method == "POST":
        changes: list[tuple[Any, Staff | None]] = []
        for subject in subjects:
            field = f"subject-{subject.pk}"
            if field not in request.POST:
                continue
            raw = str(request.POST[field]).strip()
            teacher = by_pk.get(int(raw)) if raw.isdigit() else None
            if raw and teacher is None:
                error = _("Giáo viên đã chọn cho môn %(subject)s không thuộc trường.") % {
                    "subject": subject.name
                }
                break
            if (teacher.pk if teacher else None) != current.get(subject.pk):
                changes.append((subject, teacher))
        if not error:
            try:
                with transaction.atomic():
                    for subject, teacher in changes:
                        services.teaching_assign(
                            actor=request.user, school_class=school_class, subject=subject, teacher=teacher
                        )
            except ValidationError as exc:
                error = message_of(exc)
            except PermissionDenied as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    _("Đã lưu phân công lớp %(cls)s (%(n)s thay đổi).")
                    % {"cls": school_class.name, "n": len(changes)},
                )
                return redirect("records:teaching_class", pk=school_class.pk)
    rows = [{"subject": s, "teacher_id": current.get(s.pk)} for s in subjects]
    context = {"school_class": school_class, "rows": rows, "staff": staff, "error": error}
    return render(request, "records/teaching_class.html", context, status=400 if error else 200)
