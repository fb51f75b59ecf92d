"""A primary pupil's qualities and competences (Circular 27, Art. 7.2), kept by the homeroom teacher at
the four assessment points; refused in a locked term like marks, audited cell by cell."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.directory.models import SchoolClass, Student
from rules import qualities as rules_qualities
from rules.assessment_primary import QualityLevel

from ..models import MarkKind, QualityMark, Term
from .homeroom import _may_keep
from .locks import ensure_open
from .marks import IN_CLASS_STATUSES, is_system

PRIMARY_GRADES = range(1, 6)
CHECKPOINT_KINDS = (MarkKind.MIDTERM, MarkKind.FINAL)


@dataclass(frozen=True)
class QualityEntry:
    """One item of one pupil at the checkpoint being written; `level` None clears it."""

    student_id: int
    item: str
    level: int | None


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


@transaction.atomic
def qualities_write(
    *,
    actor: Actor,
    school_class: SchoolClass,
    term: int,
    kind: str,
    entries: Iterable[QualityEntry],
    system: bool = False,
) -> int:
    """Writes the levels of one checkpoint (mid-term or end of `term`), all or nothing; new rows in
    batches (a class's whole grid at once), each with its audit line. Returns how many rows changed.
    `system`: the system itself (the demo) writes without being the homeroom teacher."""
    if not (system and is_system(actor)):
        _may_keep(actor, school_class)
    if school_class.grade not in PRIMARY_GRADES:
        raise _invalid("school_class", _("Chỉ lớp tiểu học đánh giá phẩm chất, năng lực."), "not_primary")
    if term not in Term.values:
        raise _invalid("term", _("Học kì phải là I hoặc II."), "invalid_term")
    if kind not in CHECKPOINT_KINDS:
        raise _invalid("kind", _("Thời điểm đánh giá là giữa kì hoặc cuối kì."), "invalid_kind")
    ensure_open(school_class, term)
    entries = list(entries)
    in_class = set(
        Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES).values_list(
            "pk", flat=True
        )
    )
    for entry in entries:
        if entry.student_id not in in_class:
            raise _invalid(
                "student",
                _("Học sinh không (còn) học ở lớp %(cls)s.") % {"cls": school_class.name},
                "not_in_class",
            )
        if entry.item not in rules_qualities.CODES:
            raise _invalid("item", _("Không có phẩm chất, năng lực này."), "invalid_item")
        if entry.level is not None and entry.level not in QualityLevel.__members__.values():
            raise _invalid("level", _("Mức đánh giá là Tốt, Đạt hoặc Cần cố gắng."), "invalid_level")
    existing = {
        (q.student_id, q.item): q
        for q in QualityMark.objects.select_for_update().filter(
            school_class=school_class, term=term, kind=kind, student_id__in={e.student_id for e in entries}
        )
    }
    people = Student.objects.only("pk", "full_name", "school_id").in_bulk(
        list({e.student_id for e in entries})
    )
    fresh: dict[tuple[int, str], QualityMark] = {}
    changed = 0
    for entry in entries:
        key = (entry.student_id, entry.item)
        current = existing.get(key) or fresh.get(key)
        if entry.level is None:
            if key in fresh:
                del fresh[key]
            elif current is not None:
                audit.record_delete(actor=actor, obj=current)
                current.delete()
                existing.pop(key)
                changed += 1
            continue
        if current is None:
            fresh[key] = QualityMark(
                school=school_class.school,
                school_class=school_class,
                student=people[entry.student_id],
                term=term,
                kind=kind,
                item=entry.item,
                level=entry.level,
            )
        elif key in fresh:
            current.level = entry.level
        elif current.level != entry.level:
            before = audit.snapshot(current, ["level"])
            current.level = entry.level
            current.save(update_fields=["level", "updated_at"])
            audit.record_update(actor=actor, obj=current, before=before)
            changed += 1
    rows = QualityMark.objects.bulk_create(list(fresh.values()), batch_size=500)
    audit.record_create_many(actor=actor, objs=rows)
    return changed + len(rows)
