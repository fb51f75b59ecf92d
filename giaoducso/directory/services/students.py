"""Writes to students, their classes, their status history and their guardians. Every change is audited."""

import datetime as _dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit, UnitKind
from giaoducso.core.roles import RELATION_ROLES
from giaoducso.core.scoping import memberships_for
from giaoducso.core.services import reject_unknown_fields
from rules.text import normalise_name

from .. import checks
from ..models import (
    Enrolment,
    Guardian,
    ScheduledChange,
    SchoolClass,
    Student,
    StudentStatus,
    StudentStatusEvent,
)
from .changes import append_status_event, last_status_event, status_change_schedule
from .codes import clean_student_fields
from .names import set_name_columns

# The Ministry's student sheet: nationality, place of birth (province, commune), the parents, and for a
# pupil without a personal identifier the document held instead.
MINISTRY_FIELDS = (
    "nationality",
    "birth_province",
    "birth_commune",
    "father_name",
    "father_birth_year",
    "mother_name",
    "mother_birth_year",
    "other_document_kind",
    "other_document_number",
)
STUDENT_EDITABLE = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "address",
    "ward",
    "ministry_code",
    *MINISTRY_FIELDS,
)


def _check_ward(errors: checks.Errors, ward: Unit | None) -> None:
    # The quality board counts a ward as known only when it is a ward of the unit tree.
    if ward is not None and ward.kind != UnitKind.WARD:
        errors.setdefault("ward", []).append(_("Hãy chọn một phường/xã trong danh mục."))


@transaction.atomic
def student_update(*, actor: Actor, student: Student, **fields: Any) -> Student:
    reject_unknown_fields("student_update", fields, STUDENT_EDITABLE)
    errors: checks.Errors = {}
    _check_ward(errors, fields.get("ward"))
    checks.raise_if_any(errors)
    before = audit.snapshot(student, (*STUDENT_EDITABLE, "ward_name"))
    for key, value in fields.items():
        setattr(student, key, value)
    if fields.get("ward") is not None:
        # The ward is now chosen from the tree: the text the file gave is superseded.
        student.ward_name = ""
    set_name_columns(student, student.full_name)
    errors = {}
    clean_student_fields(errors, student, only=fields.keys())
    if "date_of_birth" in fields:
        _check_birth(errors, student.date_of_birth, student.current_class)
    checks.raise_if_any(errors)
    student.full_clean()
    student.save()
    audit.record_update(actor=actor, obj=student, before=before)
    return student


STUDENT_CREATE_OPTIONAL = (
    "ministry_code",
    "ethnicity",
    "place_of_birth",
    *MINISTRY_FIELDS,
    "address",
    "ward",
    "ward_name",
    "disability",
    "policy_groups",
)


def _check_birth(errors: checks.Errors, date_of_birth: Any, school_class: SchoolClass | None) -> None:
    """A real date of birth, and an age that fits the class's grade in its school year."""
    checks.student_birth(
        errors,
        date_of_birth,
        grade=school_class.grade if school_class is not None else None,
        school_year_start=school_class.year.start_date.year if school_class is not None else None,
    )


def _check_class_for(student_school: Unit, school_class: SchoolClass, errors: checks.Errors) -> None:
    if school_class.school_id != student_school.pk:
        errors.setdefault("school_class", []).append(_("Lớp phải thuộc trường của học sinh."))
    elif not school_class.year.is_current:
        errors.setdefault("school_class", []).append(_("Chỉ xếp lớp vào lớp của năm học hiện tại."))


@transaction.atomic
def student_create(
    *,
    actor: Actor,
    school: Unit,
    personal_id: str,
    full_name: str,
    date_of_birth: _dt.date,
    sex: str,
    school_class: SchoolClass | None = None,
    start_date: _dt.date | None = None,
    **fields: Any,
) -> Student:
    """A new student: the identifier must agree with sex and birth year (a pupil who is not Vietnamese may
    record another document instead); coded fields are read as a code or a name; status 'studying' from
    today (or `start_date`); enrolled in `school_class` of the current year when given."""
    reject_unknown_fields("student_create", fields, STUDENT_CREATE_OPTIONAL)
    personal_id = (personal_id or "").strip()
    errors: checks.Errors = {}
    _check_ward(errors, fields.get("ward"))
    if personal_id:
        checks.personal_id(errors, personal_id, sex, date_of_birth)
    _check_birth(errors, date_of_birth, school_class)
    if school_class is not None:
        _check_class_for(school, school_class, errors)
    student = Student(
        school=school,
        personal_id=personal_id,
        date_of_birth=date_of_birth,
        sex=sex,
        status=StudentStatus.STUDYING,
        current_class=school_class,
        **fields,
    )
    set_name_columns(student, full_name)
    clean_student_fields(errors, student)
    checks.raise_if_any(errors)
    student.full_clean()
    student.save()
    audit.record_create(actor=actor, obj=student)
    day = start_date or _dt.date.today()
    event = StudentStatusEvent.objects.create(
        school=school, student=student, status=StudentStatus.STUDYING, date=day
    )
    audit.record_create(actor=actor, obj=event)
    if school_class is not None:
        enrolment = Enrolment.objects.create(
            school=school, student=student, year=school_class.year, school_class=school_class, start_date=day
        )
        audit.record_create(actor=actor, obj=enrolment)
    return student


@transaction.atomic
def student_set_class(
    *, actor: Actor, student: Student, school_class: SchoolClass, date: _dt.date | None = None
) -> Enrolment:
    """Moves the student to another class: the open enrolment ends, a new one starts (history kept)."""
    errors: checks.Errors = {}
    _check_class_for(student.school, school_class, errors)
    if student.current_class_id == school_class.pk:
        errors.setdefault("school_class", []).append(_("Học sinh đang học ở lớp này."))
    checks.raise_if_any(errors)
    day = date or _dt.date.today()
    for open_enrolment in Enrolment.objects.filter(student=student, end_date__isnull=True):
        if open_enrolment.start_date and open_enrolment.start_date > day:
            raise ValidationError({"date": [_("Ngày chuyển lớp không được trước ngày vào lớp hiện tại.")]})
        open_enrolment.end_date = day
        open_enrolment.save(update_fields=["end_date"])
        audit.record(actor=actor, action="update", obj=open_enrolment, changes={"end_date": [None, day]})
    enrolment = Enrolment.objects.create(
        school=student.school,
        student=student,
        year=school_class.year,
        school_class=school_class,
        start_date=day,
    )
    audit.record_create(actor=actor, obj=enrolment)
    before = audit.snapshot(student, ("current_class",))
    student.current_class = school_class
    student.save(update_fields=["current_class", "updated_at"])
    audit.record_update(actor=actor, obj=student, before=before)
    return enrolment


@transaction.atomic
def student_set_status(
    *,
    actor: Actor,
    student: Student,
    status: str,
    date: _dt.date,
    note: str = "",
    today: _dt.date | None = None,
) -> StudentStatusEvent | ScheduledChange:
    """Appends to the status history (never rewrites it) and sets the student's current status. A date
    after `today` is a decision for later: it is scheduled (services.changes), the record unchanged."""
    today = today or timezone.localdate()
    errors: checks.Errors = {}
    if status not in StudentStatus.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    last = last_status_event(student)
    if last is not None and date < last.date:
        errors["date"] = [
            _("Ngày phải từ %(date)s trở đi (ngày của trạng thái gần nhất).")
            % {"date": f"{last.date:%d/%m/%Y}"}
        ]
    if len(note or "") > 255:
        errors["note"] = [_("Ghi chú dài tối đa 255 ký tự.")]
    checks.raise_if_any(errors)
    if date > today:
        return status_change_schedule(actor=actor, student=student, status=status, date=date, note=note)
    return append_status_event(actor=actor, student=student, status=status, date=date, note=note or "")


# Guardians -----------------------------------------------------------------------------------------

GUARDIAN_EDITABLE = ("full_name", "relation", "phone", "is_primary")


def _clean_guardian(guardian: Guardian) -> None:
    errors: checks.Errors = {}
    guardian.full_name = normalise_name(guardian.full_name or "")
    guardian.phone = checks.phone(errors, "phone", guardian.phone)
    checks.raise_if_any(errors)
    guardian.full_clean()


def _only_primary(guardian: Guardian) -> None:
    # One primary contact per student: the one just marked wins.
    if guardian.is_primary:
        Guardian.objects.filter(student_id=guardian.student_id, is_primary=True).exclude(
            pk=guardian.pk
        ).update(is_primary=False)


@transaction.atomic
def guardian_add(
    *,
    actor: Actor,
    student: Student,
    full_name: str,
    relation: str = "Cha/Mẹ",
    phone: str = "",
    is_primary: bool = False,
) -> Guardian:
    if not student.guardians.exists():
        is_primary = True
    guardian = Guardian(
        school=student.school,
        student=student,
        full_name=full_name,
        relation=relation,
        phone=phone,
        is_primary=is_primary,
    )
    _clean_guardian(guardian)
    guardian.save()
    _only_primary(guardian)
    audit.record_create(actor=actor, obj=guardian)
    return guardian


@transaction.atomic
def guardian_update(*, actor: Actor, guardian: Guardian, **fields: Any) -> Guardian:
    reject_unknown_fields("guardian_update", fields, GUARDIAN_EDITABLE)
    before = audit.snapshot(guardian, GUARDIAN_EDITABLE)
    for key, value in fields.items():
        setattr(guardian, key, value)
    _clean_guardian(guardian)
    guardian.save()
    _only_primary(guardian)
    audit.record_update(actor=actor, obj=guardian, before=before)
    return guardian


@transaction.atomic
def guardian_remove(*, actor: Actor, guardian: Guardian) -> None:
    audit.record_delete(actor=actor, obj=guardian)
    student_id, was_primary = guardian.student_id, guardian.is_primary
    guardian.delete()
    if was_primary:
        heir = Guardian.objects.filter(student_id=student_id).order_by("id").first()
        if heir is not None:
            heir.is_primary = True
            heir.save(update_fields=["is_primary"])


def student_record_viewed(*, actor: Actor, student: Student) -> None:
    """Logs a read of a student's full record by someone who does not work at (or under) the student's school.

    Law 91/2025 and our data-protection sheet: reads from outside the school (department officers,
    integrations, superusers) are traced; the school's own staff and the child's family are not, so the
    log stays readable.
    """
    school_path = student.school.path
    for membership in memberships_for(actor):
        if membership.role in RELATION_ROLES or membership.unit.path.startswith(school_path):
            return
    audit.record(actor=actor, action=AuditAction.VIEW, obj=student, note="Xem hồ sơ từ ngoài trường")
