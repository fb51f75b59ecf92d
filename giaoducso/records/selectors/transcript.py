"""A student's transcript (học bạ) for a school year, in the layout of the circulars' appendix: built from
the class's results (`summary.class_summary`, the one source of results), so a transcript never says
something the summary page does not.

Who reads it is `class_summary`'s rule: the homeroom teacher, the school's leaders and the department see
every student of the class; a family their own child; anyone else is answered 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404

from giaoducso.directory.models import School, SchoolClass, Student
from rules import assessment_primary as primary
from rules import qualities as rules_qualities

from ..models import MarkKind, QualityMark, SubjectKind
from .summary import YEAR, ClassSummary, StudentResult, class_summary

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEVEL_LETTERS = {2: "T", 1: "H", 0: "C"}
QUALITY_LABELS = {2: "Tốt", 1: "Đạt", 0: "Cần cố gắng"}
# The primary checkpoints a transcript shows: end of term I and end of year.
PRIMARY_POINTS = ((1, MarkKind.FINAL, 1), (2, MarkKind.FINAL, 1))


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _passed(value: bool | None) -> str:
    return "" if value is None else ("Đ" if value else "CĐ")


def _label(level: Any) -> str:
    return level.label if level is not None else ""


@dataclass
class ClassTranscripts:
    """What every transcript of a class shares, and one context per student."""

    school_class: SchoolClass
    summary: ClassSummary
    contexts: list[dict[str, Any]]


def _header(school_class: SchoolClass) -> dict[str, Any]:
    school = school_class.school
    record = School.objects.filter(unit=school).first()
    return {
        "national_title": NATIONAL_TITLE,
        "national_motto": NATIONAL_MOTTO,
        "department": school.parent.name if school.parent_id else "",
        "school": school,
        "school_class": school_class,
        "year": school_class.year,
        "principal_name": record.principal_name if record else "",
        "homeroom_name": school_class.homeroom_teacher.full_name if school_class.homeroom_teacher_id else "",
        "is_primary": school_class.grade <= 5,
    }


def _secondary_context(summary: ClassSummary, result: StudentResult) -> dict[str, Any]:
    subjects = []
    for subject in summary.subjects:
        row = result.subjects.get(subject.pk)
        if subject.kind == SubjectKind.SCORED:
            cells = [
                _score(row.term_average.get(1)) if row else "",
                _score(row.term_average.get(2)) if row else "",
                _score(row.year_average) if row else "",
            ]
        else:
            cells = [
                _passed(row.term_passed.get(1)) if row else "",
                _passed(row.term_passed.get(2)) if row else "",
                _passed(row.term_passed.get(2)) if row else "",  # the year's is term II's
            ]
        subjects.append({"name": subject.name, "cells": cells})
    return {
        "subjects": subjects,
        "learning": [_label(result.learning.get(t)) for t in (1, 2, YEAR)],
        "conduct": [_label(result.conduct.get(t)) for t in (1, 2, YEAR)],
        "outcome": result.outcome.label if result.outcome else "",
        "retests": ", ".join(result.retests),
    }


def _primary_context(
    summary: ClassSummary, result: StudentResult, qualities: dict[tuple[int, int], dict[str, int]]
) -> dict[str, Any]:
    subjects = []
    for subject in summary.subjects:
        cells = result.primary_cells.get(subject.pk, {})
        points = []
        for key in PRIMARY_POINTS:
            cell = cells.get(key)
            level = LEVEL_LETTERS.get(cell.level, "") if cell and cell.level is not None else ""
            test = str(int(cell.value)) if cell and cell.value is not None else ""
            points.append({"level": level, "test": test})
        subjects.append({"name": subject.name, "points": points})
    student_id = result.student.pk
    groups = [
        {
            "name": group.name,
            "items": [
                {
                    "name": item.name,
                    "levels": [
                        QUALITY_LABELS.get(qualities.get((student_id, term), {}).get(item.code, -1), "")
                        for term in (1, 2)
                    ],
                }
                for item in group.items
            ],
        }
        for group in rules_qualities.GROUPS
    ]
    outcome = result.primary_result
    grade = summary.school_class.grade
    return {
        "primary_subjects": subjects,
        "quality_groups": groups,
        "primary_result": outcome.label if outcome is not None else "",
        "completion": primary.transcript_completion_note(grade=grade, result=outcome) if outcome else None,
    }


def class_transcripts(
    *, user: Any, school_class: SchoolClass, student_id: int | None = None
) -> ClassTranscripts:
    """The transcripts of the class (or of one student of it) that `user` may read; 404 beyond reach."""
    summary = class_summary(user=user, school_class=school_class)
    results = [r for r in summary.results if student_id is None or r.student.pk == student_id]
    if student_id is not None and not results:
        raise Http404
    header = _header(school_class)
    ids = [r.student.pk for r in results]
    people = {
        s["pk"]: s
        for s in Student.objects.filter(pk__in=ids).values(
            "pk", "sex", "ethnicity", "place_of_birth", "personal_id", "address"
        )
    }
    qualities: dict[tuple[int, int], dict[str, int]] = {}
    if header["is_primary"]:
        for sid, term, item, level in QualityMark.objects.filter(
            school_class=school_class, student_id__in=ids, kind=MarkKind.FINAL
        ).values_list("student_id", "term", "item", "level"):
            qualities.setdefault((sid, term), {})[item] = level
    contexts = []
    for result in results:
        person = people.get(result.student.pk, {})
        context = {
            **header,
            "student": result.student,
            "sex": {"M": "Nam", "F": "Nữ"}.get(person.get("sex", ""), ""),
            "ethnicity": person.get("ethnicity", ""),
            "place_of_birth": person.get("place_of_birth", ""),
            "absences": result.absences,
            "award": result.award,
        }
        if header["is_primary"]:
            context.update(_primary_context(summary, result, qualities))
        else:
            context.update(_secondary_context(summary, result))
        contexts.append(context)
    return ClassTranscripts(school_class, summary, contexts)
