"""Records the directory screens and API tests build on top of the shared world: school records for
A and B, a current year, a class and a teacher in each school, rooms and equipment."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from giaoducso.core.models import Unit
from giaoducso.directory import services
from giaoducso.directory.models import (
    Enrolment,
    Equipment,
    Ownership,
    Room,
    School,
    SchoolClass,
    SchoolLevel,
    SchoolYear,
    Sex,
    Staff,
    Student,
)
from rules.identifiers import make_personal_id

_serial = iter(range(500_000, 999_999))


def personal_id(sex: str = Sex.FEMALE, year: int = 1985) -> str:
    return make_personal_id("079", sex, year, next(_serial))


def school_record(unit: Unit, level: str = SchoolLevel.LOWER_SECONDARY, **fields: Any) -> School:
    return School.objects.create(
        unit=unit, level=level, ownership=fields.pop("ownership", Ownership.PUBLIC), **fields
    )


def current_year(name: str = "2026-2027") -> SchoolYear:
    start = int(name[:4])
    return services.school_year_create(
        actor=None,
        name=name,
        start_date=dt.date(start, 9, 5),
        end_date=dt.date(start + 1, 5, 31),
        is_current=True,
    )


def staff(school: Unit, full_name: str, **fields: Any) -> Staff:
    fields.setdefault("sex", Sex.FEMALE)
    fields.setdefault("date_of_birth", dt.date(1985, 3, 2))
    return services.staff_create(
        actor=None,
        school=school,
        personal_id=personal_id(fields["sex"], fields["date_of_birth"].year),
        full_name=full_name,
        **fields,
    )


def put_in_class(student: Student, school_class: SchoolClass) -> None:
    Enrolment.objects.create(
        school=student.school,
        student=student,
        year=school_class.year,
        school_class=school_class,
        start_date=dt.date(2026, 9, 5),
    )
    student.current_class = school_class
    student.save(update_fields=["current_class"])


@dataclass
class Directory:
    year: SchoolYear
    school_a: School
    school_b: School
    teacher_a: Staff
    teacher_b: Staff
    class_a: SchoolClass
    class_a2: SchoolClass
    class_b: SchoolClass
    room_a: Room
    room_b: Room
    equipment_a: Equipment
    equipment_b: Equipment


def build_directory(world: Any) -> Directory:
    year = current_year()
    school_a = school_record(world.school_a, address="1 Văn Thân", principal_name="Nguyễn Văn Hiệu")
    school_b = school_record(world.school_b, ownership=Ownership.PRIVATE, address="2 Hậu Giang")
    teacher_a = staff(world.school_a, "Trần Thị Chủ Nhiệm", position="Giáo viên", subjects="Toán")
    teacher_b = staff(world.school_b, "Đỗ Văn Bê", sex=Sex.MALE, position="Giáo viên")
    room_a = services.room_create(actor=None, school=world.school_a, kind="classroom", name="P.101")
    room_b = services.room_create(actor=None, school=world.school_b, kind="computer_lab", name="Tin 1")
    class_a = services.class_create(
        actor=None, school=world.school_a, year=year, name="6/1", homeroom_teacher=teacher_a, room=room_a
    )
    class_a2 = services.class_create(actor=None, school=world.school_a, year=year, name="6/2")
    class_b = services.class_create(
        actor=None, school=world.school_b, year=year, name="7/1", homeroom_teacher=teacher_b
    )
    equipment_a = services.equipment_create(
        actor=None, school=world.school_a, name="Máy chiếu", quantity=3, room=room_a
    )
    equipment_b = services.equipment_create(
        actor=None, school=world.school_b, name="Máy tính", quantity=30, room=room_b
    )
    put_in_class(world.child, class_a)
    put_in_class(world.other_student_a, class_a)
    put_in_class(world.student_b, class_b)
    return Directory(
        year,
        school_a,
        school_b,
        teacher_a,
        teacher_b,
        class_a,
        class_a2,
        class_b,
        room_a,
        room_b,
        equipment_a,
        equipment_b,
    )
