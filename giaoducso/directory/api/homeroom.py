"""The API of "Lớp của tôi": a homeroom teacher's classes of the current year, their pupils, and the
guardians' phone numbers the homeroom teacher keeps up to date (the same rule and service as the screen)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import Id, PhoneRequired

from .. import selectors, services
from ..models import Guardian
from .common import READ, WRITE, WRITE_ERRORS, Strict
from .students import GuardianOut

router = Router()


class PupilOut(Schema):
    id: int
    full_name: str
    sex: str
    date_of_birth: dt.date
    ministry_code: str
    status: str
    guardians: list[GuardianOut]


class MyClassOut(Schema):
    id: int
    school: UnitRef
    year: str
    grade: int
    name: str
    students: list[PupilOut]


@router.get(
    "/my-classes",
    response={200: list[MyClassOut], **ERRORS},
    auth=auth_for(READ),
    tags=["classes"],
    summary="Lớp của tôi (giáo viên chủ nhiệm)",
)
def my_classes(request: HttpRequest) -> list[dict[str, Any]]:
    """The classes of the current year whose homeroom teacher is the caller, pupils in name order; an empty
    list for anyone else."""
    classes = list(selectors.homeroom_classes(user=request.user))
    pupils: dict[int, list[Any]] = {c.pk: [] for c in classes}
    for student in selectors.homeroom_students(user=request.user):
        # The privacy rule shows a homeroom teacher the guardians of their own class; asked all the same.
        guardians = list(student.guardians.all()) if student.sees_record else []
        pupils[student.current_class_id].append({**_basic(student), "guardians": guardians})
    return [
        {
            "id": c.pk,
            "school": c.school,
            "year": c.year.name,
            "grade": c.grade,
            "name": c.name,
            "students": pupils[c.pk],
        }
        for c in classes
    ]


def _basic(student: Any) -> dict[str, Any]:
    return {
        "id": student.pk,
        "full_name": student.full_name,
        "sex": student.sex,
        "date_of_birth": student.date_of_birth,
        "ministry_code": student.ministry_code,
        "status": student.status,
    }


class GuardianPhoneIn(Strict):
    phone: PhoneRequired


@router.patch(
    "/my-classes/guardians/{guardian_id}",
    response={200: GuardianOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["classes"],
    summary="Sửa số điện thoại cha mẹ học sinh của lớp chủ nhiệm",
)
def my_class_guardian_phone(request: HttpRequest, guardian_id: Id, body: GuardianPhoneIn) -> Guardian:
    """Only for a guardian of a pupil of the caller's own class (404 otherwise); the number is checked
    and the change audited like any guardian change."""
    guardian = selectors.homeroom_guardian_get(user=request.user, pk=guardian_id)
    return services.homeroom_guardian_set_phone(actor=request.user, guardian=guardian, phone=body.phone)
