"""Shared set-ups of the records tests: the directory's world, a homeroom teacher with an account, a
secondary class with a taught subject and a primary class with two pupils."""

from dataclasses import dataclass
from typing import Any

from giaoducso.core.roles import Role
from giaoducso.directory.models import School, SchoolClass, Staff, Student
from giaoducso.directory.tests.directory_fixtures import Directory, build_directory, put_in_class
from giaoducso.records import services
from giaoducso.records.models import Subject
from giaoducso.testing.factories import ClassFactory, StudentFactory


@dataclass
class Records:
    directory: Directory
    primary_class: SchoolClass
    pupil: Student
    pupil2: Student
    gdcd: Subject
    toan_th: Subject
    dao_duc: Subject


def build_records(world: Any) -> Records:
    directory = build_directory(world)
    School.objects.filter(unit=world.school_a).update(level="primary_lower_secondary")
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    principal = world.user(Role.PRINCIPAL)
    gdcd = Subject.objects.get(code="gdcd")
    services.teaching_assign(
        actor=principal, school_class=directory.class_a, subject=gdcd, teacher=directory.teacher_a
    )
    primary_class = ClassFactory(
        school=world.school_a, year=directory.year, name="5/1", homeroom_teacher=directory.teacher_a
    )
    pupil = StudentFactory(school=world.school_a, full_name="Ngô Bé Năm")
    pupil2 = StudentFactory(school=world.school_a, full_name="Đinh Bé Hai")
    put_in_class(pupil, primary_class)
    put_in_class(pupil2, primary_class)
    toan_th = Subject.objects.get(code="toan")
    dao_duc = Subject.objects.get(code="dao_duc")
    for subject in (toan_th, dao_duc):
        services.teaching_assign(
            actor=principal, school_class=primary_class, subject=subject, teacher=directory.teacher_a
        )
    return Records(directory, primary_class, pupil, pupil2, gdcd, toan_th, dao_duc)
