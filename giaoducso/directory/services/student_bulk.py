"""Students in bulk, beside the single-row services (`students.py`): the student import and the demo district
write through here. The rows are those `student_create` (+ `guardian_add`) writes — the student with its
name columns, the status event, the enrolment, the primary guardian — and so are the audit lines, one per
row; a test holds the two paths to the same result. Inserts go through core.bulk (COPY on PostgreSQL).

The caller has checked the rows (directory.checks, as the single-row services do).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from django.utils import timezone

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.bulk import bulk_insert
from giaoducso.core.models import AuditAction, Unit
from rules import codelists
from rules.text import name_columns, normalise_name

from ..models import Enrolment, Guardian, SchoolClass, SchoolYear, Student, StudentStatus, StudentStatusEvent
from .students import MINISTRY_FIELDS

BATCH = 2000
GUARDIAN_RELATION = "Cha/Mẹ"

# The student columns a bulk update sets, besides the name columns and the class.
UPDATED_FIELDS = ("date_of_birth", "sex", "ethnicity", "address", "ward_id", "ward_name", *MINISTRY_FIELDS)


class NewStudent(NamedTuple):
    """One student to write; `full_name` as typed (name_columns derives what is stored). Coded fields
    (ethnicity, nationality, birth_province, other_document_kind) hold codes, other names normalised, as
    services.codes.clean_student_fields leaves them."""

    school_id: int
    personal_id: str
    full_name: str
    date_of_birth: _dt.date
    sex: str
    class_id: int | None = None
    ethnicity: str = codelists.KINH
    address: str = ""
    ward_id: int | None = None
    ward_name: str = ""
    place_of_birth: str = ""
    disability: str = ""
    policy_groups: tuple[str, ...] = ()
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_relation: str = GUARDIAN_RELATION
    ministry_code: str = ""
    nationality: str = codelists.VIETNAM
    birth_province: str = ""
    birth_commune: str = ""
    father_name: str = ""
    father_birth_year: int | None = None
    mother_name: str = ""
    mother_birth_year: int | None = None
    other_document_kind: str = ""
    other_document_number: str = ""


class StudentChange(NamedTuple):
    """An existing student (`pk`) to set to `row`; `guardian_id`: its first primary guardian, if any."""

    pk: int
    row: NewStudent
    guardian_id: int | None
    guardian_changed: bool


Progress = Callable[[int], None]


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH)):
        yield batch


class _Names:
    """name_columns per distinct name: names repeat across a school."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, str]] = {}

    def __call__(self, raw: str) -> dict[str, str]:
        columns = self._cache.get(raw)
        if columns is None:
            columns = self._cache[raw] = name_columns(raw)
        return columns


def _classes(ids: Iterable[int | None]) -> dict[int, SchoolClass]:
    wanted = {i for i in ids if i is not None}
    return SchoolClass.objects.only("id", "name").in_bulk(wanted) if wanted else {}


def _linked(obj: Any, **related: Any) -> Any:
    """Related instances the caller already holds, put where Django looks for them (what `obj.student = s`
    does, without its checks, which cost more than the insert at this size): str(obj) needs them."""
    obj._state.fields_cache.update(related)
    return obj


def _unit_of(units: Mapping[int, Unit]) -> Callable[[Any], Unit | None]:
    return lambda obj: units[obj.school_id]


def student_bulk_create(
    *,
    actor: Actor,
    rows: Iterable[NewStudent],
    year: SchoolYear | None,
    start_date: _dt.date,
    units: Mapping[int, Unit],
    note: str = "",
    progress: Progress | None = None,
) -> int:
    """New students, studying from `start_date`, enrolled in their class of `year`; `units`: the schools'
    units by id. Returns how many were written."""
    names, unit_of, done = _Names(), _unit_of(units), 0
    for batch in _batches(rows):
        classes = _classes(r.class_id for r in batch)
        students = [
            Student(
                school_id=r.school_id,
                personal_id=r.personal_id,
                date_of_birth=r.date_of_birth,
                sex=r.sex,
                ministry_code=r.ministry_code,
                ethnicity=r.ethnicity,
                place_of_birth=r.place_of_birth,
                address=r.address,
                ward_id=r.ward_id,
                ward_name=r.ward_name,
                disability=r.disability,
                policy_groups=list(r.policy_groups),
                status=StudentStatus.STUDYING,
                current_class_id=r.class_id,
                **{name: getattr(r, name) for name in MINISTRY_FIELDS},
                **names(r.full_name),
            )
            for r in batch
        ]
        bulk_insert(Student, students)
        events = [
            _linked(
                StudentStatusEvent(
                    school_id=s.school_id,
                    student_id=s.pk,
                    status=StudentStatus.STUDYING,
                    date=start_date,
                    note=note,
                ),
                student=s,
            )
            for s in students
        ]
        bulk_insert(StudentStatusEvent, events)
        enrolments = [
            _linked(
                Enrolment(
                    school_id=s.school_id,
                    student_id=s.pk,
                    year_id=year.pk,
                    school_class_id=r.class_id,
                    start_date=start_date,
                ),
                student=s,
                school_class=classes[r.class_id],
            )
            for s, r in zip(students, batch, strict=True)
            if r.class_id is not None and year is not None
        ]
        bulk_insert(Enrolment, enrolments)
        guardians = [
            Guardian(
                school_id=s.school_id,
                student_id=s.pk,
                full_name=normalise_name(r.guardian_name),
                relation=r.guardian_relation,
                phone=r.guardian_phone,
                is_primary=True,
            )
            for s, r in zip(students, batch, strict=True)
            if r.guardian_name
        ]
        bulk_insert(Guardian, guardians)
        for objs in (students, events, enrolments, guardians):
            audit.record_create_many(actor=actor, objs=objs, unit_of=unit_of)
        done += len(batch)
        if progress is not None:
            progress(done)
    return done


def student_bulk_update(
    *,
    actor: Actor,
    changes: Sequence[StudentChange],
    befores: Sequence[dict[str, Any]],
    year: SchoolYear,
    start_date: _dt.date,
    units: Mapping[int, Unit],
    note: str = "",
    progress: Progress | None = None,
) -> int:
    """Existing students set to their rows: fields, class (the year's enrolment moves with it), primary
    guardian. One audit line per student with `before` (its audited old values) against the new ones."""
    names, done = _Names(), 0
    now = timezone.now()
    for start in range(0, len(changes), BATCH):
        batch = changes[start : start + BATCH]
        students = [
            Student(
                pk=c.pk,
                school_id=c.row.school_id,
                current_class_id=c.row.class_id,
                updated_at=now,
                **{name: getattr(c.row, name) for name in UPDATED_FIELDS},
                **names(c.row.full_name),
            )
            for c in batch
        ]
        columns = [*UPDATED_FIELDS, *names(batch[0].row.full_name), "current_class_id", "updated_at"]
        Student.objects.bulk_update(students, columns)
        _update_guardians(actor, [c for c in batch if c.guardian_changed], _unit_of(units))
        _move_enrolments(actor, batch, year, start_date, _unit_of(units))
        for change, before, student in zip(batch, befores[start : start + BATCH], students, strict=True):
            student.school = units[change.row.school_id]
            after = {key: _after(change, student, key) for key in before}
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=student,
                changes=audit.diff(before, after),
                note=note,
            )
        done += len(batch)
        if progress is not None:
            progress(done)
    return done


def _after(change: StudentChange, student: Student, key: str) -> Any:
    if key == "guardian":
        return [normalise_name(change.row.guardian_name), change.row.guardian_phone]
    return getattr(student, key)


def _update_guardians(actor: Actor, changes: list[StudentChange], unit_of: Callable[[Any], Any]) -> None:
    update = [
        Guardian(pk=c.guardian_id, full_name=normalise_name(c.row.guardian_name), phone=c.row.guardian_phone)
        for c in changes
        if c.guardian_id is not None
    ]
    Guardian.objects.bulk_update(update, ["full_name", "phone"])
    new = [
        Guardian(
            school_id=c.row.school_id,
            student_id=c.pk,
            full_name=normalise_name(c.row.guardian_name),
            phone=c.row.guardian_phone,
            relation=c.row.guardian_relation,
            is_primary=True,
        )
        for c in changes
        if c.guardian_id is None
    ]
    bulk_insert(Guardian, new)
    audit.record_create_many(actor=actor, objs=new, unit_of=unit_of)


def _move_enrolments(
    actor: Actor,
    batch: Sequence[StudentChange],
    year: SchoolYear,
    start_date: _dt.date,
    unit_of: Callable[[Any], Any],
) -> None:
    """The year's enrolment follows the class: moved when there is one, made when there is none."""
    enrolled = dict(
        Enrolment.objects.filter(year=year, student_id__in=[c.pk for c in batch]).values_list(
            "student_id", "pk"
        )
    )
    moved = [Enrolment(pk=enrolled[c.pk], school_class_id=c.row.class_id) for c in batch if c.pk in enrolled]
    Enrolment.objects.bulk_update(moved, ["school_class_id"])
    classes = _classes(c.row.class_id for c in batch if c.pk not in enrolled)
    new = [
        Enrolment(
            school_id=c.row.school_id,
            student=Student(pk=c.pk, full_name=normalise_name(c.row.full_name)),
            year=year,
            school_class=classes[c.row.class_id],  # type: ignore[index]
            start_date=start_date,
        )
        for c in batch
        if c.pk not in enrolled
    ]
    bulk_insert(Enrolment, new)
    audit.record_create_many(actor=actor, objs=new, unit_of=unit_of)
