"""The directory's JSON API: schools, school years, classes, students and guardians, staff, facilities.

Thin routes: parse → one selector or service → schema. Reads are scoped like the screens (404 outside
the caller's reach); writes go through the same services as the screens, so they are validated and
audited the same way. Tokens: `directory:read` / `directory:write`; student reads keep `students:read`.
"""

import datetime as dt
import decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, ConfigDict, StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import Code, SearchText, UnitRef
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, has_perm

from . import selectors, services
from .models import (
    Condition,
    Equipment,
    Guardian,
    Ownership,
    Room,
    RoomKind,
    School,
    SchoolClass,
    SchoolLevel,
    SchoolStatus,
    SchoolYear,
    Sex,
    Staff,
    StaffStatus,
    Student,
    StudentStatus,
)

router = Router()

READ = "directory:read"
WRITE = "directory:write"
STUDENTS_READ = "students:read"
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: ERRORS[404], 409: ERRORS[404]}
Id = Annotated[int, Path(..., ge=1, le=2**63 - 1)]

# --- input types -----------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL inside text: without this check such a body would be a 500.
    if "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value.strip()


# Free text of the model's column length, trimmed, without NUL.
Text12 = Annotated[str, StringConstraints(max_length=12), AfterValidator(_clean_text)]
Text20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(_clean_text)]
Text32 = Annotated[str, StringConstraints(max_length=32), AfterValidator(_clean_text)]
Text64 = Annotated[str, StringConstraints(max_length=64), AfterValidator(_clean_text)]
Text128 = Annotated[str, StringConstraints(max_length=128), AfterValidator(_clean_text)]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_clean_text)]
Text254 = Annotated[str, StringConstraints(max_length=254), AfterValidator(_clean_text)]
Text255 = Annotated[str, StringConstraints(max_length=255), AfterValidator(_clean_text)]


# Dates outside these bounds mean nothing for a school and cannot be stored everywhere.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Strict(Schema):
    """A request body: unknown fields are an error with their name, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


def _patch(body: Strict, *, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent; null only where the field may be empty."""
    fields = body.model_dump(exclude_unset=True)
    nulls = [name for name, value in fields.items() if value is None and name not in nullable]
    if nulls:
        raise ValidationError({name: [_("Không được để trống (null).")] for name in nulls})
    return fields


def _school_unit(request: HttpRequest, code: str, perm: str) -> Unit:
    """A school the caller may act on with `perm`; 404 for one outside their reach (as for no school)."""
    return get_scoped_or_404(Unit.objects.all(), request.user, perm, code=code, kind=UnitKind.SCHOOL)


# --- output schemas --------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class StaffRef(Schema):
    id: int
    full_name: str


class SchoolOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    ownership: str
    ward_code: str | None
    ward_name: str
    address: str
    phone: str
    email: str
    website: str
    principal_name: str
    it_leader_name: str
    has_it_staff_position: bool
    status: str

    @staticmethod
    def resolve_code(obj: School) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_name(obj: School) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_level_label(obj: School) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_ward_code(obj: School) -> str | None:
        return obj.ward.code if obj.ward_id and obj.ward else None

    @staticmethod
    def resolve_ward_name(obj: School) -> str:
        return obj.ward.name if obj.ward_id and obj.ward else obj.ward_name


class TermOut(Schema):
    number: int
    start_date: dt.date
    end_date: dt.date


class SchoolYearOut(Schema):
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date
    is_current: bool
    terms: list[TermOut]

    @staticmethod
    def resolve_terms(obj: SchoolYear) -> list[Any]:
        return list(obj.terms.all())


class ClassOut(Schema):
    id: int
    school: UnitRef
    year: str
    grade: int
    name: str
    homeroom_teacher: StaffRef | None
    room: Ref | None
    student_count: int

    @staticmethod
    def resolve_year(obj: SchoolClass) -> str:
        return obj.year.name

    @staticmethod
    def resolve_student_count(obj: SchoolClass) -> int:
        count = getattr(obj, "student_count", None)
        return count if count is not None else Student.objects.filter(current_class=obj).count()


class ClassRef(Schema):
    id: int
    name: str


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


class EnrolmentOut(Schema):
    year: str
    school_class: ClassRef
    start_date: dt.date | None
    end_date: dt.date | None

    @staticmethod
    def resolve_year(obj: Any) -> str:
        return obj.year.name


class StudentDetailOut(StudentOut):
    """Identifiers, address, guardians and history only for who keeps the record, and for the family."""

    personal_id: str | None
    ethnicity: str | None
    address: str | None
    guardians: list[GuardianOut] | None
    status_history: list[StatusEventOut] | None
    enrolments: list[EnrolmentOut] | None


class AssignmentOut(Schema):
    school: UnitRef
    position: str
    is_main: bool


class StaffOut(Schema):
    id: int
    school: UnitRef
    full_name: str
    sex: str
    position: str
    subjects: str
    status: str


class StaffDetailOut(StaffOut):
    """Identifier, birth date and contacts only for who keeps the record, and for the person."""

    personal_id: str | None
    date_of_birth: dt.date | None
    employment_type: str
    qualification: str
    phone: str | None
    email: str | None
    schools: list[AssignmentOut]


class RoomOut(Schema):
    id: int
    school: UnitRef
    kind: str
    name: str
    area_m2: float | None
    condition: str

    @staticmethod
    def resolve_area_m2(obj: Room) -> float | None:
        return float(obj.area_m2) if obj.area_m2 is not None else None


class EquipmentOut(Schema):
    id: int
    school: UnitRef
    name: str
    quantity: int
    condition: str
    room: Ref | None


# --- schools ---------------------------------------------------------------------------------------


class SchoolFilters(Schema):
    level: SchoolLevel | None = None
    ownership: Ownership | None = None
    status: SchoolStatus | None = None
    ward: SearchText | None = Field(None, description="Mã hoặc tên phường/xã.")
    q: SearchText | None = Field(None, description="Tên hoặc đúng mã trường.")


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, auth=auth_for(READ), tags=["schools"])
@paginate(PageNumberPagination)
def school_list(request: HttpRequest, filters: Query[SchoolFilters]) -> Any:
    return selectors.school_list(
        user=request.user,
        q=filters.q or "",
        level=filters.level or "",
        ownership=filters.ownership or "",
        ward=filters.ward or "",
        status=filters.status or "",
    )


@router.get("/schools/{code}", response={200: SchoolOut, **ERRORS}, auth=auth_for(READ), tags=["schools"])
def school_detail(request: HttpRequest, code: Code) -> School:
    return selectors.school_get(user=request.user, code=code)


class SchoolPatch(Strict):
    name: Text255 | None = None
    level: SchoolLevel | None = None
    ownership: Ownership | None = None
    ward_code: Code | None = Field(None, description="Mã phường/xã trong cây đơn vị; rỗng để bỏ.")
    ward_name: Text128 | None = None
    address: Text255 | None = None
    phone: Text20 | None = None
    email: Text254 | None = None
    website: Text200 | None = None
    principal_name: Text255 | None = None
    it_leader_name: Text255 | None = None
    has_it_staff_position: bool | None = None
    status: SchoolStatus | None = None


@router.patch(
    "/schools/{code}", response={200: SchoolOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["schools"]
)
def school_patch(request: HttpRequest, code: Code, body: SchoolPatch) -> School:
    school = selectors.school_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    fields = _patch(body, nullable=("ward_code",))
    if "ward_code" in fields:
        ward_code = fields.pop("ward_code")
        ward = Unit.objects.filter(code=ward_code, kind=UnitKind.WARD).first() if ward_code else None
        if ward_code and ward is None:
            raise ValidationError({"ward_code": [_("Không có phường/xã mã này trong cây đơn vị.")]})
        fields["ward"] = ward
    name = fields.pop("name", None)
    return services.school_update(actor=request.user, school=school, name=name, **fields)


# --- school years ----------------------------------------------------------------------------------


@router.get(
    "/school-years", response={200: list[SchoolYearOut], **ERRORS}, auth=auth_for(READ), tags=["school-years"]
)
@paginate(PageNumberPagination)
def school_year_list(request: HttpRequest) -> Any:
    # The calendar names no person and is the same everywhere; any caller with the scope may read it.
    return selectors.year_list()


# --- classes ---------------------------------------------------------------------------------------


class ClassFilters(Schema):
    school: Code | None = Field(None, description="Mã trường.")
    year: Annotated[str, StringConstraints(max_length=9)] | None = Field(
        None, description="Năm học, ví dụ 2026-2027 (mặc định: năm học hiện tại)."
    )
    grade: int | None = Field(None, ge=0, le=12)
    q: SearchText | None = Field(None, description="Tên lớp.")


@router.get("/classes", response={200: list[ClassOut], **ERRORS}, auth=auth_for(READ), tags=["classes"])
@paginate(PageNumberPagination)
def class_list(request: HttpRequest, filters: Query[ClassFilters]) -> Any:
    year = SchoolYear.objects.filter(name=filters.year).first() if filters.year else services.current_year()
    if year is None:
        return SchoolClass.objects.none()
    return selectors.class_list(
        user=request.user, school_code=filters.school or "", year=year, grade=filters.grade, q=filters.q or ""
    )


@router.get("/classes/{class_id}", response={200: ClassOut, **ERRORS}, auth=auth_for(READ), tags=["classes"])
def class_detail(request: HttpRequest, class_id: Id) -> SchoolClass:
    return selectors.class_get(user=request.user, pk=class_id)


def _teacher(school: Unit, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    # Someone not working at this school is refused the same way whether or not they exist elsewhere.
    teacher = Staff.objects.filter(pk=staff_id).first()
    if teacher is None or not services._works_at(teacher, school):
        raise ValidationError(
            {"homeroom_teacher_id": [_("Giáo viên chủ nhiệm phải là cán bộ, giáo viên của trường.")]}
        )
    return teacher


def _room(school: Unit, room_id: int | None, field: str = "room_id") -> Room | None:
    if room_id is None:
        return None
    room = Room.objects.filter(pk=room_id, school=school).first()
    if room is None:
        raise ValidationError({field: [_("Phòng phải thuộc trường.")]})
    return room


class ClassIn(Strict):
    school: Code
    year: Annotated[str, StringConstraints(max_length=9)] | None = Field(
        None, description="Năm học; mặc định năm học hiện tại."
    )
    name: Text32
    homeroom_teacher_id: ObjectId | None = None
    room_id: ObjectId | None = None


@router.post("/classes", response={201: ClassOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["classes"])
def class_create(request: HttpRequest, body: ClassIn) -> Status[SchoolClass]:
    school = _school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    year = SchoolYear.objects.filter(name=body.year).first() if body.year else services.current_year()
    if year is None:
        raise ValidationError({"year": [_("Không có năm học này.")]})
    school_class = services.class_create(
        actor=request.user,
        school=school,
        year=year,
        name=body.name,
        homeroom_teacher=_teacher(school, body.homeroom_teacher_id),
        room=_room(school, body.room_id),
    )
    return Status(201, school_class)


class ClassPatch(Strict):
    name: Text32 | None = None
    homeroom_teacher_id: ObjectId | None = None
    room_id: ObjectId | None = None


@router.patch(
    "/classes/{class_id}", response={200: ClassOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["classes"]
)
def class_patch(request: HttpRequest, class_id: Id, body: ClassPatch) -> SchoolClass:
    school_class = selectors.class_get(user=request.user, pk=class_id, perm=Perm.CHANGE_SCHOOL)
    fields = _patch(body, nullable=("homeroom_teacher_id", "room_id"))
    if "homeroom_teacher_id" in fields:
        fields["homeroom_teacher"] = _teacher(school_class.school, fields.pop("homeroom_teacher_id"))
    if "room_id" in fields:
        fields["room"] = _room(school_class.school, fields.pop("room_id"))
    return services.class_update(actor=request.user, school_class=school_class, **fields)


# --- students --------------------------------------------------------------------------------------


class StudentFilters(Schema):
    school: Code | None = Field(None, description="Mã trường.")
    class_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Lớp hiện tại (id).")
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


def _sees_private_fields(user: Any, student: Student) -> bool:
    if has_perm(user, Perm.CHANGE_STUDENT, student.school):
        return True
    return student.user_id == user.pk or any(g.user_id == user.pk for g in student.guardians.all())


def _student_detail(user: Any, student: Student) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": student.pk,
        "full_name": student.full_name,
        "school": student.school,
        "sex": student.sex,
        "date_of_birth": student.date_of_birth,
        "ministry_code": student.ministry_code,
        "status": student.status,
        "current_class": student.current_class,
        "personal_id": None,
        "ethnicity": None,
        "address": None,
        "guardians": None,
        "status_history": None,
        "enrolments": None,
    }
    if _sees_private_fields(user, student):
        data.update(
            personal_id=student.personal_id,
            ethnicity=student.ethnicity,
            address=student.address,
            guardians=list(student.guardians.all()),
            status_history=list(student.status_events.order_by("date", "id")),
            enrolments=list(
                student.enrolments.select_related("year", "school_class").order_by("start_date", "id")
            ),
        )
    return data


def _student(request: HttpRequest, student_id: int, perm: str = Perm.VIEW_STUDENT) -> Student:
    return get_scoped_or_404(
        Student.objects.select_related("school", "current_class").prefetch_related("guardians"),
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


def _class_of(school: Unit, class_id: int | None) -> SchoolClass | None:
    if class_id is None:
        return None
    school_class = SchoolClass.objects.select_related("year").filter(pk=class_id, school=school).first()
    if school_class is None:
        raise ValidationError({"class_id": [_("Lớp phải thuộc trường của học sinh.")]})
    return school_class


class StudentIn(Strict):
    school: Code
    personal_id: Text12
    full_name: Text255
    date_of_birth: Day
    sex: Sex
    class_id: ObjectId | None = Field(None, description="Lớp của năm học hiện tại.")
    start_date: Day | None = None
    ministry_code: Annotated[str, StringConstraints(pattern=r"^(\d{10})?$")] = ""
    ethnicity: Text64 = "Kinh"
    nationality: Text64 = "Việt Nam"
    place_of_birth: Text255 = ""
    address: Text255 = ""
    disability: Text128 = ""


@router.post(
    "/students", response={201: StudentDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["students"]
)
def student_create(request: HttpRequest, body: StudentIn) -> Status[dict[str, Any]]:
    school = _school_unit(request, body.school, Perm.CHANGE_STUDENT)
    fields = body.model_dump(
        exclude={"school", "class_id", "start_date", "personal_id", "full_name", "date_of_birth", "sex"}
    )
    student = services.student_create(
        actor=request.user,
        school=school,
        personal_id=body.personal_id,
        full_name=body.full_name,
        date_of_birth=body.date_of_birth,
        sex=body.sex,
        school_class=_class_of(school, body.class_id),
        start_date=body.start_date,
        **fields,
    )
    return Status(201, _student_detail(request.user, _student(request, student.pk)))


class StudentPatch(Strict):
    full_name: Text255 | None = None
    date_of_birth: Day | None = None
    sex: Sex | None = None
    ethnicity: Text64 | None = None
    address: Text255 | None = None
    ministry_code: Annotated[str, StringConstraints(pattern=r"^(\d{10})?$")] | None = None


@router.patch(
    "/students/{student_id}",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def student_patch(request: HttpRequest, student_id: Id, body: StudentPatch) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    services.student_update(actor=request.user, student=student, **_patch(body))
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
    school_class = _class_of(student.school, body.class_id)
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
    if not _sees_private_fields(request.user, student):
        # Seeing a pupil's name does not mean seeing the family's phone numbers.
        return []
    return list(student.guardians.all())


class GuardianIn(Strict):
    full_name: Text255
    relation: Text32 = "Cha/Mẹ"
    phone: Text20 = ""
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
    full_name: Text255 | None = None
    relation: Text32 | None = None
    phone: Text20 | None = None
    is_primary: bool | None = None


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
    return services.guardian_update(actor=request.user, guardian=guardian, **_patch(body))


@router.delete(
    "/students/{student_id}/guardians/{guardian_id}",
    response={204: None, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["students"],
)
def guardian_delete(request: HttpRequest, student_id: Id, guardian_id: Id) -> Status[None]:
    services.guardian_remove(actor=request.user, guardian=_guardian(request, student_id, guardian_id))
    return Status(204, None)


# --- staff -----------------------------------------------------------------------------------------


class StaffFilters(Schema):
    school: Code | None = Field(None, description="Mã trường (kể cả người dạy thêm ở trường đó).")
    position: SearchText | None = None
    status: StaffStatus | None = None
    q: SearchText | None = Field(None, description="Tên (không dấu cũng được) hoặc số định danh.")


@router.get("/staff", response={200: list[StaffOut], **ERRORS}, auth=auth_for(READ), tags=["staff"])
@paginate(PageNumberPagination)
def staff_list(request: HttpRequest, filters: Query[StaffFilters]) -> Any:
    return selectors.staff_list(
        user=request.user,
        school_code=filters.school or "",
        q=filters.q or "",
        position=filters.position or "",
        status=filters.status or "",
    )


def _staff_detail(user: Any, person: Staff) -> dict[str, Any]:
    private = has_perm(user, Perm.CHANGE_STAFF, person.school) or person.user_id == user.pk
    return {
        "id": person.pk,
        "school": person.school,
        "full_name": person.full_name,
        "sex": person.sex,
        "position": person.position,
        "subjects": person.subjects,
        "status": person.status,
        "employment_type": person.employment_type,
        "qualification": person.qualification,
        "personal_id": person.personal_id if private else None,
        "date_of_birth": person.date_of_birth if private else None,
        "phone": person.phone if private else None,
        "email": person.email if private else None,
        "schools": list(person.assignments.select_related("school").order_by("-is_main", "school__code")),
    }


@router.get(
    "/staff/{staff_id}", response={200: StaffDetailOut, **ERRORS}, auth=auth_for(READ), tags=["staff"]
)
def staff_detail(request: HttpRequest, staff_id: Id) -> dict[str, Any]:
    return _staff_detail(request.user, selectors.staff_get(user=request.user, pk=staff_id))


class StaffIn(Strict):
    school: Code
    personal_id: Text12
    full_name: Text255
    sex: Sex
    date_of_birth: Day
    position: Text128 = ""
    employment_type: Text64 = ""
    qualification: Text128 = ""
    subjects: Text255 = ""
    phone: Text20 = ""
    email: Text254 = ""
    status: StaffStatus = StaffStatus.WORKING


@router.post("/staff", response={201: StaffDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["staff"])
def staff_create(request: HttpRequest, body: StaffIn) -> Status[dict[str, Any]]:
    school = _school_unit(request, body.school, Perm.CHANGE_STAFF)
    fields = body.model_dump(exclude={"school", "personal_id", "full_name"})
    person = services.staff_create(
        actor=request.user, school=school, personal_id=body.personal_id, full_name=body.full_name, **fields
    )
    return Status(201, _staff_detail(request.user, person))


class StaffPatch(Strict):
    full_name: Text255 | None = None
    sex: Sex | None = None
    date_of_birth: Day | None = None
    position: Text128 | None = None
    employment_type: Text64 | None = None
    qualification: Text128 | None = None
    subjects: Text255 | None = None
    phone: Text20 | None = None
    email: Text254 | None = None
    status: StaffStatus | None = None


@router.patch(
    "/staff/{staff_id}", response={200: StaffDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["staff"]
)
def staff_patch(request: HttpRequest, staff_id: Id, body: StaffPatch) -> dict[str, Any]:
    person = selectors.staff_get(user=request.user, pk=staff_id, perm=Perm.CHANGE_STAFF)
    return _staff_detail(
        request.user, services.staff_update(actor=request.user, staff=person, **_patch(body))
    )


# --- facilities ------------------------------------------------------------------------------------


class RoomFilters(Schema):
    school: Code | None = None
    kind: RoomKind | None = None
    condition: Condition | None = None


@router.get("/rooms", response={200: list[RoomOut], **ERRORS}, auth=auth_for(READ), tags=["facilities"])
@paginate(PageNumberPagination)
def room_list(request: HttpRequest, filters: Query[RoomFilters]) -> Any:
    return selectors.room_list(
        user=request.user,
        school_code=filters.school or "",
        kind=filters.kind or "",
        condition=filters.condition or "",
    )


Area = Annotated[decimal.Decimal, Field(ge=0, max_digits=8, decimal_places=1)]


class RoomIn(Strict):
    school: Code
    kind: RoomKind
    name: Text64
    area_m2: Area | None = None
    condition: Condition = Condition.GOOD


@router.post("/rooms", response={201: RoomOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"])
def room_create(request: HttpRequest, body: RoomIn) -> Status[Room]:
    school = _school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    return Status(
        201, services.room_create(actor=request.user, school=school, **body.model_dump(exclude={"school"}))
    )


class RoomPatch(Strict):
    kind: RoomKind | None = None
    name: Text64 | None = None
    area_m2: Area | None = None
    condition: Condition | None = None


@router.patch(
    "/rooms/{room_id}", response={200: RoomOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"]
)
def room_patch(request: HttpRequest, room_id: Id, body: RoomPatch) -> Room:
    room = selectors.room_get(user=request.user, pk=room_id, perm=Perm.CHANGE_SCHOOL)
    return services.room_update(actor=request.user, room=room, **_patch(body, nullable=("area_m2",)))


class EquipmentFilters(Schema):
    school: Code | None = None
    condition: Condition | None = None
    q: SearchText | None = None


@router.get(
    "/equipment", response={200: list[EquipmentOut], **ERRORS}, auth=auth_for(READ), tags=["facilities"]
)
@paginate(PageNumberPagination)
def equipment_list(request: HttpRequest, filters: Query[EquipmentFilters]) -> Any:
    return selectors.equipment_list(
        user=request.user,
        school_code=filters.school or "",
        condition=filters.condition or "",
        q=filters.q or "",
    )


Quantity = Annotated[int, Field(ge=0, le=1_000_000)]


class EquipmentIn(Strict):
    school: Code
    name: Text255
    quantity: Quantity = 1
    condition: Condition = Condition.GOOD
    room_id: ObjectId | None = None


@router.post(
    "/equipment", response={201: EquipmentOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"]
)
def equipment_create(request: HttpRequest, body: EquipmentIn) -> Status[Equipment]:
    school = _school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    item = services.equipment_create(
        actor=request.user,
        school=school,
        name=body.name,
        quantity=body.quantity,
        condition=body.condition,
        room=_room(school, body.room_id),
    )
    return Status(201, item)


class EquipmentPatch(Strict):
    name: Text255 | None = None
    quantity: Quantity | None = None
    condition: Condition | None = None
    room_id: ObjectId | None = None


@router.patch(
    "/equipment/{equipment_id}",
    response={200: EquipmentOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["facilities"],
)
def equipment_patch(request: HttpRequest, equipment_id: Id, body: EquipmentPatch) -> Equipment:
    item = selectors.equipment_get(user=request.user, pk=equipment_id, perm=Perm.CHANGE_SCHOOL)
    fields = _patch(body, nullable=("room_id",))
    if "room_id" in fields:
        fields["room"] = _room(item.school, fields.pop("room_id"))
    return services.equipment_update(actor=request.user, equipment=item, **fields)
