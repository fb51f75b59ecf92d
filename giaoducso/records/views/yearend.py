"""The end of the school year on screen: the summer's re-test results and re-assessed conduct of a class,
and the school's year-end page — the plan previewed (every student's decision and new class, the new
classes with their names and homeroom teachers, editable), then applied once by the principal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core import exports
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory.models import Staff
from giaoducso.directory.selectors import current_year_for

from ..models import Conduct, GradeSubject, Retest, SubjectKind, YearEndRun
from ..selectors.family import class_students
from ..selectors.summary import class_summary
from ..services import yearend as services
from .common import message_of, school_or_404
from .gradebook import _class
from .homeroom import LEVELS


def _edits(request: HttpRequest) -> tuple[dict[str, str], dict[str, int | None], services.Overrides]:
    names: dict[str, str] = {}
    teachers: dict[str, int | None] = {}
    overrides: services.Overrides = {}
    for key, value in request.POST.items():
        if key.startswith("name-"):
            names[key[5:]] = str(value)[:40]
        elif key.startswith("teacher-"):
            raw = str(value).strip()
            teachers[key[8:]] = int(raw) if raw.isdigit() and len(raw) < 12 else None
        elif key.startswith("decision-") and key[9:].isdigit() and len(key) < 30 and value:
            reason = str(request.POST.get(f"reason-{key[9:]}", ""))[:1000]
            overrides[int(key[9:])] = (str(value)[:20], reason)
    return names, teachers, overrides


@login_required
def year_end(request: HttpRequest, code: str) -> HttpResponse:
    school = school_or_404(request, code, Perm.CLOSE_YEAR)
    year = current_year_for(school)
    done = YearEndRun.objects.filter(school=school, from_year=year).first() if year else None
    error = ""
    names, teachers, overrides = _edits(request) if request.method == "POST" else ({}, {}, {})
    if request.method == "POST" and done is None and request.POST.get("action") == "apply":
        try:
            services.year_end_apply(
                actor=request.user, school=school, names=names, teachers=teachers, overrides=overrides
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã chuyển năm học; mọi thay đổi đã ghi nhật ký."))
            return redirect("records:year_end", school.code)
    plan: Any = None
    if done is None:
        try:
            plan = services.year_end_preview(
                school=school, names=names, teachers=teachers, overrides=overrides
            )
        except ValidationError as exc:
            error = error or message_of(exc)
    context = {
        "school": school,
        "year": year,
        "done": done,
        "plan": plan,
        "error": error or (plan.problems[0] if plan is not None and plan.problems else ""),
        "rows": [(row, *overrides.get(row.student_id, ("", ""))) for row in (plan.students if plan else [])],
        "staff": Staff.objects.filter(school=school).order_by("full_name")[:300],
        "labels": services.DECISION_LABELS,
    }
    return render(request, "records/yearend/year_end.html", context, status=400 if error else 200)


@login_required
def retests(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's students with a summer path (re-tests, conduct training): their re-test results and
    re-assessed conduct, entered by the homeroom teacher or the principal."""
    school_class, access = _class(request, pk)
    if not (
        access.homeroom
        or (access.whole_class and has_perm(request.user, Perm.CLOSE_YEAR, school_class.school))
    ):
        raise Http404
    if school_class.grade < 6:
        raise Http404
    summary = class_summary(user=request.user, school_class=school_class)
    subjects = {
        s.pk: s
        for s in (
            gs.subject
            for gs in GradeSubject.objects.filter(grade=school_class.grade).select_related("subject")
        )
        if s.kind in (SubjectKind.SCORED, SubjectKind.COMMENT)
    }
    by_name = {s.name: s for s in subjects.values()}
    summer = [
        r
        for r in summary.results
        if r.outcome is not None and r.outcome.value in ("retests", "conduct_training")
    ]
    stored = {(r.student_id, r.subject_id): r for r in Retest.objects.filter(school_class=school_class)}
    reassessed = dict(
        Conduct.objects.filter(school_class=school_class, term=0).values_list("student_id", "level")
    )
    students = {s.pk: s for s in class_students(school_class)}
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                for key, value in request.POST.items():
                    parts = key.split("-")
                    if parts[0] == "retest" and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                        student, subject = students.get(int(parts[1])), subjects.get(int(parts[2]))
                        if student is None or subject is None:
                            continue
                        text = str(value).strip()[:10]
                        if subject.kind == SubjectKind.COMMENT:
                            level = {"đ": 1, "d": 1, "1": 1, "cđ": 0, "cd": 0, "0": 0}.get(text.lower())
                            if text and level is None:
                                raise ValidationError(
                                    _("Kết quả kiểm tra lại là Đ (Đạt) hoặc CĐ (Chưa đạt).")
                                )
                            services.retest_set(
                                actor=request.user,
                                school_class=school_class,
                                student=student,
                                subject=subject,
                                level=level,
                            )
                        else:
                            services.retest_set(
                                actor=request.user,
                                school_class=school_class,
                                student=student,
                                subject=subject,
                                value=text,
                            )
                    elif parts[0] == "conduct" and len(parts) == 2 and parts[1].isdigit():
                        student = students.get(int(parts[1]))
                        text = str(value).strip()
                        if student is not None:
                            services.summer_conduct_set(
                                actor=request.user,
                                school_class=school_class,
                                student=student,
                                level=int(text) if text.isdigit() and len(text) == 1 else None,
                            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã lưu kết quả trong hè."))
            return redirect("records:retests", school_class.pk)
    rows = []
    for result in summer:
        cells = []
        for name in services.retest_names(result, summary.subjects):
            subject = by_name.get(name)
            if subject is None:
                continue
            row = stored.get((result.student.pk, subject.pk))
            shown = ""
            if row is not None:
                shown = (
                    str(row.value).replace(".", ",")
                    if row.value is not None
                    else ("Đ" if row.level == 1 else "CĐ")
                )
            if request.method == "POST":
                shown = str(request.POST.get(f"retest-{result.student.pk}-{subject.pk}", ""))[:10]
            cells.append({"subject": subject, "value": shown})
        rows.append(
            {
                "student": result.student,
                "outcome": result.outcome,
                "cells": cells,
                "training": result.outcome is not None and result.outcome.value == "conduct_training",
                "conduct": reassessed.get(result.student.pk),
            }
        )
    context = {"school_class": school_class, "rows": rows, "levels": LEVELS, "error": error}
    return render(request, "records/yearend/retests.html", context, status=400 if error else 200)


@login_required
def year_end_export(request: HttpRequest, code: str) -> HttpResponse:
    """The year-end decisions to Excel (as previewed, or as applied); `?graduates=1`: the list of those who
    completed the school's programme (for the certificates)."""
    school = school_or_404(request, code, Perm.CLOSE_YEAR)
    year = current_year_for(school)
    done = YearEndRun.objects.filter(school=school, from_year=year).first() if year else None
    try:
        plan = done.plan if done is not None else services.year_end_preview(school=school).as_json()
    except ValidationError:
        raise Http404 from None
    rows = plan["students"]
    graduates = request.GET.get("graduates") == "1"
    if graduates:
        rows = [r for r in rows if r["decision"] == services.GRADUATED]
    labels = services.DECISION_LABELS
    columns: list[exports.Column] = [
        (_("STT"), lambda r: r["n"]),
        (_("Họ và tên"), lambda r: r["name"]),
        (_("Lớp"), lambda r: r["from_class"]),
        (_("Quyết định"), lambda r: labels.get(r["decision"], r["decision"])),
        (_("Căn cứ"), lambda r: r["reason"]),
        (_("Lớp năm học mới"), lambda r: r["to_class"]),
    ]
    return exports.xlsx_response(
        actor=request.user,
        what="records.yearendrun",
        filename=("hoan-thanh-chuong-trinh-" if graduates else "xet-len-lop-") + plan["from_year"],
        columns=columns,
        rows=[{**r, "n": n} for n, r in enumerate(rows, start=1)],
        unit=school,
    )
