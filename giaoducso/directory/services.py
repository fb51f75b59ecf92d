"""Writes to the shared education database. Every change to a student is audited."""

from typing import Any

from django.db import transaction

from giaoducso.core import audit
from rules.text import fold, normalise_name

from .models import Student

STUDENT_EDITABLE = ("full_name", "date_of_birth", "sex", "ethnicity", "address", "ministry_code")


@transaction.atomic
def student_update(*, actor: Any, student: Student, **fields: Any) -> Student:
    unknown = set(fields) - set(STUDENT_EDITABLE)
    if unknown:
        raise ValueError(f"student_update cannot change {sorted(unknown)}")
    before = audit.snapshot(student, STUDENT_EDITABLE)
    for key, value in fields.items():
        setattr(student, key, value)
    student.full_name = normalise_name(student.full_name)
    student.search_name = fold(student.full_name)
    student.full_clean()
    student.save()
    audit.record_update(actor=actor, obj=student, before=before)
    return student
