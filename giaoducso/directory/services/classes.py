"""Writes to classes: a class belongs to its school and year, and its grade is one the school teaches."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.services import reject_unknown_fields
from rules.students import LEVEL_GRADES, parse_class_name

from ..checks import raise_if_any as _raise
from ..models import Room, School, SchoolClass, SchoolYear, Staff, StaffAssignment

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
    if teacher is not None and not works_at(teacher, school_class.school):
        errors.setdefault("homeroom_teacher", []).append(
            _("Giáo viên chủ nhiệm phải là cán bộ, giáo viên của trường.")
        )
    room = school_class.room
    if room is not None and room.school_id != school_class.school_id:
        errors.setdefault("room", []).append(_("Phòng học phải thuộc trường của lớp."))


def works_at(staff: Staff, school_unit: Unit) -> bool:
    return (
        staff.school_id == school_unit.pk
        or StaffAssignment.objects.filter(staff=staff, school=school_unit).exists()
    )


@transaction.atomic
def class_create(
    *,
    actor: Actor,
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
    # A class's year is one of its school's calendar, so that `year__is_current` means the school's own
    # current year everywhere (lists, counts, the quality board) without asking which one that is.
    if year.unit_id is not None and not school.path.startswith(year.unit.path):
        errors.setdefault("year", []).append(
            _("Năm học %(year)s thuộc lịch năm học của %(unit)s, không phải của trường này.")
            % {"year": year.name, "unit": year.unit.name}
        )
    _raise(errors)
    school_class.full_clean()
    school_class.save()
    audit.record_create(actor=actor, obj=school_class)
    return school_class


@transaction.atomic
def class_update(*, actor: Actor, school_class: SchoolClass, **fields: Any) -> SchoolClass:
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
