"""Closing terms and correcting after the close. The principal locks term I or II for a class or the whole
school and reopens with a reason; a teacher asks for a correction from a locked cell of the grade book; the
principal approves (the change is written through `marks_write`) or refuses with a note. Every step goes
through the services, which audit it; every refusal is said in Vietnamese."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass, Student
from rules import assessment_secondary as secondary

from .. import services
from ..models import CorrectionRequest, CorrectionStatus, MarkKind, Subject, SubjectKind, Term, TermLock
from ..selectors.gradebook import _students, columns_for
from ..services.marks import IN_CLASS_STATUSES
from .common import current_year, message_of, parse_term, school_or_404
from .gradebook import _class, _parse_level


@login_required
@require_perm(Perm.LOCK_TERM)
def locks(request: HttpRequest, code: str) -> HttpResponse:
    school = school_or_404(request, code, Perm.LOCK_TERM)
    year = current_year(school)
    classes = list(SchoolClass.objects.filter(school=school, year__is_current=True).order_by("grade", "name"))
    error = ""
    if request.method == "POST":
        term = parse_term(request.POST.get("term"), 0)
        target = str(request.POST.get("school_class", ""))
        school_class = next((c for c in classes if str(c.pk) == target), None)
        if target and school_class is None:
            error = _("Hãy chọn một lớp của trường trong danh sách.")
        elif year is None:
            error = _("Trường chưa có năm học hiện tại.")
        else:
            try:
                services.term_lock(
                    actor=request.user, school=school, year=year, term=term, school_class=school_class
                )
            except ValidationError as exc:
                error = message_of(exc)
            except PermissionDenied as exc:
                error = str(exc)
            else:
                where = school_class.name if school_class else _("toàn trường")
                label = Term(term).label
                messages.success(
                    request, _("Đã khoá sổ %(term)s — %(where)s.") % {"term": label, "where": where}
                )
                return redirect("records:locks", code=school.code)
    rows = TermLock.objects.filter(school=school).select_related(
        "school_class", "locked_by", "reopened_by", "year"
    )[:200]
    pending = CorrectionRequest.objects.filter(school=school, status=CorrectionStatus.PENDING).count()
    context = {
        "school": school,
        "year": year,
        "classes": classes,
        "terms": Term.choices,
        "locks": rows,
        "pending": pending,
        "error": error,
    }
    return render(request, "records/locks.html", context, status=400 if error else 200)


@login_required
@require_perm(Perm.LOCK_TERM)
def lock_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    lock = get_object_or_404(TermLock.objects.select_related("school", "school_class"), pk=pk)
    if not has_perm(request.user, Perm.LOCK_TERM, lock.school):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.term_reopen(actor=request.user, lock=lock, reason=str(request.POST.get("reason", "")))
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã mở lại sổ."))
            return redirect("records:locks", code=lock.school.code)
    return render(
        request, "records/lock_reopen.html", {"lock": lock, "error": error}, status=400 if error else 200
    )


@login_required
@require_perm(Perm.LOCK_TERM)
def corrections(request: HttpRequest, code: str) -> HttpResponse:
    school = school_or_404(request, code, Perm.LOCK_TERM)
    status = str(request.GET.get("status", CorrectionStatus.PENDING))
    if status not in CorrectionStatus.values:
        status = CorrectionStatus.PENDING
    rows = (
        CorrectionRequest.objects.filter(school=school, status=status)
        .select_related("school_class", "student", "requested_by", "decided_by")
        .order_by("requested_at")[:200]
    )
    subjects = {s.pk: s.name for s in Subject.objects.all()}
    items = [{"request": r, "what": describe(r.change, subjects)} for r in rows]
    context = {"school": school, "items": items, "status": status, "statuses": CorrectionStatus.choices}
    return render(request, "records/corrections.html", context)


def describe(change: dict[str, Any], subjects: dict[int, str]) -> str:
    """A correction's change in words: "Toán, TX2: 8,5"."""
    try:
        subject = subjects.get(int(change.get("subject", 0)), "?")
    except (TypeError, ValueError):
        subject = "?"
    kind = str(change.get("kind", ""))
    label = {"tx": f"TX{change.get('index', 1)}", "gk": "GK", "ck": "CK"}.get(kind, kind)
    value = change.get("value")
    level = change.get("level")
    if value not in (None, ""):
        shown = str(value).replace(".", ",")
    elif level is not None:
        shown = {"1": "Đ", "0": "CĐ"}.get(str(level), str(level))
    else:
        shown = _("xoá ô")
    return f"{subject}, {label}: {shown}"


@login_required
@require_perm(Perm.LOCK_TERM)
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        CorrectionRequest.objects.select_related("school", "school_class", "student", "requested_by"), pk=pk
    )
    if not has_perm(request.user, Perm.LOCK_TERM, item.school):
        raise Http404
    error = ""
    if request.method == "POST":
        decision = str(request.POST.get("decision", ""))
        note = str(request.POST.get("note", ""))
        if decision not in ("approve", "reject"):
            error = _("Hãy chọn duyệt hoặc từ chối.")
        elif decision == "reject" and not note.strip():
            error = _("Hãy ghi lí do từ chối để giáo viên biết.")
        else:
            try:
                services.correction_decide(
                    actor=request.user, request=item, approve=decision == "approve", note=note
                )
            except ValidationError as exc:
                error = message_of(exc)
            except PermissionDenied as exc:
                error = str(exc)
            else:
                messages.success(
                    request, _("Đã duyệt và sửa.") if decision == "approve" else _("Đã từ chối đề nghị.")
                )
                return redirect("records:corrections", code=item.school.code)
    subjects = {s.pk: s.name for s in Subject.objects.all()}
    context = {"item": item, "what": describe(item.change, subjects), "error": error}
    return render(request, "records/correction_detail.html", context, status=400 if error else 200)


@login_required
@require_perm(Perm.ENTER_MARKS)
def correction_new(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    """The teacher's request, opened from a locked cell ("Đề nghị sửa") with the cell's address."""
    school_class, access = _class(request, pk)
    subject = get_object_or_404(Subject, pk=subject_pk)
    if not access.enters_subject(subject.pk):
        raise Http404
    data: Any = request.POST if request.method == "POST" else request.GET
    students = list(_students(school_class, access))
    columns = columns_for(subject, school_class.grade)
    student_id = str(data.get("student", ""))
    term = parse_term(data.get("term"))
    column = str(data.get("column") or f"{data.get('kind', MarkKind.REGULAR)}-{data.get('index', 1)}")
    error = ""
    if request.method == "POST":
        student = Student.objects.filter(
            pk=int(student_id) if student_id.isdigit() else 0,
            current_class=school_class,
            status__in=IN_CLASS_STATUSES,
        ).first()
        kind, _sep, index = column.partition("-")
        typed = str(request.POST.get("value", "")).strip()
        try:
            if student is None:
                raise ValidationError(_("Hãy chọn học sinh của lớp."), code="not_in_class")
            if not any(c.kind == kind and str(c.index) == index for c in columns):
                raise ValidationError(_("Hãy chọn cột điểm cần sửa."), code="invalid_kind")
            change: dict[str, Any] = {
                "target": "mark",
                "subject": subject.pk,
                "kind": kind,
                "index": int(index),
            }
            if subject.kind == SubjectKind.SCORED:
                if typed:
                    try:
                        typed = str(secondary.parse_score(typed))
                    except secondary.ScoreError as exc:
                        raise ValidationError(str(exc), code=exc.code) from None
                change["value"] = typed
            else:
                change["level"] = _parse_level(subject, typed)
            services.correction_request(
                actor=request.user,
                school_class=school_class,
                student=student,
                term=term,
                change=change,
                reason=str(request.POST.get("reason", "")),
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã gửi đề nghị sửa điểm; Hiệu trưởng sẽ duyệt."))
            return redirect("records:gradebook", pk=school_class.pk, subject_pk=subject.pk)
    mine = CorrectionRequest.objects.filter(
        school_class=school_class, requested_by=request.user, change__subject=subject.pk
    ).select_related("student")[:50]
    subjects = {subject.pk: subject.name}
    context = {
        "school_class": school_class,
        "subject": subject,
        "students": students,
        "student_id": student_id,
        "term": term,
        "terms": Term.choices,
        "columns": [(f"{c.kind}-{c.index}", c.label) for c in columns if c.term == 1],
        "column": column,
        "value": str(data.get("value", "")),
        "reason": str(data.get("reason", "")),
        "mine": [{"request": r, "what": describe(r.change, subjects)} for r in mine],
        "error": error,
    }
    return render(request, "records/correction_new.html", context, status=400 if error else 200)
