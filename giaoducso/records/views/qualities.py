"""A primary class's qualities and competences (Circular 27, Art. 7.2) at one assessment point: the
homeroom teacher picks Tốt / Đạt / Cần cố gắng for each pupil and item and saves the grid at once; the
school's leaders and the department read it. A secondary class has no such page (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm
from rules import qualities as rules_qualities
from rules.assessment_primary import QualityLevel

from ..models import MarkKind, QualityMark
from ..selectors.gradebook import _students
from ..services.qualities import PRIMARY_GRADES, QualityEntry, qualities_write
from .gradebook import _class, _error_payload

# The four assessment points, as the page's ?at= names them.
CHECKPOINTS = {
    "1-gk": (1, MarkKind.MIDTERM),
    "1-ck": (1, MarkKind.FINAL),
    "2-gk": (2, MarkKind.MIDTERM),
    "2-ck": (2, MarkKind.FINAL),
}
CHECKPOINT_LABELS = {
    "1-gk": "Giữa học kì I",
    "1-ck": "Cuối học kì I",
    "2-gk": "Giữa học kì II",
    "2-ck": "Cuối năm học",
}
CHOICES = [("", "—")] + [
    (rules_qualities.LEVEL_SHORT[level], level.label)
    for level in (QualityLevel.TOT, QualityLevel.DAT, QualityLevel.CAN_CO_GANG)
]


def _entries_from_post(
    students: list[Any], stored: dict[tuple[int, str], int], data: Any
) -> list[QualityEntry]:
    """The cells whose choice differs from what is stored; an unknown choice is refused."""
    entries = []
    for student in students:
        for item in rules_qualities.ITEMS:
            name = f"q-{student.pk}-{item.code}"
            if name not in data:
                continue
            try:
                level = rules_qualities.parse_level(str(data[name]))
            except ValueError:
                raise ValidationError(
                    {"level": [_("Mức đánh giá là Tốt, Đạt hoặc Cần cố gắng.")]}, code="invalid_level"
                ) from None
            before = stored.get((student.pk, item.code))
            if (None if level is None else int(level)) != before:
                entries.append(QualityEntry(student.pk, item.code, None if level is None else int(level)))
    return entries


@login_required
@require_perm(Perm.VIEW_RECORDS)
def qualities(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, access = _class(request, pk)
    if school_class.grade not in PRIMARY_GRADES or not access.whole_class:
        raise Http404
    at = request.GET.get("at", "1-ck")
    if at not in CHECKPOINTS:
        at = "1-ck"
    term, kind = CHECKPOINTS[at]
    students = list(_students(school_class, access))

    def stored_levels() -> dict[tuple[int, str], int]:
        return {
            (student_id, item): level
            for student_id, item, level in QualityMark.objects.filter(
                school_class=school_class, term=term, kind=kind
            ).values_list("student_id", "item", "level")
        }

    stored = stored_levels()
    status = 200
    if request.method == "POST":
        if not access.homeroom:
            raise Http404
        try:
            entries = _entries_from_post(students, stored, request.POST)
            qualities_write(
                actor=request.user, school_class=school_class, term=term, kind=kind, entries=entries
            )
        except ValidationError as error:
            messages.error(request, _error_payload(error)["error"])
            status = 400
        except PermissionDenied as error:
            messages.error(request, str(error))
            status = 403
        else:
            messages.success(request, _("Đã lưu %(n)s ô.") % {"n": len(entries)})
            return redirect(f"{request.path}?at={at}")
    rows = [
        {
            "student": student,
            "cells": [
                {
                    "item": item,
                    "name": f"q-{student.pk}-{item.code}",
                    "value": rules_qualities.LEVEL_SHORT.get(
                        QualityLevel(stored[(student.pk, item.code)]), ""
                    )
                    if (student.pk, item.code) in stored
                    else "",
                }
                for item in rules_qualities.ITEMS
            ],
        }
        for student in students
    ]
    context = {
        "school_class": school_class,
        "editable": access.homeroom,
        "groups": rules_qualities.GROUPS,
        "rows": rows,
        "at": at,
        "at_label": CHECKPOINT_LABELS[at],
        "checkpoints": CHECKPOINT_LABELS.items(),
        "choices": CHOICES,
    }
    return render(request, "records/qualities.html", context, status=status)
