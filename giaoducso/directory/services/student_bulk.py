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

from django.db.models import Model
from django.utils import timezone

from giaoducso.core import audit, bulk
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


def _unit_of(units: Mapping[int, Unit]) -> Callable[[Any], Unit | None]:
    return lambda obj: units[obj.school_id]


# The columns each table gets from a new row, every concrete field but the id (a test holds them to the
# models): rows are built as tuples in this order, without model instances, which at 100,000 rows cost
# more than the inserts themselves.
STUDENT_COLUMNS = (
    "school_id",
    "personal_id",
    "ministry_code",
    "full_name",
    "search_name",
    "sort_key",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "other_document_kind",
    "other_document_number",
    "place_of_birth",
    "birth_province",
    "birth_commune",
    "father_name",
    "father_birth_year",
    "mother_name",
    "mother_birth_year",
    "address",
    "ward_id",
    "ward_name",
    "disability",
    "policy_groups",
    "status",
    "current_class_id",
    "user_id",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "school_id",
    "student_id",
    "status",
    "date",
    "note",
    "created_at",
    "corrected_at",
    "corrected_by_id",
    "correction_reason",
)
ENROLMENT_COLUMNS = ("school_id", "student_id", "year_id", "school_class_id", "start_date", "end_date")
GUARDIAN_COLUMNS = ("school_id", "student_id", "full_name", "relation", "phone", "is_primary", "user_id")


def _student_row(r: NewStudent, names: dict[str, str], now: _dt.datetime) -> tuple[Any, ...]:
    return (
        r.school_id,
        r.personal_id,
        r.ministry_code,
        names["full_name"],
        names["search_name"],
        names["sort_key"],
        r.date_of_birth,
        r.sex,
        r.ethnicity,
        r.nationality,
        r.other_document_kind,
        r.other_document_number,
        r.place_of_birth,
        r.birth_province,
        r.birth_commune,
        r.father_name,
        r.father_birth_year,
        r.mother_name,
        r.mother_birth_year,
        r.address,
        r.ward_id,
        r.ward_name,
        r.disability,
        list(r.policy_groups),
        StudentStatus.STUDYING.value,
        r.class_id,
        None,
        now,
        now,
    )


def _insert_audited(
    actor: Actor,
    model: type[Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    reprs: Sequence[str],
    schools: Sequence[Unit],
) -> list[Any]:
    """Inserts the rows of one table and writes their audit lines (one per row); the rows' ids."""
    ids = bulk.insert_rows_with_ids(model, names, rows)
    audit.record_create_rows(
        actor=actor, model=model, names=names, rows=rows, ids=ids, reprs=reprs, units=schools
    )
    return ids


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
    units by id. Returns how many were written.

    Rows go in as tuples (core.bulk.insert_rows_with_ids), the audit lines are built from the same tuples
    (audit.record_create_rows): the lines and rows of the instance path, with a tenth of its Python work."""
    names, done = _Names(), 0
    studying, on = StudentStatus.STUDYING.value, f"{start_date:%d/%m/%Y}"
    for batch in _batches(rows):
        now = timezone.now()
        classes = _classes(r.class_id for r in batch)
        student_names = [names(r.full_name) for r in batch]
        students = [_student_row(r, n, now) for r, n in zip(batch, student_names, strict=True)]
        schools = [units[r.school_id] for r in batch]
        full_names = [n["full_name"] for n in student_names]
        student_ids = _insert_audited(actor, Student, STUDENT_COLUMNS, students, full_names, schools)
        del students
        events = [
            (r.school_id, pk, studying, start_date, note, now, None, None, "")
            for r, pk in zip(batch, student_ids, strict=True)
        ]
        reprs = [f"{name} {studying} {on}" for name in full_names]
        _insert_audited(actor, StudentStatusEvent, EVENT_COLUMNS, events, reprs, schools)
        if year is not None:
            enrolled = [i for i, r in enumerate(batch) if r.class_id is not None]
            enrolments = [
                (batch[i].school_id, student_ids[i], year.pk, batch[i].class_id, start_date, None)
                for i in enrolled
            ]
            reprs = [f"{full_names[i]} — {classes[batch[i].class_id].name}" for i in enrolled]  # type: ignore[index]
            _insert_audited(
                actor, Enrolment, ENROLMENT_COLUMNS, enrolments, reprs, [schools[i] for i in enrolled]
            )
        with_guardian = [i for i, r in enumerate(batch) if r.guardian_name]
        guardians = [
            (
                batch[i].school_id,
                student_ids[i],
                normalise_name(batch[i].guardian_name),
                batch[i].guardian_relation,
                batch[i].guardian_phone,
                True,
                None,
            )
            for i in with_guardian
        ]
        reprs = [f"{g[2]} ({g[3]})" for g in guardians]
        _insert_audited(
            actor, Guardian, GUARDIAN_COLUMNS, guardians, reprs, [schools[i] for i in with_guardian]
        )
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
