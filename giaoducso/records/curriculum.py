"""The national programme's subjects in the database, kept equal to `rules.curriculum` (the data migration
and `manage.py seed_demo` call `sync`; a later programme change is one more call)."""

from __future__ import annotations

from typing import Any

from rules.curriculum import PRIMARY_TESTED, SUBJECTS, Kind


def sync(subject_model: Any, grade_subject_model: Any) -> int:
    """Creates or updates every subject and its grades; returns how many subjects there are. Takes the
    models as arguments so that a migration can pass its historical ones."""
    for spec in SUBJECTS:
        subject, _created = subject_model.objects.update_or_create(
            code=spec.code, defaults={"name": spec.name, "kind": str(spec.kind), "order": spec.order}
        )
        for grade, periods in spec.periods.items():
            grade_subject_model.objects.update_or_create(
                subject=subject,
                grade=grade,
                defaults={
                    "periods_per_year": periods,
                    "tested": spec.kind == Kind.LEVEL and spec.code in PRIMARY_TESTED,
                },
            )
        grade_subject_model.objects.filter(subject=subject).exclude(grade__in=list(spec.periods)).delete()
    return len(SUBJECTS)
