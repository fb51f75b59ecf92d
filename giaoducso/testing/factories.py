"""Public test factories (factory_boy): the way every app's tests make data.

The directory's factories build through its services (`_create` calls the service, not the manager), so
a test's data passes the same checks and leaves the same audit lines as data a person enters; a test
that needs data the services would refuse (a quality problem, a legacy row) builds it by hand on purpose.
"""

import datetime as dt
import itertools
from typing import Any

import factory
from factory.django import DjangoModelFactory

from giaoducso.core import services
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.directory import selectors as directory_selectors
from giaoducso.directory import services as directory_services
from giaoducso.directory.models import (
    Equipment,
    Guardian,
    Ownership,
    Room,
    RoomKind,
    School,
    SchoolClass,
    SchoolLevel,
    SchoolYear,
    Sex,
    Staff,
    Student,
)
from rules.identifiers import make_personal_id
from rules.text import fold, name_sort_key

TEST_PASSWORD = "Mat-khau-thu-2026!"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    kind = UnitKind.SCHOOL
    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Trường thử nghiệm {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Paths are computed by the service; a factory must not invent them.
        return services.unit_create(actor=None, **kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    search_name = factory.LazyAttribute(lambda o: fold(o.full_name))
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.edu.vn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "teacher"


def _personal_id(n: int, sex: str, year: int) -> str:
    century_digit = (year // 100 - 19) * 2 + (1 if sex == Sex.FEMALE else 0)
    return f"079{century_digit}{year % 100:02d}{n:06d}"


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Học Sinh {n}")
    search_name = factory.LazyAttribute(lambda o: fold(o.full_name))
    sort_key = factory.LazyAttribute(lambda o: name_sort_key(o.full_name))
    date_of_birth = dt.date(2014, 5, 17)
    sex = Sex.MALE
    personal_id = factory.Sequence(lambda n: _personal_id(n, Sex.MALE, 2014))


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    student = factory.SubFactory(StudentFactory)
    school = factory.LazyAttribute(lambda o: o.student.school)
    full_name = factory.Sequence(lambda n: f"Trần Thị Phụ Huynh {n}")
    relation = "Mẹ"
    phone = "0901234567"


_serial = itertools.count(500_000)


def personal_id(sex: str = Sex.FEMALE, year: int = 1985, province: str = "079") -> str:
    """A well-formed identifier, unique within the test run, agreeing with `sex` and `year`."""
    return make_personal_id(province, sex, year, next(_serial))


def _the_province() -> Unit | None:
    """The Sở when the database has exactly one (the test world's SO79); else None, the default calendar."""
    provinces = list(Unit.objects.filter(kind=UnitKind.PROVINCE_DEPARTMENT)[:2])
    return provinces[0] if len(provinces) == 1 else None


class SchoolYearFactory(DjangoModelFactory):
    """A school year on the usual calendar (5 September – 31 May); `is_current` makes it the one of its
    calendar. `unit` is the calendar's Sở: by default the only Sở there is, else the default calendar."""

    class Meta:
        model = SchoolYear

    unit = factory.LazyFunction(_the_province)
    name = "2026-2027"
    start_date = factory.LazyAttribute(lambda o: dt.date(int(o.name[:4]), 9, 5))
    end_date = factory.LazyAttribute(lambda o: dt.date(int(o.name[:4]) + 1, 5, 31))
    is_current = False

    @classmethod
    def _create(cls, model_class: type[SchoolYear], *args: Any, **kwargs: Any) -> SchoolYear:
        # A calendar holds a year once: a second tenant of the same Sở asking for it gets the same row.
        existing = SchoolYear.objects.filter(unit=kwargs["unit"], name=kwargs["name"]).first()
        return existing or directory_services.school_year_create(actor=None, **kwargs)


class SchoolFactory(DjangoModelFactory):
    """The directory's record of a school unit (level, ownership, contacts)."""

    class Meta:
        model = School

    unit = factory.SubFactory(UnitFactory)
    level = SchoolLevel.LOWER_SECONDARY
    ownership = Ownership.PUBLIC

    @classmethod
    def _create(cls, model_class: type[School], *args: Any, unit: Unit, **fields: Any) -> School:
        return directory_services.school_create(actor=None, unit=unit, **fields)


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff

    school = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Trần Thị Giáo Viên {n}")
    sex = Sex.FEMALE
    date_of_birth = dt.date(1985, 3, 2)
    position = "GV"  # a code of rules/codelists (Giáo viên)
    personal_id = factory.LazyAttribute(lambda o: personal_id(o.sex, o.date_of_birth.year))

    @classmethod
    def _create(cls, model_class: type[Staff], *args: Any, **kwargs: Any) -> Staff:
        return directory_services.staff_create(actor=None, **kwargs)


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    school = factory.SubFactory(UnitFactory)
    kind = RoomKind.CLASSROOM
    name = factory.Sequence(lambda n: f"P.{100 + n}")

    @classmethod
    def _create(cls, model_class: type[Room], *args: Any, **kwargs: Any) -> Room:
        return directory_services.room_create(actor=None, **kwargs)


class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment

    school = factory.SubFactory(UnitFactory)
    name = "Máy chiếu"
    quantity = 1

    @classmethod
    def _create(cls, model_class: type[Equipment], *args: Any, **kwargs: Any) -> Equipment:
        return directory_services.equipment_create(actor=None, **kwargs)


def _current_year_of(school: Unit) -> SchoolYear:
    """The school's current year, made (current, on its province's calendar) when there is none."""
    return directory_selectors.current_year_for(school) or SchoolYearFactory(
        is_current=True, unit=directory_selectors.calendar_unit(school)
    )


class ClassFactory(DjangoModelFactory):
    """A class of the current year (made current when none is) at a school teaching its grade."""

    class Meta:
        model = SchoolClass

    school = factory.SubFactory(UnitFactory)
    year = factory.LazyAttribute(lambda o: _current_year_of(o.school))
    name = "6/1"

    @classmethod
    def _create(cls, model_class: type[SchoolClass], *args: Any, **kwargs: Any) -> SchoolClass:
        return directory_services.class_create(actor=None, **kwargs)


# --- records -------------------------------------------------------------------------------------


def gradebook_class(
    *,
    school: Unit,
    teacher: User,
    students: int = 3,
    subject_code: str = "toan_thcs",
    name: str = "6/1",
    principal: User | None = None,
) -> tuple[SchoolClass, Any, list[Student]]:
    """A class of `school` with `students` pupils (named so that their order is their number) whose
    `subject_code` is taught by `teacher` (given a Staff record), assigned by `principal` (made when None)
    through the records' service; returns (class, subject, students in grade-book order)."""
    from giaoducso.core.roles import Role
    from giaoducso.records import curriculum
    from giaoducso.records import services as records_services
    from giaoducso.records.models import GradeSubject, Subject

    # A transactional test empties the tables the data migration filled: seed the programme again.
    if not Subject.objects.filter(code=subject_code).exists():
        curriculum.sync(Subject, GradeSubject)
    if not School.objects.filter(unit=school).exists():
        SchoolFactory(unit=school)
    if principal is None:
        principal = UserFactory(username=f"ht_{school.code.lower()}")
        MembershipFactory(user=principal, unit=school, role=Role.PRINCIPAL)
    staff = StaffFactory(school=school, full_name=teacher.full_name or "Giáo Viên Bộ Môn")
    Staff.objects.filter(pk=staff.pk).update(
        user=teacher
    )  # accounts are tied to staff by the account screens
    school_class = ClassFactory(school=school, name=name)
    pupils = []
    for n in range(1, students + 1):
        pupil = StudentFactory(school=school, full_name=f"Nguyễn Học Sinh {n:03d}")
        directory_services.student_set_class(
            actor=None, student=pupil, school_class=school_class, date=school_class.year.start_date
        )
        pupils.append(pupil)
    subject = Subject.objects.get(code=subject_code)
    records_services.teaching_assign(
        actor=principal, school_class=school_class, subject=subject, teacher=staff
    )
    return school_class, subject, pupils
