"""The homeroom teacher's screens: the daily roll of a session, a month's attendance with each student's
totals, and each term's conduct. The homeroom teacher writes; the school's leaders and the department
read; anyone else is not found (404). Writes go through `attendance_write` / `conduct_set`, which refuse a
locked term with the reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass
from rules.assessment_secondary import Level

from .. import services
from ..models import Conduct, Session, Term
from ..selectors import attendance as attendance_selectors
from ..selectors.access import ClassAccess
from ..selectors.gradebook import _students
from ..services.locks import active_lock
from .common import message_of, parse_date, parse_month, parse_term
from .gradebook import _class

LEVELS = [(level.value, level.label) for level in sorted(Level, reverse=True)]


def _whole_class(request: HttpRequest, pk: int) -> tuple[SchoolClass, ClassAccess]:
    """The class for someone who sees all of it; a subject teacher or a family is not shown these pages."""
    school_class, access = _class(request, pk)
    if not access.whole_class:
        raise Http404
    return school_class, access


@login_required
@require_perm(Perm.VIEW_RECORDS)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, access = _whole_class(request, pk)
    data: Any = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()
    error = ""
    date = today
    if data.get("date"):
        try:
            date = parse_date(str(data["date"]))
        except ValidationError as exc:
            error = message_of(exc)
    session = str(data.get("session", "am"))
    if session not in Session.values:
        session = Session.MORNING
    if request.method == "POST" and not error:
        if not access.homeroom:
            raise Http404
        absent: dict[int, services.AbsenceEntry] = {}
        for key in request.POST:
            if key.startswith("absent-") and key[7:].isdigit():
                student_id = int(key[7:])
                absent[student_id] = services.AbsenceEntry(
                    excused=f"excused-{student_id}" in request.POST,
                    reason=str(request.POST.get(f"reason-{student_id}", "")),
                )
        try:
            services.attendance_write(
                actor=request.user, school_class=school_class, date=date, session=session, absent=absent
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("Đã lưu điểm danh %(session)s ngày %(date)s: %(n)s học sinh vắng.")
                % {"session": Session(session).label.lower(), "date": f"{date:%d/%m/%Y}", "n": len(absent)},
            )
            url = reverse("records:attendance", args=[school_class.pk])
            return redirect(f"{url}?date={date:%d/%m/%Y}&session={session}")
    rows = attendance_selectors.roll(school_class, access, date, session)
    if request.method == "POST" and error:
        # Keep what was ticked, so a refused roll is not lost.
        posted = request.POST
        rows = [
            (s, _Ticked(f"excused-{s.pk}" in posted, str(posted.get(f"reason-{s.pk}", ""))[:200]))
            if f"absent-{s.pk}" in posted
            else (s, None)
            for s, _a in rows
        ]
    context = {
        "school_class": school_class,
        "access": access,
        "date": date,
        "session": session,
        "sessions": Session.choices,
        "rows": rows,
        "error": error,
        "month": f"{date:%m/%Y}",
    }
    return render(request, "records/attendance.html", context, status=400 if error else 200)


class _Ticked:
    def __init__(self, excused: bool, reason: str) -> None:
        self.excused, self.reason = excused, reason


@login_required
@require_perm(Perm.VIEW_RECORDS)
def attendance_month(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, access = _whole_class(request, pk)
    year, month_no = parse_month(str(request.GET.get("month", "")), timezone.localdate())
    days, rows = attendance_selectors.month(school_class, access, year, month_no)
    previous = (year, month_no - 1) if month_no > 1 else (year - 1, 12)
    following = (year, month_no + 1) if month_no < 12 else (year + 1, 1)
    context = {
        "school_class": school_class,
        "access": access,
        "days": days,
        "rows": rows,
        "month": f"{month_no:02d}/{year}",
        "previous": f"{previous[1]:02d}/{previous[0]}",
        "following": f"{following[1]:02d}/{following[0]}",
    }
    return render(request, "records/attendance_month.html", context)


@login_required
@require_perm(Perm.VIEW_RECORDS)
def conduct(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, access = _whole_class(request, pk)
    if school_class.grade < 6:
        raise Http404  # primary pupils are assessed on qualities and competences, not conduct
    term = parse_term(request.POST.get("term") if request.method == "POST" else request.GET.get("term"))
    students = list(_students(school_class, access))
    stored = {c.student_id: c for c in Conduct.objects.filter(school_class=school_class, term=term)}
    error = ""
    if request.method == "POST":
        if not access.homeroom:
            raise Http404
        try:
            changed = _save_conduct(request, school_class, term, students, stored)
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã lưu rèn luyện: %(n)s thay đổi.") % {"n": changed})
            return redirect(f"{reverse('records:conduct', args=[school_class.pk])}?term={term}")
    lock = active_lock(school_class, term)
    rows = []
    for student in students:
        row = stored.get(student.pk)
        if request.method == "POST":
            raw = str(request.POST.get(f"level-{student.pk}", ""))
            level = int(raw) if raw.isdigit() else None
            comment = str(request.POST.get(f"comment-{student.pk}", ""))[:500]
        else:
            level = row.level if row else None
            comment = row.comment if row else ""
        rows.append({"student": student, "level": level, "comment": comment})
    context = {
        "school_class": school_class,
        "access": access,
        "term": term,
        "terms": Term.choices,
        "levels": LEVELS,
        "rows": rows,
        "error": error,
        "lock": lock,
        "editable": access.homeroom and lock is None,
    }
    return render(request, "records/conduct.html", context, status=400 if error else 200)


def _save_conduct(
    request: HttpRequest,
    school_class: SchoolClass,
    term: int,
    students: list[Any],
    stored: dict[int, Conduct],
) -> int:
    """Every changed row through `conduct_set`, all or nothing."""
    changed = 0
    with transaction.atomic():
        for student in students:
            field = f"level-{student.pk}"
            if field not in request.POST:
                continue
            raw = str(request.POST[field]).strip()
            if raw and not raw.isdigit():
                raise ValidationError(
                    _("Mức rèn luyện là Tốt, Khá, Đạt hoặc Chưa đạt."), code="invalid_level"
                )
            level = int(raw) if raw else None
            comment = str(request.POST.get(f"comment-{student.pk}", "")).strip()
            old = stored.get(student.pk)
            if (old.level if old else None) == level and (old.comment if old else "") == comment:
                continue
            if level is None and comment:
                raise ValidationError(
                    _("Học sinh %(name)s: hãy chọn mức rèn luyện trước khi ghi nhận xét.")
                    % {"name": student.full_name},
                    code="level_required",
                )
            services.conduct_set(
                actor=request.user,
                school_class=school_class,
                student=student,
                term=term,
                level=level,
                comment=comment,
            )
            changed += 1
    return changed
