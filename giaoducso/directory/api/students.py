"""The API of students and their guardians, status history and classes."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import (
    Code,
    Day,
    Id,
    MinistryCode,
    Name32,
    Name255,
    ObjectId,
    PersonalIdOptional,
    Phone,
    SearchText,
    Text32,
    Text128,
    Text255,
    coded,
)
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404
from rules import codelists

from .. import selectors, services
from ..models import (
    ChangeState,
    Guardian,
    OtherDocument,
    Sex,
    Student,
    StudentStatus,
)
from .common import (
    STUDENTS_READ,
    WRITE,
    WRITE_ERRORS,
    ClassRef,
    Strict,
    class_of,
    patch_fields,
    school_unit,
    ward_of,
)

router = Router()


class StudentOut(Schema):
    """What anyone who may see the student sees."""

    id: int
    full_name: str
    school: UnitRef
    sex: str
    date_of_birth: dt.date
    ministry_code: str
    status: str
    current_class: ClassRef | None


class GuardianOut(Schema):
    id: int
    full_name: str
    relation: str
    phone: str
    is_primary: bool


class StatusEventOut(Schema):
    status: str
    date: dt.date
    note: str
    corrected: bool = Field(description="Dòng nhập sai, đã được sửa (không còn là trạng thái của học sinh).")
    correction_reason: str

    @staticmethod
    def resolve_corrected(obj: Any) -> bool:
        return obj.corrected_at is not None


class ScheduledChangeOut(Schema):
    """A decision that takes effect on `date`; until then the record is unchanged."""

    id: int
    kind: str = Field(description="status | transfer")
    status: str = Field(description="Trạng thái mới (kind=status).")
    date: dt.date
    note: str
    transfer_id: int | None
    to_school: UnitRef | None

    @staticmethod
    def resolve_to_school(obj: Any) -> Any:
        return obj.transfer.to_school if obj.transfer_id else None


class PersonalIdChangeOut(Schema):
    previous_id: str
    new_id: str
    reason: str
    changed_at: dt.datetime


class EnrolmentOut(Schema):
    year: str
    school_class: ClassRef
    start_date: dt.date | None
    end_date: dt.date | None

    @staticmethod
    def resolve_year(obj: Any) -> str:
        return obj.year.name


_WITHHELD = " `null` when the caller may not read it (the rule of directory.selectors.privacy)."


class StudentDetailOut(StudentOut):
    """The student's record. Identifier, address, guardians and history go only to the school staff who keep
    the record, the homeroom teacher of the student's class, the department's officers and IT, the family
    and the student; ethnicity (sensitive data) to the same people. A withheld field is `null`, never a
    partly masked value."""

    personal_id: str | None = Field(
        description="Số định danh cá nhân; rỗng với học sinh nước ngoài ghi giấy tờ khác." + _WITHHELD
    )
    other_document_kind: str | None = Field(description="Loại giấy tờ thay số định danh." + _WITHHELD)
    other_document_number: str | None = Field(description="Số giấy tờ thay số định danh." + _WITHHELD)
    ethnicity: str | None = Field(description="Dân tộc: mã danh mục DAN_TOC (dữ liệu nhạy cảm)." + _WITHHELD)
    ethnicity_name: str | None = Field(description="Dân tộc: tên." + _WITHHELD)
    nationality: str | None = Field(description="Quốc tịch: mã danh mục QUOC_TICH (ISO 3166-1)." + _WITHHELD)
    nationality_name: str | None = Field(description="Quốc tịch: tên." + _WITHHELD)
    birth_province: str | None = Field(description="Nơi sinh: mã tỉnh/thành phố (danh mục TINH)." + _WITHHELD)
    birth_province_name: str | None = Field(description="Nơi sinh: tên tỉnh/thành phố." + _WITHHELD)
    birth_commune: str | None = Field(description="Nơi sinh: xã/phường." + _WITHHELD)
    father_name: str | None = Field(description="Họ tên cha." + _WITHHELD)
    father_birth_year: int | None = Field(description="Năm sinh của cha." + _WITHHELD)
    mother_name: str | None = Field(description="Họ tên mẹ." + _WITHHELD)
    mother_birth_year: int | None = Field(description="Năm sinh của mẹ." + _WITHHELD)
    address: str | None = Field(description="Địa chỉ." + _WITHHELD)
    ward_code: str | None = Field(description="Mã phường/xã trong cây đơn vị." + _WITHHELD)
    ward_name: str | None = Field(
        description="Tên phường/xã (theo cây đơn vị, hoặc như tệp nhập ghi khi không có trong danh mục)."
        + _WITHHELD
    )
    personal_id_history: list[PersonalIdChangeOut] | None = Field(
        description="Các số định danh trước đây, lần sửa gần nhất trước." + _WITHHELD
    )
    scheduled_changes: list[ScheduledChangeOut] | None = Field(
        description="Thay đổi đã lên lịch, chưa có hiệu lực (hủy được trước ngày)." + _WITHHELD
    )
    guardians: list[GuardianOut] | None = Field(description="Cha mẹ/người giám hộ." + _WITHHELD)
    status_history: list[StatusEventOut] | None = Field(description="Lịch sử trạng thái." + _WITHHELD)
    enrolments: list[EnrolmentOut] | None = Field(description="Các lớp đã học." + _WITHHELD)


# --- students --------------------------------------------------------------------------------------


class StudentFilters(Schema):
    school: Code | None = Field(None, description="Mã trường.")
    class_id: ObjectId | None = Field(None, description="Lớp hiện tại (id).")
    status: StudentStatus | None = None
    q: SearchText | None = Field(None, description="Tìm theo họ tên, số định danh hoặc mã học sinh.")


@router.get(
    "/students", response={200: list[StudentOut], **ERRORS}, auth=auth_for(STUDENTS_READ), tags=["students"]
)
@paginate(PageNumberPagination)
def student_list(request: HttpRequest, filters: Query[StudentFilters]) -> Any:
    students = selectors.student_list(user=request.user, q=filters.q or "", school_code=filters.school or "")
    if filters.class_id is not None:
        students = students.filter(current_class_id=filters.class_id)
    if filters.status is not None:
        students = students.filter(status=filters.status)
    return students.select_related("current_class")


_RECORD_FIELDS = (
    "other_document_kind",
    "other_document_number",
    "nationality",
    "birth_province",
    "birth_commune",
    "father_name",
    "father_birth_year",
    "mother_name",
    "mother_birth_year",
)
_CODED = " A code or a name of the list, any case, with or without diacritics; stored as the code."
BirthYear = Annotated[int, Field(ge=1900, le=2100)]
Ethnicity = coded(codelists.ethnic_groups)
Nationality = coded(codelists.nationalities)
Province = coded(codelists.provinces)


class MinistryFieldsIn(Strict):
    """The Ministry's student sheet (C1): nationality, place of birth, parents, another document."""

    nationality: Nationality = Field(codelists.VIETNAM, description="Quốc tịch (QUOC_TICH)." + _CODED)
    birth_province: Province = Field("", description="Nơi sinh: tỉnh/thành phố (TINH)." + _CODED)
    birth_commune: Text128 = Field("", description="Nơi sinh: xã/phường.")
    father_name: Text255 = ""
    father_birth_year: BirthYear | None = None
    mother_name: Text255 = ""
    mother_birth_year: BirthYear | None = None
    other_document_kind: OtherDocument | Literal[""] = Field(
        "", description="Loại giấy tờ khi không có số định danh (chỉ học sinh không có quốc tịch Việt Nam)."
    )
    other_document_number: Text32 = ""


def _student_detail(user: Any, student: Student) -> dict[str, Any]:
    seen = selectors.student_visibility(user=user, student=student)
    return {
        "id": student.pk,
        "full_name": student.full_name,
        "school": student.school,
        "sex": student.sex,
        "date_of_birth": student.date_of_birth,
        "ministry_code": student.ministry_code,
        "status": student.status,
        "current_class": student.current_class,
        "personal_id": seen.value("personal_id", student.personal_id),
        **{name: seen.value(name, getattr(student, name)) for name in _RECORD_FIELDS},
        "ethnicity": seen.value("ethnicity", student.ethnicity),
        "ethnicity_name": seen.value("ethnicity", student.ethnicity_name),
        "nationality_name": seen.value("nationality", student.nationality_name),
        "birth_province_name": seen.value("birth_province", student.birth_province_name),
        "address": seen.value("address", student.address),
        "ward_code": seen.value("ward", student.ward.code if student.ward_id and student.ward else None),
        "ward_name": seen.value(
            "ward", student.ward.name if student.ward_id and student.ward else student.ward_name
        ),
        "personal_id_history": (
            list(student.personal_id_history.all()) if seen.shows("personal_id_history") else None
        ),
        "scheduled_changes": (
            list(
                student.scheduled_changes.filter(state=ChangeState.SCHEDULED).select_related(
                    "transfer__to_school"
                )
            )
            if seen.shows("scheduled_changes")
            else None
        ),
        "guardians": list(student.guardians.all()) if seen.shows("guardians") else None,
        "status_history": (
            list(student.status_events.order_by("date", "id")) if seen.shows("status_history") else None
        ),
        "enrolments": (
            list(student.enrolments.select_related("year", "school_class").order_by("start_date", "id"))
            if seen.shows("enrolments")
            else None
        ),
    }


def _student(request: HttpRequest, student_id: int, perm: str = Perm.VIEW_STUDENT) -> Student:
    return get_scoped_or_404(
        Student.objects.select_related("school", "current_class", "ward").prefetch_related("guardians"),
        request.user,
        perm,
        pk=student_id,
    )


@router.get(
    "/students/{student_id}",
    response={200: StudentDetailOut, **ERRORS},
    auth=auth_for(STUDENTS_READ),
    tags=["students"],
)
def student_detail(request: HttpRequest, student_id: Id) -> dict[str, Any]:
    student = _student(request, student_id)
    services.student_record_viewed(actor=request.user, student=student)
    return _student_detail(request.user, student)


class StudentIn(MinistryFieldsIn):
    school: Code
    personal_id: PersonalIdOptional = Field(
        "", description="Bắt buộc với học sinh quốc tịch Việt Nam; rỗng khi ghi giấy tờ khác."
    )
    full_name: Name255
    date_of_birth: Day
    sex: Sex
    class_id: ObjectId | None = Field(None, description="Lớp của năm học hiện tại.")
    start_date: Day | None = None
    ministry_code: MinistryCode = ""
    ethnicity: Ethnicity = Field(codelists.KINH, description="Dân tộc (DAN_TOC)." + _CODED)
    place_of_birth: Text255 = ""
    address: Text255 = ""
    ward_code: Code | None = Field(None, description="Mã phường/xã trong cây đơn vị.")
    disability: Text128 = ""


@router.post(
    "/students", response={201: StudentDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["students"]
)
def student_create(request: HttpRequest, body: StudentIn) -> Status[dict[str, Any]]:
    school = school_unit(request, body.school, Perm.CHANGE_STUDENT)
    fields = body.model_dump(
        exclude={
            "school",
            "class_id",
            "start_date",
            "personal_id",
            "full_name",
            "date_of_birth",
            "sex",
            "ward_code",
        }
    )
    if body.ward_code:
        fields["ward"] = ward_of(body.ward_code)
    student = services.student_create(
        actor=request.user,
        school=school,
        personal_id=body.personal_id,
        full_name=body.full_name,
        date_of_birth=body.date_of_birth,
        sex=body.sex,
        school_class=class_of(school, body.class_id),
        start_date=body.start_date,
        **fields,
    )
    return Status(201, _student_detail(request.user, _student(request, student.pk)))


class StudentPatch(Strict):
    full_name: Name255 = None
    date_of_birth: Day = None
    sex: Sex = None
    ethnicity: Ethnicity = Field(None, description="Dân tộc (DAN_TOC)." + _CODED)
    nationality: Nationality = Field(None, description="Quốc tịch (QUOC_TICH)." + _CODED)
    birth_province: Province = Field(None, description="Nơi sinh: tỉnh/thành phố (TINH)." + _CODED)
    birth_commune: Text128 = None
    father_name: Text255 = None
    father_birth_year: BirthYear | None = Field(None, description="null clears it.")
    mother_name: Text255 = None
    mother_birth_year: BirthYear | None = Field(None, description="null clears it.")
    other_document_kind: OtherDocument | Literal[""] = None
    other_document_number: Text32 = None
    address: Text255 = None
    ward_code: Code | None = Field(None, description="Mã phường/xã trong cây đơn vị; null để bỏ.")
    ministry_code: MinistryCode = None


@router.patch(
    "/students/{student_id}",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def student_patch(request: HttpRequest, student_id: Id, body: StudentPatch) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    fields = patch_fields(body)
    if "ward_code" in fields:
        code = fields.pop("ward_code")
        fields["ward"] = ward_of(code) if code else None
    services.student_update(actor=request.user, student=student, **fields)
    return _student_detail(request.user, _student(request, student_id))


class SetClassIn(Strict):
    class_id: ObjectId
    date: Day | None = None


@router.post(
    "/students/{student_id}/class",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
    summary="Chuyển lớp",
)
def student_set_class(request: HttpRequest, student_id: Id, body: SetClassIn) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    school_class = class_of(student.school, body.class_id)
    assert school_class is not None  # class_id is required by the schema
    services.student_set_class(actor=request.user, student=student, school_class=school_class, date=body.date)
    return _student_detail(request.user, _student(request, student_id))


class SetStatusIn(Strict):
    status: StudentStatus
    date: Day
    note: Text255 = ""


@router.post(
    "/students/{student_id}/status",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
    summary="Đổi trạng thái (thêm vào lịch sử)",
)
def student_set_status(request: HttpRequest, student_id: Id, body: SetStatusIn) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    services.student_set_status(
        actor=request.user, student=student, status=body.status, date=body.date, note=body.note
    )
    return _student_detail(request.user, _student(request, student_id))


@router.get(
    "/students/{student_id}/guardians",
    response={200: list[GuardianOut], **ERRORS},
    auth=auth_for(STUDENTS_READ),
    tags=["students"],
)
def guardian_list(request: HttpRequest, student_id: Id) -> list[Guardian]:
    student = _student(request, student_id)
    if not selectors.student_visibility(user=request.user, student=student).shows("guardians"):
        # Seeing a pupil's name does not mean seeing the family's phone numbers.
        return []
    return list(student.guardians.all())


class GuardianIn(Strict):
    full_name: Name255
    relation: Name32 = "Cha/Mẹ"
    phone: Phone = ""
    is_primary: bool = False


@router.post(
    "/students/{student_id}/guardians",
    response={201: GuardianOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def guardian_add(request: HttpRequest, student_id: Id, body: GuardianIn) -> Status[Guardian]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    return Status(201, services.guardian_add(actor=request.user, student=student, **body.model_dump()))


class GuardianPatch(Strict):
    full_name: Name255 = None
    relation: Name32 = None
    phone: Phone = None
    is_primary: bool = None


def _guardian(request: HttpRequest, student_id: int, guardian_id: int) -> Guardian:
    return get_scoped_or_404(
        Guardian.objects.select_related("school"),
        request.user,
        Perm.CHANGE_STUDENT,
        pk=guardian_id,
        student_id=student_id,
    )


@router.patch(
    "/students/{student_id}/guardians/{guardian_id}",
    response={200: GuardianOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def guardian_patch(request: HttpRequest, student_id: Id, guardian_id: Id, body: GuardianPatch) -> Guardian:
    guardian = _guardian(request, student_id, guardian_id)
    return services.guardian_update(actor=request.user, guardian=guardian, **patch_fields(body))


@router.delete(
    "/students/{student_id}/guardians/{guardian_id}",
    response={204: None, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def guardian_delete(request: HttpRequest, student_id: Id, guardian_id: Id) -> Status[None]:
    services.guardian_remove(actor=request.user, guardian=_guardian(request, student_id, guardian_id))
    return Status(204, None)
