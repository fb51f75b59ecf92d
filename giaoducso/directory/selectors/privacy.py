"""Who sees which of a student's fields — decided here, once, for the screen, the API, the exports and search.

Scoping (`core.scoping`) decides *whether* a user sees a student at all; this module decides *which fields*
of a student the user then sees. Fields fall into three groups:

- basic (anyone who may see the student): name, school, class, sex, date of birth, status, Ministry code;
- record (`Visibility.record`): personal identifier (or the other document held instead) and its history of
  corrections, nationality, address and ward, place of birth, the parents' names and years of birth,
  guardians (names, relations, phones), the status history and the changes scheduled for later (their
  notes may give reasons) and the class history;
- sensitive (`Visibility.sensitive`): ethnicity and disability — "sensitive data" under Decree
  356/2025/NĐ-CP Art. 4 (ethnicity, religion, health); a religion or health field joins this group.

The rule follows the data-protection sheet (`shared/rules/data-protection.md`: Law 91/2025/QH15, Decree
356/2025): need to know. The student's own school staff who keep the record, the homeroom teacher of the
student's class, the family and the student, and the department's officers for their data work see the
whole record; everyone else sees the basic fields only ("ethnicity and religion treated as sensitive, shown
only to those who need them"; "exports … carry only what their purpose needs").

| role (where it is held)          | record            | sensitive         | why                                        |
|----------------------------------|-------------------|-------------------|--------------------------------------------|
| department_leader (Phòng/Sở)     | —                 | —                 | directs; works from counts, not one child  |
| department_officer (Phòng/Sở)    | subtree           | subtree           | data work: Ministry exchange, admissions,  |
|                                  |                   |                   | transfers, policy (chế độ chính sách)      |
| department_it (Phòng/Sở)         | subtree           | subtree           | data work: imports, matching, corrections  |
| principal (school)               | subtree           | subtree           | keeps the school's records                 |
| vice_principal (school)          | subtree           | subtree           | keeps the school's records                 |
| school_office (school)           | subtree           | subtree           | keeps the school's records                 |
| school_it (school)               | subtree           | subtree           | keeps the school's records, imports        |
| teacher (school)                 | —                 | —                 | a subject teacher needs name and class     |
| homeroom_teacher (school)        | own class         | own class         | writes to parents, the học bạ, inclusion   |
| parent (relation)                | own child         | own child         | the child's legal representative (Art. 5)  |
| student (relation)               | self              | self              | the data subject (Decree Art. 5)           |
| integration (Phòng/Sở)           | —                 | —                 | a system: minimum; its purpose is unknown  |
| superuser                        | all               | all               | reads from outside a school are logged     |

"Own class": the class whose `homeroom_teacher` is the user's Staff record (`Staff.user`); a homeroom
teacher sees other classes like a subject teacher. "Subtree": the unit the role is held on and below.
Everyone who may change a student (`Perm.CHANGE_STUDENT`) sees the whole record: a form cannot edit a value
it hides. Today the two groups go to the same people; they stay apart because the sheet treats sensitive
data more strictly (a school nurse, a counsellor, an admissions role would differ), and the code that shows
a field says which group it belongs to.

Masking convention, everywhere: a withheld field is *absent* — `null` in the API (and the guardians,
history lists `null`; `/guardians` answers `[]`), an empty cell in exports, "Không hiển thị" on screen. No
partly masked values: the last digits of an identifier or phone number are still personal data.

A lookup by personal identifier only finds students whose record the user sees, so that search cannot be
used to confirm an identifier the user may not read.

The Ministry's C1-HocSinh file is different: sending it is the school's and the department's legal duty
and the Ministry's database needs the identifier, ethnicity and disability of every pupil, so a masked file
is no file at all. It is therefore complete, and offered only for the schools where the user sees every
student's whole record (`full_record_unit_paths`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from giaoducso.core.roles import Role
from giaoducso.core.scoping import memberships_for

from ..models import Student


class Reach(StrEnum):
    NONE = "none"
    SUBTREE = "subtree"  # every student of the unit the role is held on, and below
    OWN_CLASS = "own_class"  # the students of the class the user is homeroom teacher of
    RELATION = "relation"  # the user's own record, or their child's (Student.scope.relations)


# role → (record, sensitive); the table in the module docstring, in code.
RULES: dict[str, tuple[Reach, Reach]] = {
    Role.DEPARTMENT_LEADER: (Reach.NONE, Reach.NONE),
    Role.DEPARTMENT_OFFICER: (Reach.SUBTREE, Reach.SUBTREE),
    Role.DEPARTMENT_IT: (Reach.SUBTREE, Reach.SUBTREE),
    Role.PRINCIPAL: (Reach.SUBTREE, Reach.SUBTREE),
    Role.VICE_PRINCIPAL: (Reach.SUBTREE, Reach.SUBTREE),
    Role.SCHOOL_OFFICE: (Reach.SUBTREE, Reach.SUBTREE),
    Role.SCHOOL_IT: (Reach.SUBTREE, Reach.SUBTREE),
    Role.TEACHER: (Reach.NONE, Reach.NONE),
    Role.HOMEROOM_TEACHER: (Reach.OWN_CLASS, Reach.OWN_CLASS),
    Role.PARENT: (Reach.RELATION, Reach.RELATION),
    Role.STUDENT: (Reach.RELATION, Reach.RELATION),
    Role.INTEGRATION: (Reach.NONE, Reach.NONE),
    Role.PORTAL_EDITOR: (Reach.NONE, Reach.NONE),
}

_NOWHERE = (Reach.NONE, Reach.NONE)

RECORD = "record"
SENSITIVE = "sensitive"
_GROUP_INDEX = {RECORD: 0, SENSITIVE: 1}

# Which group each withheld field belongs to; every other field of a student is basic.
FIELD_GROUPS: dict[str, str] = {
    "personal_id": RECORD,
    "personal_id_history": RECORD,
    "address": RECORD,
    "ward": RECORD,
    "scheduled_changes": RECORD,
    "nationality": RECORD,
    "other_document_kind": RECORD,
    "other_document_number": RECORD,
    "place_of_birth": RECORD,
    "birth_province": RECORD,
    "birth_commune": RECORD,
    "father_name": RECORD,
    "father_birth_year": RECORD,
    "mother_name": RECORD,
    "mother_birth_year": RECORD,
    "guardians": RECORD,
    "status_history": RECORD,
    "enrolments": RECORD,
    "ethnicity": SENSITIVE,
    "disability": SENSITIVE,
}


@dataclass(frozen=True)
class Visibility:
    """What one user sees of one student, by field group."""

    record: bool
    sensitive: bool

    def shows(self, field: str) -> bool:
        group = FIELD_GROUPS.get(field)
        if group is None:
            return True
        return self.record if group == RECORD else self.sensitive

    def value(self, field: str, value: Any) -> Any:
        """`value` when the field is shown, else None (the one masking convention)."""
        return value if self.shows(field) else None


FULL = Visibility(record=True, sensitive=True)
BASIC = Visibility(record=False, sensitive=False)


def _is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def group_q(user: Any, group: str) -> Q | None:
    """The students whose `group` fields `user` sees, as a filter; None means every student.

    Built once per call from the user's counted memberships (the active one, if chosen), so a list of any
    length costs no extra query."""
    if _is_superuser(user):
        return None
    index = _GROUP_INDEX[group]
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        reach = RULES.get(membership.role, _NOWHERE)[index]
        in_branch = Q(school__path__startswith=membership.unit.path)
        if reach == Reach.SUBTREE:
            condition |= in_branch
        elif reach == Reach.OWN_CLASS:
            condition |= in_branch & Q(current_class__homeroom_teacher__user=user)
        elif reach == Reach.RELATION:
            relation = Student.scope.relations.get(membership.role)
            if relation is not None:
                # Exists, not a join: a child with two guardians stays one row.
                related = Student.objects.filter(pk=OuterRef("pk"), **{relation: user})
                condition |= in_branch & Q(Exists(related))
    return condition


def full_record_unit_paths(user: Any) -> list[str] | None:
    """The unit paths under which `user` sees every student's whole record (None: everywhere)."""
    if _is_superuser(user):
        return None
    return [
        m.unit.path
        for m in memberships_for(user)
        if RULES.get(m.role, _NOWHERE) == (Reach.SUBTREE, Reach.SUBTREE)
    ]


def _flag(condition: Q | None) -> Any:
    if condition is None:
        return Value(True, output_field=BooleanField())
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_visibility(students: QuerySet[Student], user: Any) -> QuerySet[Student]:
    """`students` with the user's visibility of each row computed in the same query (lists, exports)."""
    return students.annotate(
        sees_record=_flag(group_q(user, RECORD)), sees_sensitive=_flag(group_q(user, SENSITIVE))
    )


def visibility_of(student: Student) -> Visibility:
    """The visibility of a row from `with_visibility`."""
    return Visibility(record=bool(student.sees_record), sensitive=bool(student.sees_sensitive))  # type: ignore[attr-defined]


def student_visibility(*, user: Any, student: Student) -> Visibility:
    """What `user` sees of `student` (who must already be in the user's scope)."""
    if _is_superuser(user):
        return FULL
    if all(RULES.get(m.role, _NOWHERE) == _NOWHERE for m in memberships_for(user)):
        return BASIC  # no role could show anything: no query
    row = with_visibility(Student.objects.filter(pk=student.pk), user).values_list(
        "sees_record", "sees_sensitive"
    )
    flags = row.first()
    return Visibility(record=bool(flags[0]), sensitive=bool(flags[1])) if flags else BASIC


def guarded(field: str, getter: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An export column's getter that leaves the cell empty where the row's field is withheld; the rows
    must come from `with_visibility`."""

    def get(student: Any) -> Any:
        return getter(student) if visibility_of(student).shows(field) else None

    return get
