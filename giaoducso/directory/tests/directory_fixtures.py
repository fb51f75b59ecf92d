"""Records the directory screens and API tests build on top of the shared world: school records for
A and B, a current year, a class and a teacher in each school, rooms and equipment — all through the
public factories, so through the services."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from giaoducso.directory import services
from giaoducso.directory.models import (
    Equipment,
    Ownership,
    Room,
    School,
    SchoolClass,
    SchoolYear,
    Sex,
    Staff,
    Student,
)
from giaoducso.testing.factories import (
    ClassFactory,
    EquipmentFactory,
    RoomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
)


def put_in_class(student: Student, school_class: SchoolClass) -> None:
    services.student_set_class(
        actor=None, student=student, school_class=school_class, date=dt.date(2026, 9, 5)
    )


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
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    school_a = SchoolFactory(unit=world.school_a, address="1 Văn Thân", principal_name="Nguyễn Văn Hiệu")
    school_b = SchoolFactory(unit=world.school_b, ownership=Ownership.PRIVATE, address="2 Hậu Giang")
    teacher_a = StaffFactory(school=world.school_a, full_name="Trần Thị Chủ Nhiệm", subjects="Toán")
    teacher_b = StaffFactory(school=world.school_b, full_name="Đỗ Văn Bê", sex=Sex.MALE)
    room_a = RoomFactory(school=world.school_a, name="P.101")
    room_b = RoomFactory(school=world.school_b, kind="computer_lab", name="Tin 1")
    class_a = ClassFactory(
        school=world.school_a, year=year, name="6/1", homeroom_teacher=teacher_a, room=room_a
    )
    class_a2 = ClassFactory(school=world.school_a, year=year, name="6/2")
    class_b = ClassFactory(school=world.school_b, year=year, name="7/1", homeroom_teacher=teacher_b)
    equipment_a = EquipmentFactory(school=world.school_a, name="Máy chiếu", quantity=3, room=room_a)
    equipment_b = EquipmentFactory(school=world.school_b, name="Máy tính", quantity=30, room=room_b)
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
