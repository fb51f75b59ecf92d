"""The grade book screens: the classes a user reaches, a class's subjects, and the grade book itself.

A cell saves on its own (`cell_save`, JSON for the page's script); without the script the whole grid is one
form that saves every changed cell at once (`gradebook`, POST) through the same service, all or nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass

from .. import selectors, services
from ..models import GradeSubject, Mark, Subject, SubjectKind, TeachingAssignment
from ..selectors.gradebook import Row
from ..services import Cell
from ..services.locks import active_lock

# What a teacher types in a level cell, folded: Đ/CĐ for a secondary comment-only subject, T/H/C at primary.
LEVEL_INPUT = {
    SubjectKind.COMMENT: {
        "đ": 1,
        "d": 1,
        "đạt": 1,
        "dat": 1,
        "1": 1,
        "cđ": 0,
        "cd": 0,
        "chưa đạt": 0,
        "0": 0,
    },
    SubjectKind.LEVEL: {"t": 2, "h": 1, "c": 0},
}
LEVEL_SHOWN = {SubjectKind.COMMENT: {1: "Đ", 0: "CĐ"}, SubjectKind.LEVEL: {2: "T", 1: "H", 0: "C"}}


def _class(request: HttpRequest, pk: int) -> tuple[SchoolClass, selectors.ClassAccess]:
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher"), pk=pk
    )
    return school_class, selectors.class_access_or_404(request.user, school_class)


@login_required
@require_perm(Perm.VIEW_RECORDS)
def class_list(request: HttpRequest) -> HttpResponse:
    """The grade books a user opens: their classes of the current year(s), with the subjects they reach."""
    classes = (
        selectors.classes_for(request.user, SchoolClass.objects.filter(year__is_current=True))
        .select_related("school", "year", "homeroom_teacher")
        .order_by("school__name", "grade", "name")
    )
    classes = classes[:500]
    # The school leaders' own pages (teaching assignments, term locks) hang off their schools.
    schools = {c.school.pk: c.school for c in classes}.values()
    leading = [
        {
            "school": school,
            "teaching": has_perm(request.user, Perm.MANAGE_TEACHING, school),
            "locks": has_perm(request.user, Perm.LOCK_TERM, school),
        }
        for school in schools
        if has_perm(request.user, Perm.MANAGE_TEACHING, school)
    ][:50]
    return render(request, "records/class_list.html", {"classes": classes, "leading": leading})


@login_required
@require_perm(Perm.VIEW_RECORDS)
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, access = _class(request, pk)
    subjects = [
        gs.subject
        for gs in GradeSubject.objects.filter(grade=school_class.grade).select_related("subject")
        if access.sees_subject(gs.subject_id)
    ]
    teachers = {
        a.subject_id: a.teacher
        for a in TeachingAssignment.objects.filter(school_class=school_class).select_related("teacher")
    }
    context = {
        "school_class": school_class,
        "access": access,
        "subjects": [(s, teachers.get(s.pk), access.enters_subject(s.pk)) for s in subjects],
    }
    return render(request, "records/class_detail.html", context)


def _parse_level(subject: Subject, text: str) -> int | None:
    text = text.strip().lower()
    if not text:
        return None
    level = LEVEL_INPUT.get(SubjectKind(subject.kind), {}).get(text)
    if level is None:
        shown = "/".join(LEVEL_SHOWN.get(SubjectKind(subject.kind), {}).values())
        raise ValidationError(
            {"level": [_("Hãy nhập một trong các mức %(levels)s.") % {"levels": shown}]}, code="invalid_level"
        )
    return level


def _cell_from(subject: Subject, data: Any, stored: Mark | None, address: tuple[int, int, str, int]) -> Cell:
    """A cell from the posted fields: `value` a score, `level` a level typed as letters, `comment`; a part
    not posted keeps what is stored (a primary cell holds a level and a test score side by side)."""
    value: Any = data.get("value", stored.value if stored else None)
    level = (
        _parse_level(subject, str(data["level"])) if "level" in data else (stored.level if stored else None)
    )
    comment = str(data["comment"]) if "comment" in data else None
    student_id, term, kind, index = address
    return Cell(student_id, term, kind, index, value=value or None, level=level, comment=comment)


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError(_("Ô điểm không hợp lệ."), code="invalid_cell") from None


def _shown(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def row_summary(row: Row) -> dict[str, str]:
    """The derived figures of a row as the page shows them (decimal comma)."""
    out = {f"avg{t}": _shown(row.term_average.get(t)) for t in (1, 2)}
    out["year"] = _shown(row.year_average)
    for term in (1, 2):
        passed = row.term_passed.get(term)
        out[f"pass{term}"] = "" if passed is None else ("Đ" if passed else "CĐ")
    return out


def _error_payload(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return {"error": errors[0].messages[0], "code": errors[0].code or "invalid", "field": field}
    return {"error": error.messages[0], "code": error.code or "invalid"}


@login_required
@require_POST
def cell_save(request: HttpRequest, pk: int, subject_pk: int) -> JsonResponse:
    """Saves one cell; answers its stored form and the row's new averages, or the reason it was refused."""
    school_class, access = _class(request, pk)
    subject = get_object_or_404(Subject, pk=subject_pk)
    if not access.sees_subject(subject.pk):
        raise Http404
    try:
        address = (
            _int(request.POST.get("student")),
            _int(request.POST.get("term")),
            str(request.POST.get("kind", "")),
            _int(request.POST.get("index", 1)),
        )
        student_id, term, kind, index = address
        stored = Mark.objects.filter(
            school_class=school_class,
            subject=subject,
            student_id=student_id,
            term=term,
            kind=kind,
            index=index,
        ).first()
        cell = _cell_from(subject, request.POST, stored, address)
        mark = services.mark_set(actor=request.user, school_class=school_class, subject=subject, cell=cell)
    except ValidationError as error:
        return JsonResponse(_error_payload(error), status=400)
    except PermissionDenied as error:
        return JsonResponse(
            {"error": str(error) or _("Bạn không được sửa ô này."), "code": "forbidden"}, status=403
        )
    book = selectors.grade_book(user=request.user, school_class=school_class, subject=subject)
    row = next(r for r in book.rows if r.student.pk == cell.student_id)
    return JsonResponse({**_cell_json(SubjectKind(subject.kind), mark), "row": row_summary(row)})


def _cell_json(kind: SubjectKind, mark: Mark | None) -> dict[str, str]:
    """A saved cell as the page shows it: the score with a decimal comma (a primary test whole), the level
    as its letters."""
    if mark is None:
        return {"value": "", "level": ""}
    value = (
        ""
        if mark.value is None
        else (_shown(mark.value) if kind == SubjectKind.SCORED else str(int(mark.value)))
    )
    level = "" if mark.level is None else LEVEL_SHOWN.get(kind, {}).get(mark.level, "")
    return {"value": value, "level": level}


def _cells_from_post(book: selectors.GradeBook, data: Any) -> list[Cell]:
    """The cells of the no-script form whose text differs from what is stored."""
    subject = book.subject
    cells: list[Cell] = []
    for row in book.rows:
        for column in book.columns:
            name = f"c-{row.student.pk}-{column.term}-{column.kind}-{column.index}"
            if name not in data:
                continue
            typed = str(data[name]).strip()
            stored = row.cell(column.key)
            if subject.kind == SubjectKind.SCORED:
                before = _shown(stored.value) if stored else ""
                if typed.replace(".", ",") != before:
                    cells.append(
                        Cell(row.student.pk, column.term, column.kind, column.index, value=typed or None)
                    )
            else:
                before = (
                    LEVEL_SHOWN[SubjectKind(subject.kind)].get(stored.level, "")
                    if stored and stored.level is not None
                    else ""
                )
                if typed.upper() != before.upper():
                    level = _parse_level(subject, typed)
                    value = stored.value if stored else None
                    cells.append(
                        Cell(row.student.pk, column.term, column.kind, column.index, value=value, level=level)
                    )
    return cells


@login_required
@require_perm(Perm.VIEW_RECORDS)
def gradebook(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    school_class, _access = _class(request, pk)
    subject = get_object_or_404(Subject, pk=subject_pk)
    book = selectors.grade_book(user=request.user, school_class=school_class, subject=subject)
    if request.method == "POST":
        if not book.editable:
            raise Http404
        try:
            cells = _cells_from_post(book, request.POST)
            services.marks_write(actor=request.user, school_class=school_class, subject=subject, cells=cells)
        except ValidationError as error:
            messages.error(request, _error_payload(error)["error"])
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu %(n)s ô.") % {"n": len(cells)})
            return redirect(request.path)
        book = selectors.grade_book(user=request.user, school_class=school_class, subject=subject)
    kind = SubjectKind(subject.kind)
    # A locked term's cells are shown, not typed in: each offers a correction request instead.
    locked = {t for t in (1, 2) if book.editable and active_lock(school_class, t) is not None}
    rows = [
        {
            "row": row,
            "summary": row_summary(row),
            "cells": [
                {
                    "column": column,
                    "name": f"c-{row.student.pk}-{column.term}-{column.kind}-{column.index}",
                    "text": _cell_text(kind, row.cell(column.key)),
                    "locked": column.term in locked,
                }
                for column in book.columns
            ],
        }
        for row in book.rows
    ]
    context = {"book": book, "rows": rows, "kind": kind, "school_class": school_class, "subject": subject}
    return render(request, "records/gradebook.html", context)


def _cell_text(kind: SubjectKind, mark: Any) -> str:
    if mark is None:
        return ""
    if kind == SubjectKind.SCORED:
        return _shown(mark.value)
    return LEVEL_SHOWN[kind].get(mark.level, "") if mark.level is not None else ""
