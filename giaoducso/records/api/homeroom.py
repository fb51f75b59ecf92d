"""The API of what the homeroom teacher keeps and the school reads: a class's results (derived, never
stored), its absences, and the roll of one session (`services.attendance_write`)."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.directory.api.common import Strict

from .. import services
from ..models import Absence, SubjectKind
from ..selectors.absences import class_absences
from ..selectors.summary import YEAR, class_summary
from .common import READ, WRITE, WRITE_ERRORS, ClassId, RecordsStudentRef, class_and_access, refusal
from .gradebook import _number

router = Router(tags=["records"])

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


# --- results -------------------------------------------------------------------------------------


class RecordsLevelOut(Schema):
    code: str = Field(description="Mã: tot, kha, dat, chua_dat (tiểu học: hoan_thanh_tot, …).")
    label: str


class SubjectResultOut(Schema):
    code: str
    average_term1: float | None
    average_term2: float | None
    average_year: float | None
    passed_term1: bool | None
    passed_term2: bool | None


class StudentResultOut(Schema):
    student: RecordsStudentRef
    subjects: list[SubjectResultOut]
    learning_term1: RecordsLevelOut | None = Field(description="Kết quả học tập học kì I; null khi chưa đủ.")
    learning_term2: RecordsLevelOut | None
    learning_year: RecordsLevelOut | None
    conduct_term1: RecordsLevelOut | None = Field(description="Kết quả rèn luyện học kì I.")
    conduct_term2: RecordsLevelOut | None
    conduct_year: RecordsLevelOut | None
    absences: int = Field(description="Số buổi nghỉ cả năm (có phép và không phép).")
    outcome: RecordsLevelOut | None = Field(
        description="Lên lớp, kiểm tra lại, rèn luyện trong hè, ở lại lớp."
    )
    retests: list[str] = Field(description="Các môn kiểm tra lại.")
    award: str = Field(description="Danh hiệu cuối năm, nếu có.")
    primary_result: RecordsLevelOut | None = Field(description="Tiểu học: kết quả giáo dục cả năm.")


class RecordsSubjectRef(Schema):
    code: str
    name: str
    kind: str


class ResultsOut(Schema):
    class_id: int
    subjects: list[RecordsSubjectRef]
    rows: list[StudentResultOut]


def _level(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    code = value.value if isinstance(value.value, str) else value.name.lower()
    return {"code": code, "label": str(value.label)}


@router.get(
    "/records/classes/{class_id}/results",
    response={200: ResultsOut, **ERRORS},
    auth=auth_for(READ),
    summary="Tổng hợp kết quả của lớp (giáo viên chủ nhiệm, Ban giám hiệu; cha mẹ: con mình)",
)
def records_class_results(request: HttpRequest, class_id: ClassId) -> dict[str, Any]:
    found, _access = class_and_access(request, class_id)
    summary = class_summary(user=request.user, school_class=found)
    rows = []
    for result in summary.results:
        subjects = []
        for subject in summary.subjects:
            row = result.subjects.get(subject.pk)
            if row is None or subject.kind == SubjectKind.LEVEL:
                continue
            subjects.append(
                {
                    "code": subject.code,
                    "average_term1": _number(row.term_average.get(1)),
                    "average_term2": _number(row.term_average.get(2)),
                    "average_year": _number(row.year_average),
                    "passed_term1": row.term_passed.get(1),
                    "passed_term2": row.term_passed.get(2),
                }
            )
        rows.append(
            {
                "student": result.student,
                "subjects": subjects,
                **{f"learning_{k}": _level(result.learning.get(t)) for k, t in _TERMS},
                **{f"conduct_{k}": _level(result.conduct.get(t)) for k, t in _TERMS},
                "absences": result.absences,
                "outcome": _level(result.outcome),
                "retests": result.retests,
                "award": result.award,
                "primary_result": _level(result.primary_result),
            }
        )
    return {
        "class_id": found.pk,
        "subjects": [{"code": s.code, "name": s.name, "kind": s.kind} for s in summary.subjects],
        "rows": rows,
    }


_TERMS = (("term1", 1), ("term2", 2), ("year", YEAR))


# --- attendance ----------------------------------------------------------------------------------

Session = Literal["am", "pm"]


class AbsenceOut(Schema):
    student: RecordsStudentRef
    date: dt.date
    session: str = Field(description="am: buổi sáng; pm: buổi chiều.")
    excused: bool = Field(description="Nghỉ có phép.")
    reason: str


class AttendanceFilters(Schema):
    date_from: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD")
    date_to: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD")


@router.get(
    "/records/classes/{class_id}/attendance",
    response={200: list[AbsenceOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các buổi nghỉ học của lớp (mặc định cả năm học)",
)
@paginate(PageNumberPagination)
def records_attendance_list(
    request: HttpRequest, class_id: ClassId, filters: Query[AttendanceFilters]
) -> Any:
    found, _access = class_and_access(request, class_id)
    return class_absences(
        user=request.user, school_class=found, date_from=filters.date_from, date_to=filters.date_to
    )


class AbsentIn(Strict):
    student_id: int = Field(ge=1, le=2**63 - 1)
    excused: bool = False
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


class RollIn(Strict):
    absent: list[AbsentIn] = Field(
        max_length=200, description="Các học sinh vắng buổi này; mọi học sinh khác của lớp có mặt."
    )


class RollOut(Schema):
    class_id: int
    date: dt.date
    session: str
    absent: list[AbsenceOut]


@router.put(
    "/records/classes/{class_id}/attendance/{date}/{session}",
    response={200: RollOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    summary="Điểm danh một buổi (giáo viên chủ nhiệm)",
    description=(
        "Thay điểm danh của buổi bằng danh sách vắng gửi lên (danh sách rỗng: cả lớp có mặt). Từ chối khi "
        "học kì đã khoá sổ (409 `term_locked`), ngày ngoài năm học (`outside_year`) hoặc chưa tới "
        "(`future_date`), học sinh không thuộc lớp (`not_in_class`). 403 khi người gọi không phải giáo "
        "viên chủ nhiệm của lớp."
    ),
)
def records_attendance_write(
    request: HttpRequest,
    class_id: ClassId,
    date: Annotated[dt.date, Path(..., ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD")],
    session: Annotated[Session, Path(..., description="am: sáng; pm: chiều.")],
    body: RollIn,
) -> Any:
    found, _access = class_and_access(request, class_id)
    absent = {a.student_id: services.AbsenceEntry(excused=a.excused, reason=a.reason) for a in body.absent}
    if len(absent) != len(body.absent):
        raise ValidationError({"absent": [_("Mỗi học sinh chỉ ghi một lần trong một buổi.")]})
    if any("\x00" in a.reason for a in body.absent):
        raise ValidationError({"absent": [_("Không được chứa ký tự NUL.")]})
    try:
        written = services.attendance_write(
            actor=request.user, school_class=found, date=date, session=session, absent=absent
        )
    except ValidationError as error:
        return refusal(error)
    ids = [a.pk for a in written]
    rows = Absence.objects.filter(pk__in=ids).select_related("student").order_by("student__search_name")
    return {"class_id": found.pk, "date": date, "session": session, "absent": list(rows)}
