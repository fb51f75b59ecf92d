"""Schemathesis against the committed OpenAPI document (docs/openapi.json), every operation, in process.

Each operation runs a few derandomized examples (the same ones on every run, no network: the Django app is
called through WSGI) as a department officer and as a school principal, each with an API token of every
scope their roles allow. Every response must:
- never be a server error;
- have a status the document lists for the operation, and a body that matches its schema;
- for a request the document says is valid, not be refused as invalid (422) — unless the refusal is one
  of the rules a document cannot state, listed in NOT_IN_THE_DOCUMENT with the reason.

Path ids and school codes are mostly mapped onto the records of the fixture world, so that writes reach
real records (and their validation) instead of answering 404.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from giaoducso.core.api.document import DOCUMENT_PATH
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create, usable_scopes
from giaoducso.directory.tests.directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 5

schema = schemathesis.openapi.from_path(DOCUMENT_PATH)
schema.config.update(base_url="http://testserver")
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True, database="none")
schema.app = get_wsgi_application()

# (field, part of the message): refusals of schema-valid data for a rule a schema cannot state: a reference
# to another record, one field against another, the current state of the records.
NOT_IN_THE_DOCUMENT = [
    # a reference to another record, which must exist and belong to the same school
    ("homeroom_teacher_id", "giáo viên của trường"),
    ("room_id", "Phòng phải thuộc trường"),
    ("class_id", "Lớp phải thuộc trường"),
    ("year", "Không có năm học này"),
    ("ward_code", "Không có phường/xã"),
    # the school's level decides which grades it teaches
    ("name", "không dạy khối"),
    # uniqueness and the record's current state
    ("name", "Trường đã có phòng tên này"),
    ("school_class", "Học sinh đang học ở lớp này"),
    ("date", "không được trước ngày vào lớp hiện tại"),
    ("date", "ngày của trạng thái gần nhất"),
    ("date", "đã có một thay đổi lên lịch"),  # one scheduled change at a time: cancel it first
    ("__all__", "Không có trạng thái nào để sửa"),  # a correction needs a status line before the last
    ("__all__", "do chuyển trường tạo ra"),  # lines a transfer wrote are undone with the transfer
    ("__all__", "đã được thực hiện hoặc đã hủy"),  # a scheduled change already carried out or cancelled
    ("personal_id", "đã tồn tại"),
    ("personal_id", "đang thuộc về một học sinh khác"),
    ("personal_id", "giống số đang lưu"),  # a correction must change the number
    ("ministry_code", "đã tồn tại"),
    ("name", "đã tồn tại"),
    # the personal identification number must agree with sex and birth year (rules.identifiers): on the
    # fields sent together, or, for a correction of the number, with the record's
    ("sex", "không khớp với chữ số thứ 4"),
    ("date_of_birth", "của số định danh"),
    ("date_of_birth", "nằm ngoài khoảng số định danh"),
    ("personal_id", "không khớp với chữ số thứ 4"),
    ("personal_id", "của số định danh"),
    ("personal_id", "nằm ngoài khoảng số định danh"),
    # the Ministry's sheet, one field against another (rules.identity, services.codes): a Vietnamese
    # pupil has a personal identifier, others a document instead, whose kind goes with its number; a
    # commune of birth needs its province; a parent is 12 to 70 years older than the pupil
    ("personal_id", "phải có số định danh cá nhân"),
    ("other_document_number", "hãy ghi loại và số giấy tờ thay thế"),
    ("other_document_number", "Hãy ghi số của giấy tờ đã chọn"),
    ("other_document_kind", "Hãy chọn loại giấy tờ của số đã ghi"),
    ("birth_province", "tỉnh/thành phố của xã/phường nơi sinh"),
    ("father_birth_year", "phải sớm hơn năm sinh của học sinh"),
    ("mother_birth_year", "phải sớm hơn năm sinh của học sinh"),
    # a date of birth against today and against the class (rules.fields): not in the future, a pupil's age
    # fitting their grade, a staff member of working age — bounds that move every day, which a document
    # written once cannot state
    ("date_of_birth", "ở tương lai"),
    ("date_of_birth", "không phù hợp với khối"),
    ("date_of_birth", "tuổi của người lao động"),
    # office: recipients are unit codes that must exist in the tree (a reference); an edXML envelope is
    # XML whose structure the envelope's XSD states, not the API document
    ("recipients", "nơi nhận"),
    ("recipients", "Không gửi được tới các mã đơn vị"),
    ("envelope", "Gói tin"),
    ("notation", "đã vào sổ với số đến"),  # the same letter registered twice: uniqueness
    # records, the end of the year: the school's records decide whether the rollover can be applied (every
    # pupil decided), the new classes' names against their grade and each other, a homeroom teacher of the
    # school, the principal's decisions only for the primary pupils who do not complete the grade
    ("pending", "chưa có quyết định"),
    ("__all__", "chưa có năm học hiện tại"),
    ("classes", "phải có dạng"),
    ("classes", "cùng tên"),
    ("classes", "không thuộc trường"),
    ("overrides", "chỉ quyết định thay"),
    ("overrides", "hãy ghi lí do"),
    ("overrides", "không chứa mã HTML"),
    ("overrides", "Không có học sinh mã"),
]


def _explained(fields: dict[str, list[str]]) -> bool:
    return bool(fields) and all(
        any(field == name and part in message for name, part in NOT_IN_THE_DOCUMENT)
        for field, messages in fields.items()
        for message in messages
    )


def schema_valid_requests_are_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 422 and _explained(json.loads(response.content)["error"]["fields"]):
            return None
        raise


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    schema_valid_requests_are_accepted,
]


class Records:
    """The fixture world's records by the name a path or body gives their id."""

    def __init__(self, world: Any, directory: Any) -> None:
        guardians = [
            g.pk for s in (world.child, world.other_student_a, world.student_b) for g in s.guardians.all()
        ]
        self.ids = {
            "student_id": [world.child.pk, world.other_student_a.pk, world.student_b.pk],
            "class_id": [directory.class_a.pk, directory.class_a2.pk, directory.class_b.pk],
            "staff_id": [directory.teacher_a.pk, directory.teacher_b.pk],
            "homeroom_teacher_id": [directory.teacher_a.pk, directory.teacher_b.pk],
            "room_id": [directory.room_a.pk, directory.room_b.pk],
            "equipment_id": [directory.equipment_a.pk, directory.equipment_b.pk],
            "guardian_id": guardians,
        }
        self.codes = ["TA01", "TB02", world.department.code]

    def real(self, name: str, value: Any) -> Any:
        """Two values in three become a real record; the third stays as generated (mostly a 404)."""
        if isinstance(value, int) and not isinstance(value, bool) and name in self.ids and value % 3:
            return self.ids[name][value % len(self.ids[name])]
        if isinstance(value, str) and name in ("code", "school") and len(value) % 3:
            return self.codes[len(value) % len(self.codes)]
        return value

    def apply(self, case: Any) -> None:
        for name, value in (case.path_parameters or {}).items():
            case.path_parameters[name] = self.real(name, value)
        if isinstance(case.body, dict):
            for name, value in case.body.items():
                case.body[name] = self.real(name, value)


@pytest.fixture(autouse=True)
def _one_connection():
    """As Django's test client does: the WSGI handler would close the connection after each response,
    and with it the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


USERS = {"department": Role.DEPARTMENT_OFFICER, "school": Role.PRINCIPAL}


@pytest.fixture(params=sorted(USERS))
def caller(request, world) -> dict[str, str]:
    user = world.user(USERS[request.param])
    _token, raw = api_token_create(
        actor=None, user=user, name="schemathesis", scopes=sorted(usable_scopes(user)), expires_at=None
    )
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def records(world) -> Records:
    return Records(world, build_directory(world))


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_its_documented_promises(case, caller, records):
    # The fixtures are built once per operation and caller, then shared by its examples (hence the
    # suppressed health check): an example may see what an earlier one wrote, as a real client would.
    records.apply(case)
    case.call_and_validate(headers=caller, checks=CHECKS)
