"""Public test factories (factory_boy): the way every app's tests make data."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from giaoducso.core import services
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.directory.models import Guardian, Sex, Student

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
