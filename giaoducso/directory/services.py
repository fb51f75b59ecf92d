"""Writes to the shared education database. Every change to a student is audited."""

from typing import Any

from django.db import transaction

from giaoducso.core import audit
from giaoducso.core.services import reject_unknown_fields
from rules.text import fold, normalise_name

from .models import Staff, Student

STUDENT_EDITABLE = ("full_name", "date_of_birth", "sex", "ethnicity", "address", "ministry_code")


@transaction.atomic
def student_update(*, actor: Any, student: Student, **fields: Any) -> Student:
    reject_unknown_fields("student_update", fields, STUDENT_EDITABLE)
    before = audit.snapshot(student, STUDENT_EDITABLE)
    for key, value in fields.items():
        setattr(student, key, value)
    student.full_name = normalise_name(student.full_name)
    student.search_name = fold(student.full_name)
    student.full_clean()
    student.save()
    audit.record_update(actor=actor, obj=student, before=before)
    return student


# --- Staff -------------------------------------------------------------------------------------

STAFF_EDITABLE = (
    "full_name",
    "sex",
    "date_of_birth",
    "position",
    "employment_type",
    "qualification",
    "subjects",
    "phone",
    "email",
    "status",
)


@transaction.atomic
def staff_create(*, actor: Any, school: Any, personal_id: str, full_name: str, **fields: Any) -> Staff:
    """A staff record; its search key is folded here, since the column has no default to fall back on."""
    reject_unknown_fields("staff_create", fields, STAFF_EDITABLE)
    staff = Staff(
        school=school, personal_id=personal_id.strip(), full_name=normalise_name(full_name), **fields
    )
    staff.search_name = fold(staff.full_name)
    _validate_staff(staff)
    staff.full_clean()
    staff.save()
    audit.record_create(actor=actor, obj=staff)
    # The school that keeps the record is where they work, until staff_assign adds another.
    assignment = StaffAssignment.objects.create(
        school=school, staff=staff, position=staff.position, is_main=True
    )
    audit.record_create(actor=actor, obj=assignment)
    return staff


@transaction.atomic
def staff_update(*, actor: Any, staff: Staff, **fields: Any) -> Staff:
    reject_unknown_fields("staff_update", fields, STAFF_EDITABLE)
    before = audit.snapshot(staff, STAFF_EDITABLE)
    for key, value in fields.items():
        setattr(staff, key, value)
    staff.full_name = normalise_name(staff.full_name)
    staff.search_name = fold(staff.full_name)
    _validate_staff(staff)
    staff.full_clean()
    staff.save()
    audit.record_update(actor=actor, obj=staff, before=before)
    return staff


# --- the directory's own records: schools, years, classes, students, staff, facilities ------------
# Shared by the screens, the API and the commands: one write path per operation, each audited.

import datetime as _dt  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from giaoducso.core import services as core_services  # noqa: E402
from giaoducso.core.models import Unit  # noqa: E402
from rules.identifiers import check_personal_id  # noqa: E402
from rules.students import LEVEL_GRADES, normalise_phone, parse_class_name  # noqa: E402

from .models import (  # noqa: E402
    Enrolment,
    Equipment,
    Guardian,
    Room,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffAssignment,
    StudentStatus,
    StudentStatusEvent,
    Term,
)


def _check_phone(errors: dict[str, list[str]], field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    phone = normalise_phone(value)
    if phone is None:
        errors.setdefault(field, []).append(
            _("Số điện thoại không hợp lệ (ví dụ 0901234567 hoặc 02838123456).")
        )
        return value
    return phone


def _check_person_id(errors: dict[str, list[str]], personal_id: str, sex: str, dob: Any) -> None:
    birth_year = dob.year if isinstance(dob, _dt.date) else None
    for problem in check_personal_id(personal_id or "", sex=sex or None, birth_year=birth_year):
        errors.setdefault(problem.field, []).append(problem.message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Schools ---------------------------------------------------------------------------------------------

SCHOOL_EDITABLE = (
    "level",
    "ownership",
    "ward",
    "ward_name",
    "address",
    "phone",
    "email",
    "website",
    "principal_name",
    "it_leader_name",
    "has_it_staff_position",
    "status",
)


@transaction.atomic
def school_update(*, actor: Any, school: School, name: str | None = None, **fields: Any) -> School:
    """The school's record; its name lives on its Unit, which keeps its own audit line."""
    reject_unknown_fields("school_update", fields, SCHOOL_EDITABLE)
    before = audit.snapshot(school, SCHOOL_EDITABLE)
    for key, value in fields.items():
        setattr(school, key, value)
    errors: dict[str, list[str]] = {}
    if "phone" in fields:
        school.phone = _check_phone(errors, "phone", school.phone)
    if school.ward_id is not None and "ward_name" not in fields:
        school.ward_name = ""
    _raise(errors)
    school.full_clean()
    school.save()
    audit.record_update(actor=actor, obj=school, before=before)
    if name is not None and name.strip() and name.strip() != school.unit.name:
        core_services.unit_update(actor=actor, unit=school.unit, name=name.strip())
    return school


# School years and terms -----------------------------------------------------------------------------


def _check_year_dates(start: _dt.date, end: _dt.date) -> None:
    if start >= end:
        raise ValidationError({"end_date": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})


@transaction.atomic
def school_year_create(
    *, actor: Any, name: str, start_date: _dt.date, end_date: _dt.date, is_current: bool = False
) -> SchoolYear:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    parts = name.split("-")
    if not (
        len(parts) == 2
        and all(p.isdigit() and len(p) == 4 for p in parts)
        and int(parts[1]) == int(parts[0]) + 1
    ):
        errors["name"] = [_("Tên năm học có dạng 2026-2027 (hai năm liên tiếp).")]
    _raise(errors)
    _check_year_dates(start_date, end_date)
    year = SchoolYear(name=name, start_date=start_date, end_date=end_date, is_current=False)
    year.full_clean()
    year.save()
    audit.record_create(actor=actor, obj=year)
    if is_current:
        school_year_set_current(actor=actor, year=year)
    return year


@transaction.atomic
def school_year_update(*, actor: Any, year: SchoolYear, **fields: Any) -> SchoolYear:
    reject_unknown_fields("school_year_update", fields, ("start_date", "end_date"))
    before = audit.snapshot(year, ("start_date", "end_date"))
    for key, value in fields.items():
        setattr(year, key, value)
    _check_year_dates(year.start_date, year.end_date)
    year.full_clean()
    year.save()
    audit.record_update(actor=actor, obj=year, before=before)
    return year


@transaction.atomic
def school_year_set_current(*, actor: Any, year: SchoolYear) -> SchoolYear:
    """Exactly one current year: the previous one stops being current in the same transaction."""
    previous = list(SchoolYear.objects.select_for_update().filter(is_current=True).exclude(pk=year.pk))
    for old in previous:
        old.is_current = False
        old.save(update_fields=["is_current"])
        audit.record(actor=actor, action="update", obj=old, changes={"is_current": [True, False]})
    if not year.is_current:
        year.is_current = True
        year.save(update_fields=["is_current"])
        audit.record(actor=actor, action="update", obj=year, changes={"is_current": [False, True]})
    return year


@transaction.atomic
def term_set(*, actor: Any, year: SchoolYear, number: int, start_date: _dt.date, end_date: _dt.date) -> Term:
    """Creates or moves a term; its dates lie inside the year and term I comes before term II."""
    errors: dict[str, list[str]] = {}
    if number not in (1, 2):
        errors["number"] = [_("Học kì phải là I hoặc II.")]
    if start_date >= end_date:
        errors.setdefault("end_date", []).append(_("Ngày kết thúc học kì phải sau ngày bắt đầu."))
    if start_date < year.start_date or end_date > year.end_date:
        errors.setdefault("start_date", []).append(
            _("Học kì phải nằm trong năm học (%(start)s – %(end)s).")
            % {"start": f"{year.start_date:%d/%m/%Y}", "end": f"{year.end_date:%d/%m/%Y}"}
        )
    other = year.terms.exclude(number=number).first()
    overlaps = other is not None and (
        (number == 1 and end_date >= other.start_date) or (number == 2 and start_date <= other.end_date)
    )
    if overlaps and not errors:
        errors["start_date"] = [_("Học kì I phải kết thúc trước khi học kì II bắt đầu.")]
    _raise(errors)
    term = Term.objects.filter(year=year, number=number).first()
    if term is None:
        term = Term(year=year, number=number, start_date=start_date, end_date=end_date)
        term.full_clean()
        term.save()
        audit.record_create(actor=actor, obj=term)
        return term
    before = audit.snapshot(term, ("start_date", "end_date"))
    term.start_date, term.end_date = start_date, end_date
    term.full_clean()
    term.save()
    audit.record_update(actor=actor, obj=term, before=before)
    return term


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first()


# Classes -------------------------------------------------------------------------------------------

CLASS_EDITABLE = ("name", "homeroom_teacher", "room")


def _school_level(school_unit: Unit) -> str | None:
    record = School.objects.filter(unit=school_unit).only("level").first()
    return record.level if record else None


def _check_class(school_class: SchoolClass, errors: dict[str, list[str]]) -> None:
    parsed = parse_class_name(school_class.name or "")
    if parsed is None:
        errors.setdefault("name", []).append(
            _("Tên lớp có dạng khối/lớp, ví dụ 6/1; nhóm mầm non: Mầm 1, Chồi 2, Lá 3, Nhà trẻ 1.")
        )
    else:
        school_class.grade, school_class.name = parsed
        level = _school_level(school_class.school)
        if level is not None and school_class.grade not in LEVEL_GRADES.get(level, frozenset()):
            errors.setdefault("name", []).append(
                _("Trường %(school)s không dạy khối %(grade)s.")
                % {"school": school_class.school.name, "grade": school_class.grade}
            )
    teacher = school_class.homeroom_teacher
    if teacher is not None and not _works_at(teacher, school_class.school):
        errors.setdefault("homeroom_teacher", []).append(
            _("Giáo viên chủ nhiệm phải là cán bộ, giáo viên của trường.")
        )
    room = school_class.room
    if room is not None and room.school_id != school_class.school_id:
        errors.setdefault("room", []).append(_("Phòng học phải thuộc trường của lớp."))


def _works_at(staff: Staff, school_unit: Unit) -> bool:
    return (
        staff.school_id == school_unit.pk
        or StaffAssignment.objects.filter(staff=staff, school=school_unit).exists()
    )


@transaction.atomic
def class_create(
    *,
    actor: Any,
    school: Unit,
    year: SchoolYear,
    name: str,
    homeroom_teacher: Staff | None = None,
    room: Room | None = None,
) -> SchoolClass:
    school_class = SchoolClass(
        school=school,
        year=year,
        name=(name or "").strip(),
        grade=0,
        homeroom_teacher=homeroom_teacher,
        room=room,
    )
    errors: dict[str, list[str]] = {}
    _check_class(school_class, errors)
    _raise(errors)
    school_class.full_clean()
    school_class.save()
    audit.record_create(actor=actor, obj=school_class)
    return school_class


@transaction.atomic
def class_update(*, actor: Any, school_class: SchoolClass, **fields: Any) -> SchoolClass:
    reject_unknown_fields("class_update", fields, CLASS_EDITABLE)
    before = audit.snapshot(school_class, (*CLASS_EDITABLE, "grade"))
    for key, value in fields.items():
        setattr(school_class, key, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    _check_class(school_class, errors)
    _raise(errors)
    school_class.full_clean()
    school_class.save()
    audit.record_update(actor=actor, obj=school_class, before=before)
    return school_class


# Students ------------------------------------------------------------------------------------------

STUDENT_CREATE_OPTIONAL = (
    "ministry_code",
    "ethnicity",
    "nationality",
    "place_of_birth",
    "address",
    "ward",
    "ward_name",
    "disability",
    "policy_groups",
)


def _check_class_for(student_school: Unit, school_class: SchoolClass, errors: dict[str, list[str]]) -> None:
    if school_class.school_id != student_school.pk:
        errors.setdefault("school_class", []).append(_("Lớp phải thuộc trường của học sinh."))
    elif not school_class.year.is_current:
        errors.setdefault("school_class", []).append(_("Chỉ xếp lớp vào lớp của năm học hiện tại."))


@transaction.atomic
def student_create(
    *,
    actor: Any,
    school: Unit,
    personal_id: str,
    full_name: str,
    date_of_birth: _dt.date,
    sex: str,
    school_class: SchoolClass | None = None,
    start_date: _dt.date | None = None,
    **fields: Any,
) -> Student:
    """A new student: the identifier must agree with sex and birth year; status 'studying' from today
    (or `start_date`); enrolled in `school_class` of the current year when given."""
    reject_unknown_fields("student_create", fields, STUDENT_CREATE_OPTIONAL)
    personal_id = (personal_id or "").strip()
    errors: dict[str, list[str]] = {}
    _check_person_id(errors, personal_id, sex, date_of_birth)
    if school_class is not None:
        _check_class_for(school, school_class, errors)
    _raise(errors)
    student = Student(
        school=school,
        personal_id=personal_id,
        full_name=normalise_name(full_name or ""),
        date_of_birth=date_of_birth,
        sex=sex,
        status=StudentStatus.STUDYING,
        current_class=school_class,
        **fields,
    )
    student.search_name = fold(student.full_name)
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
    *, actor: Any, student: Student, school_class: SchoolClass, date: _dt.date | None = None
) -> Enrolment:
    """Moves the student to another class: the open enrolment ends, a new one starts (history kept)."""
    errors: dict[str, list[str]] = {}
    _check_class_for(student.school, school_class, errors)
    if student.current_class_id == school_class.pk:
        errors.setdefault("school_class", []).append(_("Học sinh đang học ở lớp này."))
    _raise(errors)
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
    *, actor: Any, student: Student, status: str, date: _dt.date, note: str = ""
) -> StudentStatusEvent:
    """Appends to the status history (never rewrites it) and sets the student's current status."""
    errors: dict[str, list[str]] = {}
    if status not in StudentStatus.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    last = student.status_events.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        errors["date"] = [
            _("Ngày phải từ %(date)s trở đi (ngày của trạng thái gần nhất).")
            % {"date": f"{last.date:%d/%m/%Y}"}
        ]
    if len(note or "") > 255:
        errors["note"] = [_("Ghi chú dài tối đa 255 ký tự.")]
    _raise(errors)
    event = StudentStatusEvent(
        school=student.school, student=student, status=status, date=date, note=note or ""
    )
    event.full_clean()
    event.save()
    audit.record_create(actor=actor, obj=event)
    before = audit.snapshot(student, ("status",))
    student.status = status
    student.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, obj=student, before=before)
    return event


# Guardians -----------------------------------------------------------------------------------------

GUARDIAN_EDITABLE = ("full_name", "relation", "phone", "is_primary")


def _clean_guardian(guardian: Guardian) -> None:
    errors: dict[str, list[str]] = {}
    guardian.full_name = normalise_name(guardian.full_name or "")
    guardian.phone = _check_phone(errors, "phone", guardian.phone)
    _raise(errors)
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
    actor: Any,
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
def guardian_update(*, actor: Any, guardian: Guardian, **fields: Any) -> Guardian:
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
def guardian_remove(*, actor: Any, guardian: Guardian) -> None:
    audit.record_delete(actor=actor, obj=guardian)
    student_id, was_primary = guardian.student_id, guardian.is_primary
    guardian.delete()
    if was_primary:
        heir = Guardian.objects.filter(student_id=student_id).order_by("id").first()
        if heir is not None:
            heir.is_primary = True
            heir.save(update_fields=["is_primary"])


# Staff ---------------------------------------------------------------------------------------------
# staff_create / staff_update are defined above (shared with search); they call this check.


def _validate_staff(staff: Staff) -> None:
    """The identifier must agree with sex and birth year, the phone must be one; field errors otherwise."""
    errors: dict[str, list[str]] = {}
    staff.phone = _check_phone(errors, "phone", staff.phone)
    _check_person_id(errors, staff.personal_id, staff.sex, staff.date_of_birth)
    _raise(errors)


@transaction.atomic
def staff_assign(
    *, actor: Any, staff: Staff, school: Unit, position: str = "", is_main: bool = False
) -> StaffAssignment:
    """A staff member also working at another school (dạy liên trường); idempotent per school."""
    if school.kind != "school":
        raise ValidationError({"school": [_("Chỉ phân công về một trường.")]})
    assignment, created = StaffAssignment.objects.get_or_create(
        school=school, staff=staff, defaults={"position": position, "is_main": is_main}
    )
    if created:
        audit.record_create(actor=actor, obj=assignment)
    else:
        before = audit.snapshot(assignment, ("position", "is_main"))
        assignment.position, assignment.is_main = position, is_main
        assignment.save()
        audit.record_update(actor=actor, obj=assignment, before=before)
    return assignment


# Facilities ----------------------------------------------------------------------------------------

ROOM_EDITABLE = ("kind", "name", "area_m2", "condition")
EQUIPMENT_EDITABLE = ("name", "quantity", "condition", "room")


def _check_room_name(room: Room) -> None:
    room.name = (room.name or "").strip()
    if Room.objects.filter(school_id=room.school_id, name__iexact=room.name).exclude(pk=room.pk).exists():
        raise ValidationError({"name": [_("Trường đã có phòng tên này.")]})


@transaction.atomic
def room_create(*, actor: Any, school: Unit, kind: str, name: str, **fields: Any) -> Room:
    reject_unknown_fields("room_create", fields, ROOM_EDITABLE)
    room = Room(school=school, kind=kind, name=name, **fields)
    _check_room_name(room)
    room.full_clean()
    room.save()
    audit.record_create(actor=actor, obj=room)
    return room


@transaction.atomic
def room_update(*, actor: Any, room: Room, **fields: Any) -> Room:
    reject_unknown_fields("room_update", fields, ROOM_EDITABLE)
    before = audit.snapshot(room, ROOM_EDITABLE)
    for key, value in fields.items():
        setattr(room, key, value)
    _check_room_name(room)
    room.full_clean()
    room.save()
    audit.record_update(actor=actor, obj=room, before=before)
    return room


def _check_equipment_room(equipment: Equipment) -> None:
    if equipment.room is not None and equipment.room.school_id != equipment.school_id:
        raise ValidationError({"room": [_("Phòng phải thuộc trường của thiết bị.")]})


@transaction.atomic
def equipment_create(*, actor: Any, school: Unit, name: str, **fields: Any) -> Equipment:
    reject_unknown_fields("equipment_create", fields, EQUIPMENT_EDITABLE)
    equipment = Equipment(school=school, name=(name or "").strip(), **fields)
    _check_equipment_room(equipment)
    equipment.full_clean()
    equipment.save()
    audit.record_create(actor=actor, obj=equipment)
    return equipment


@transaction.atomic
def equipment_update(*, actor: Any, equipment: Equipment, **fields: Any) -> Equipment:
    reject_unknown_fields("equipment_update", fields, EQUIPMENT_EDITABLE)
    before = audit.snapshot(equipment, EQUIPMENT_EDITABLE)
    for key, value in fields.items():
        setattr(equipment, key, value.strip() if isinstance(value, str) else value)
    _check_equipment_room(equipment)
    equipment.full_clean()
    equipment.save()
    audit.record_update(actor=actor, obj=equipment, before=before)
    return equipment


def student_record_viewed(*, actor: Any, student: Student) -> None:
    """Logs a read of a student's full record by someone who does not work at (or under) the student's school.

    Law 91/2025 and our data-protection sheet: reads from outside the school (department officers,
    integrations, superusers) are traced; the school's own staff and the child's family are not, so the
    log stays readable.
    """
    from giaoducso.core.models import AuditAction
    from giaoducso.core.roles import RELATION_ROLES
    from giaoducso.core.scoping import memberships_for

    school_path = student.school.path
    for membership in memberships_for(actor):
        if membership.role in RELATION_ROLES or membership.unit.path.startswith(school_path):
            return
    audit.record(actor=actor, action=AuditAction.VIEW, obj=student, note="Xem hồ sơ từ ngoài trường")
