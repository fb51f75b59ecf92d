"""How far a school uses its electronic grade books: counts only, no personal data (read by the
digital-transformation index's proposals in `reporting`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from giaoducso.core.models import Unit
from giaoducso.directory.models import SchoolClass

from ..models import Mark


@dataclass(frozen=True)
class GradebookUsage:
    classes: int  # the school's classes in the year
    classes_with_marks: int  # of them, those whose grade book holds at least one mark


def gradebook_usage(*, school: Unit, year_name: str) -> GradebookUsage:
    """One query: each class of the year, whether its grade book has a mark (the per-class index)."""
    rows = (
        SchoolClass.objects.filter(school=school, year__name=year_name)
        .annotate(used=Exists(Mark.objects.filter(school_class=OuterRef("pk"))))
        .values_list("used", flat=True)
    )
    flags = list(rows)
    return GradebookUsage(classes=len(flags), classes_with_marks=sum(1 for f in flags if f))
