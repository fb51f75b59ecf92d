"""The API of grade books: the classes a user reaches, a class's subjects, a subject's grade book, and
writing its cells (one or many, all or nothing, through `services.marks_write`)."""

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.directory.api.common import Strict
from giaoducso.directory.models import SchoolClass

from .. import selectors, services
from ..models import GradeSubject, TeachingAssignment
from ..selectors.gradebook import GradeBook, Row
from .common import (
    READ,
    WRITE,
    WRITE_ERRORS,
    ClassId,
    RecordsStudentRef,
    SubjectCode,
    class_and_access,
    refusal,
    subject_of,
)

router = Router(tags=["records"])


class RecordsClassOut(Schema):
    id: int
    school: UnitRef
    year: str
    grade: int
    name: str
    homeroom: bool = Field(description="Người gọi là giáo viên chủ nhiệm của lớp.")

    @staticmethod
    def resolve_year(obj: SchoolClass) -> str:
        return obj.year.name

    @staticmethod
    def resolve_homeroom(obj: SchoolClass, context: Any) -> bool:
        staff = obj.homeroom_teacher
        user = context["request"].user
        return staff is not None and staff.user_id is not None and staff.user_id == user.pk


@router.get(
    "/records/classes",
    response={200: list[RecordsClassOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các lớp có sổ điểm người gọi được xem (năm học hiện tại)",
)
@paginate(PageNumberPagination)
def records_class_list(request: HttpRequest) -> Any:
    classes = selectors.classes_for(request.user, SchoolClass.objects.filter(year__is_current=True))
    return classes.select_related("school", "year", "homeroom_teacher").order_by(
        "school__name", "grade", "name", "pk"
    )


class RecordsSubjectOut(Schema):
    code: str
    name: str
    kind: str = Field(description="scored: điểm số; comment: nhận xét Đạt/Chưa đạt; level: mức T/H/C.")
    teacher: str | None = Field(description="Giáo viên được phân công dạy môn ở lớp.")
    editable: bool = Field(description="Người gọi được nhập điểm môn này.")


class RecordsClassDetailOut(Schema):
    id: int
    school: UnitRef
    year: str
    grade: int
    name: str
    homeroom: bool = Field(description="Người gọi là giáo viên chủ nhiệm của lớp.")
    subjects: list[RecordsSubjectOut]


@router.get(
    "/records/classes/{class_id}",
    response={200: RecordsClassDetailOut, **ERRORS},
    auth=auth_for(READ),
    summary="Một lớp và các môn người gọi được xem",
)
def records_class_detail(request: HttpRequest, class_id: ClassId) -> dict[str, Any]:
    found, access = class_and_access(request, class_id)
    teachers = {
        a.subject_id: a.teacher.full_name
        for a in TeachingAssignment.objects.filter(school_class=found).select_related("teacher")
    }
    subjects = [
        {
            "code": gs.subject.code,
            "name": gs.subject.name,
            "kind": gs.subject.kind,
            "teacher": teachers.get(gs.subject_id),
            "editable": access.enters_subject(gs.subject_id),
        }
        for gs in GradeSubject.objects.filter(grade=found.grade).select_related("subject")
        if access.sees_subject(gs.subject_id)
    ]
    return {
        "id": found.pk,
        "school": found.school,
        "year": found.year.name,
        "grade": found.grade,
        "name": found.name,
        "homeroom": access.homeroom,
        "subjects": subjects,
    }


# --- a grade book --------------------------------------------------------------------------------

Kind = Literal["tx", "gk", "ck"]
Term = Literal[1, 2]
Index = Annotated[int, Field(ge=1, le=9, description="Lần đánh giá thường xuyên (TX1…); 1 cho GK, CK.")]


class GradeBookColumnOut(Schema):
    term: int
    kind: str = Field(description="tx: thường xuyên; gk: giữa kì; ck: cuối kì.")
    index: int
    label: str


class GradeBookCellOut(Schema):
    term: int
    kind: str
    index: int
    value: float | None = Field(description="Điểm (0–10, một chữ số thập phân; tiểu học: điểm bài kiểm tra).")
    level: int | None = Field(description="Mức: môn nhận xét 1 Đạt / 0 Chưa đạt; tiểu học 2 T / 1 H / 0 C.")
    comment: str


class GradeBookRowOut(Schema):
    student: RecordsStudentRef
    cells: list[GradeBookCellOut] = Field(description="Chỉ các ô đã có dữ liệu.")
    average_term1: float | None = Field(description="ĐTB môn học kì I; null khi chưa đủ điểm.")
    average_term2: float | None
    average_year: float | None = Field(description="ĐTB môn cả năm; null khi chưa đủ điểm.")
    passed_term1: bool | None = Field(description="Môn nhận xét: Đạt học kì I; null khi chưa đủ.")
    passed_term2: bool | None = Field(description="Môn nhận xét: Đạt học kì II (cũng là cả năm).")


class GradeBookOut(Schema):
    class_id: int
    subject: RecordsSubjectOut
    editable: bool
    columns: list[GradeBookColumnOut]
    rows: list[GradeBookRowOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def row_out(row: Row) -> dict[str, Any]:
    return {
        "student": row.student,
        "cells": [
            {
                "term": m.term,
                "kind": m.kind,
                "index": m.index,
                "value": _number(m.value),
                "level": m.level,
                "comment": m.comment,
            }
            for m in row.cells.values()
        ],
        "average_term1": _number(row.term_average.get(1)),
        "average_term2": _number(row.term_average.get(2)),
        "average_year": _number(row.year_average),
        "passed_term1": row.term_passed.get(1),
        "passed_term2": row.term_passed.get(2),
    }


def book_out(book: GradeBook, teacher: str | None, rows: list[Row] | None = None) -> dict[str, Any]:
    subject = book.subject
    return {
        "class_id": book.school_class.pk,
        "subject": {
            "code": subject.code,
            "name": subject.name,
            "kind": subject.kind,
            "teacher": teacher,
            "editable": book.editable,
        },
        "editable": book.editable,
        "columns": [
            {"term": c.term, "kind": c.kind, "index": c.index, "label": c.label} for c in book.columns
        ],
        "rows": [row_out(r) for r in (book.rows if rows is None else rows)],
    }


def _teacher(found: SchoolClass, subject_id: int) -> str | None:
    assignment = (
        TeachingAssignment.objects.filter(school_class=found, subject_id=subject_id)
        .select_related("teacher")
        .first()
    )
    return assignment.teacher.full_name if assignment else None


@router.get(
    "/records/classes/{class_id}/subjects/{subject_code}/marks",
    response={200: GradeBookOut, **ERRORS},
    auth=auth_for(READ),
    summary="Sổ điểm một môn của lớp: các cột, điểm từng học sinh, ĐTB và kết quả",
)
def records_gradebook(request: HttpRequest, class_id: ClassId, subject_code: SubjectCode) -> dict[str, Any]:
    found, _access = class_and_access(request, class_id)
    subject = subject_of(found, subject_code)
    book = selectors.grade_book(user=request.user, school_class=found, subject=subject)
    return book_out(book, _teacher(found, subject.pk))


# A score as typed: "8,5" is 8.5. The shape is checked here; the circular's range and one decimal by the
# service, which answers `out_of_range` / `too_many_decimals` (primary tests: whole scores 0–10).
ScoreText = Annotated[str, StringConstraints(pattern=r"^\s*[0-9]{1,2}([.,][0-9]{1,2})?\s*$")]
ScoreNumber = Annotated[float, Field(ge=0, lt=100)]


class GradeBookCellIn(Strict):
    student_id: int = Field(ge=1, le=2**63 - 1)
    term: Term
    kind: Kind
    index: Index = 1
    value: ScoreText | ScoreNumber | None = Field(
        None,
        description=(
            "Điểm 0–10, tối đa một chữ số thập phân; số hoặc chuỗi (“8,5” là 8,5). null hoặc bỏ trống: "
            "xoá điểm của ô."
        ),
    )
    level: Annotated[int, Field(ge=0, le=2)] | None = Field(
        None, description="Mức: môn nhận xét 1 Đạt / 0 Chưa đạt; tiểu học 2 T / 1 H / 0 C. null: xoá."
    )
    comment: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        None, description="Nhận xét; bỏ qua (null) để giữ nhận xét đã lưu."
    )


class MarksIn(Strict):
    cells: list[GradeBookCellIn] = Field(min_length=1, max_length=2000)


@router.patch(
    "/records/classes/{class_id}/subjects/{subject_code}/marks",
    response={200: GradeBookOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    summary="Ghi một hay nhiều ô điểm (tất cả hoặc không ô nào)",
    description=(
        "Ghi các ô qua cùng đường ghi của màn hình: kiểm tra theo thông tư, từ chối khi học kì đã khoá sổ "
        "(409 `term_locked`), ghi nhật ký. Một ô bị từ chối thì không ô nào được ghi (422 với mã: "
        "`out_of_range`, `too_many_decimals`, `not_a_number`, `not_in_class`, `invalid_index`, "
        "`invalid_kind`, `invalid_level`, `no_score`, `not_tested`). 403 khi người gọi xem được sổ nhưng "
        "không được nhập môn này. Trả về sổ điểm của các học sinh vừa ghi."
    ),
)
def records_marks_write(
    request: HttpRequest, class_id: ClassId, subject_code: SubjectCode, body: MarksIn
) -> Any:
    found, access = class_and_access(request, class_id)
    subject = subject_of(found, subject_code)
    if not access.sees_subject(subject.pk):
        raise Http404
    cells = [
        services.Cell(
            student_id=c.student_id,
            term=c.term,
            kind=c.kind,
            index=c.index,
            value=None if c.value is None else _score_text(c.value),
            level=c.level,
            comment=c.comment,
        )
        for c in body.cells
    ]
    try:
        services.marks_write(actor=request.user, school_class=found, subject=subject, cells=cells)
    except ValidationError as error:
        return refusal(error, prefix="cells.")
    book = selectors.grade_book(user=request.user, school_class=found, subject=subject)
    written = {c.student_id for c in cells}
    rows = [r for r in book.rows if r.student.pk in written]
    return book_out(book, _teacher(found, subject.pk), rows)


def _score_text(value: str | float) -> str:
    # A float's shortest repr ("8.5", "8.55") is what the caller wrote, so the rules see its decimals.
    return value.strip() if isinstance(value, str) else repr(value)
