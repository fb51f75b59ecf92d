"""The grade book screens: the classes a user reaches, a class's subjects, and the grade book itself.

A cell saves on its own (`cell_save`, JSON for the page's script); without the script the whole grid is one
form that saves every changed cell at once (`gradebook`, POST) through the same service, all or nothing.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm
from giaoducso.directory.models import SchoolClass, Student

from .. import selectors, services
from ..models import GradeSubject, Mark, Subject, SubjectKind, TeachingAssignment
from ..selectors.gradebook import Row, derive
from ..selectors.roster import is_closed
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
    """The grade books a user opens: their classes of the current year(s), with the subjects they reach;
    `?year=2025-2026` lists a past (or the next) year's classes, whose pages show that year's pupils."""
    reached = selectors.classes_for(request.user, SchoolClass.objects.all())
    years = list(reached.order_by("-year__name").values_list("year__name", flat=True).distinct()[:12])
    chosen = str(request.GET.get("year", ""))[:9]
    chosen = chosen if chosen in years else ""
    classes = (
        selectors.classes_for(
            request.user,
            SchoolClass.objects.filter(year__name=chosen)
            if chosen
            else SchoolClass.objects.filter(year__is_current=True),
        )
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
    context = {"classes": classes, "leading": leading, "years": years, "chosen": chosen}
    return render(request, "records/class_list.html", context)


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
    closed = is_closed(school_class)
    context = {
        "school_class": school_class,
        "access": access,
        "closed": closed,
        "subjects": [(s, teachers.get(s.pk), access.enters_subject(s.pk) and not closed) for s in subjects],
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
        # A scored cell holds a score alone: when it is posted, nothing stored needs keeping.
        whole = subject.kind == SubjectKind.SCORED and "value" in request.POST
        stored = (
            None
            if whole
            else Mark.objects.filter(
                school_class=school_class,
                subject=subject,
                student_id=student_id,
                term=term,
                kind=kind,
                index=index,
            ).first()
        )
        cell = _cell_from(subject, request.POST, stored, address)
        mark = services.mark_set(actor=request.user, school_class=school_class, subject=subject, cell=cell)
    except ValidationError as error:
        return JsonResponse(_error_payload(error), status=400)
    except PermissionDenied as error:
        return JsonResponse(
            {"error": str(error) or _("Bạn không được sửa ô này."), "code": "forbidden"}, status=403
        )
    row = saved_row(school_class, subject, cell.student_id)
    return JsonResponse({**_cell_json(SubjectKind(subject.kind), mark), "row": row_summary(row)})


def saved_row(school_class: SchoolClass, subject: Subject, student_id: int) -> Row:
    """The row of a pupil whose cell was just saved (so who is in reach and in the class is settled): its
    marks and what they give, in two queries."""
    row = Row(Student(pk=student_id))
    for mark in Mark.objects.filter(school_class=school_class, subject=subject, student_id=student_id):
        row.cells[(mark.term, mark.kind, mark.index)] = mark
    derive(row, subject, selectors.columns_for(subject, school_class.grade))
    return row


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
                # A primary checkpoint's test score beside its level (`t-…`), when the subject is tested.
                test_name = "t" + name[1:]
                stored_test = _test_text(stored)
                typed_test = str(data.get(test_name, stored_test)).strip()
                if typed.upper() != before.upper() or typed_test != stored_test:
                    level = _parse_level(subject, typed)
                    cells.append(
                        Cell(
                            row.student.pk,
                            column.term,
                            column.kind,
                            column.index,
                            value=typed_test or None,
                            level=level,
                        )
                    )
    return cells


def _test_text(mark: Mark | None) -> str:
    return "" if mark is None or mark.value is None else str(int(mark.value))


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
    tested = {
        column.key
        for column in book.columns
        if services.tested_at(subject, school_class.grade, column.term, column.kind)
    }
    # A locked term's cells are shown, not typed in: each offers a correction request instead.
    locked = {t for t in (1, 2) if book.editable and active_lock(school_class, t) is not None}
    correction = reverse("records:correction_new", args=[school_class.pk, subject.pk])
    rows = [
        {
            "row": row,
            "summary": row_summary(row),
            "cells": cells_html(book, kind, row, tested, locked=locked, correction_url=correction),
        }
        for row in book.rows
    ]
    context = {
        "book": book,
        "rows": rows,
        "kind": kind,
        "school_class": school_class,
        "subject": subject,
        "tested": tested,
    }
    return render(request, "records/gradebook.html", context)


def cells_html(
    book: selectors.GradeBook,
    kind: SubjectKind,
    row: Row,
    tested: set[Any],
    *,
    locked: set[int] = frozenset(),  # type: ignore[assignment]
    correction_url: str = "",
) -> str:
    """A row's cells as HTML: an input each where the user may enter them, else the text. Built here, not
    in the template: a 45-pupil book has some 600 cells, and the template engine would spend most of the
    page's time on them (bench/gradebook.py). A primary checkpoint with a periodic test (`tested`) has the
    test score beside the level."""
    terms = {1: _("Học kì I"), 2: _("Học kì II")}
    mode = "decimal" if kind == SubjectKind.SCORED else "text"
    pk = row.student.pk
    name = escape(row.student.full_name)
    out = []
    test_label = _("điểm kiểm tra")
    request_label = _("Đề nghị sửa")
    for column in book.columns:
        mark = row.cell(column.key)
        text = escape(_cell_text(kind, mark))
        test = escape(_test_text(mark)) if column.key in tested else ""
        if not book.editable:
            shown = f"{text} · {test}" if test else text
            out.append(f"<td>{shown}</td>")
            continue
        if column.term in locked:
            link = f"{correction_url}?student={pk}&amp;term={column.term}&amp;kind={column.kind}&amp;index={column.index}"
            out.append(
                f'<td>{text} <a class="correction-link" href="{link}" '
                f'aria-label="{request_label}: {name} {column.label}">{request_label}</a></td>'
            )
            continue
        address = f"{column.term}-{column.kind}-{column.index}"
        data = f'data-term="{column.term}" data-kind="{column.kind}" data-index="{column.index}"'
        cell = (
            f'<td><input class="cell" name="c-{pk}-{address}" value="{text}" size="3" autocomplete="off" '
            f'inputmode="{mode}" aria-label="{name} {column.label} {terms[column.term]}" {data}>'
        )
        if column.key in tested:
            cell += (
                f'<input class="cell test" name="t-{pk}-{address}" value="{test}" size="2" autocomplete="off" '
                f'inputmode="numeric" data-field="value" '
                f'aria-label="{name} {test_label} {column.label} {terms[column.term]}" {data}>'
            )
        out.append(cell + "</td>")
    # Every value above is escaped (the standard library's escape: Django's lazy-aware one costs more per
    # call than the whole cell) or ours.
    return mark_safe("".join(out))  # noqa: S308


def _cell_text(kind: SubjectKind, mark: Any) -> str:
    if mark is None:
        return ""
    if kind == SubjectKind.SCORED:
        return _shown(mark.value)
    return LEVEL_SHOWN[kind].get(mark.level, "") if mark.level is not None else ""
