"""The end of the school year through the API, for the principal (Perm.CLOSE_YEAR on the school; anyone
else, another school's principal included, is answered 404): the plan previewed (as is, or with the new
classes' names and homeroom teachers edited and the principal's decisions for primary pupils who do not
complete the grade), then applied — in one transaction, once per school and year, audited — by the same
services as the screen (`services.yearend`).

Refusals are 422 with a machine-readable code: `pending_decisions` (a re-test or a re-assessment not yet
entered; `fields.pending` lists who and why), `invalid_plan` (`fields.classes` / `fields.overrides` say what
to fix), `no_year` (the school has no current year).
"""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.errors import error_response
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory.api.common import Strict
from giaoducso.directory.selectors import current_year_for

from ..models import YearEndRun
from ..services import yearend
from .common import READ, WRITE

router = Router(tags=["records"])

SchoolCode = Annotated[str, Path(..., pattern=r"^[A-Za-z0-9_.-]{1,32}$", description="Mã trường.")]
PENDING_SHOWN = 200


class YearEndClassOut(Schema):
    key: str = Field(description="Lớp cũ (id), hoặc `r:<tên>` cho lớp mở cho học sinh ở lại lớp.")
    name: str
    grade: int
    teacher_id: int | None
    teacher_name: str
    from_name: str


class YearEndStudentOut(Schema):
    student_id: int
    name: str
    from_class: str
    decision: str = Field(description="promoted, repeat, graduated, pending.")
    reason: str
    to_class: str
    may_override: bool = Field(
        False,
        description="Học sinh tiểu học chưa hoàn thành chương trình lớp học: Hiệu trưởng quyết định lên lớp "
        "hoặc ở lại lớp (`overrides`).",
    )
    overridden: bool = Field(False, description="Quyết định của Hiệu trưởng thay cho kết quả đánh giá.")
    rule_decision: str = Field("", description="Quyết định theo kết quả đánh giá.")


class YearEndOut(Schema):
    from_year: str
    to_year: str
    to_year_exists: bool
    applied: bool = Field(description="Trường đã chuyển năm học này (kết quả là kế hoạch đã thực hiện).")
    classes: list[YearEndClassOut]
    students: list[YearEndStudentOut]
    errors: list[str] = Field(description="Điều phải sửa ở các lớp mới trước khi thực hiện.")
    override_errors: list[str] = Field(
        default_factory=list, description="Điều phải sửa ở các quyết định của Hiệu trưởng."
    )


class YearEndClassIn(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^(\d{1,12}|r:[^\s]{1,40})$")] = Field(
        description="Khoá của lớp trong bản xem trước (`classes[].key`)."
    )
    name: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        None, description="Tên lớp mới, ví dụ `7/1`."
    )
    teacher_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Giáo viên chủ nhiệm (id cán bộ của trường); gửi null để bỏ trống, bỏ qua để giữ đề xuất.",
    )


class YearEndOverrideIn(Strict):
    student_id: int = Field(ge=1, le=2**63 - 1)
    decision: Annotated[str, StringConstraints(pattern=r"^(promoted|repeat)$")] = Field(
        description="promoted: lên lớp (lớp cuối cấp: hoàn thành chương trình); repeat: ở lại lớp."
    )
    reason: Annotated[str, StringConstraints(min_length=1, max_length=255)]


class YearEndIn(Strict):
    classes: list[YearEndClassIn] = Field(default_factory=list, max_length=500)
    overrides: list[YearEndOverrideIn] = Field(default_factory=list, max_length=2000)


def _school(request: HttpRequest, code: str) -> Unit:
    school = Unit.objects.filter(code=code).first()
    if school is None or not has_perm(request.user, Perm.CLOSE_YEAR, school):
        raise Http404
    return school


def _done(school: Unit) -> YearEndRun | None:
    year = current_year_for(school)
    return YearEndRun.objects.filter(school=school, from_year=year).first() if year else None


def _out(plan: dict[str, Any], applied: bool) -> dict[str, Any]:
    return {
        "from_year": plan["from_year"],
        "to_year": plan["to_year"],
        "to_year_exists": applied or plan["to_year_id"] is not None,
        "applied": applied,
        "classes": plan["classes"],
        "students": plan["students"],
        "errors": plan.get("errors", []),
        "override_errors": plan.get("override_errors", []),
    }


def _edits(body: YearEndIn | None) -> dict[str, Any]:
    names: dict[str, str] = {}
    teachers: dict[str, int | None] = {}
    overrides: yearend.Overrides = {}
    for item in body.classes if body else []:
        if item.name is not None:
            names[item.key] = item.name
        if "teacher_id" in item.model_fields_set:
            teachers[item.key] = item.teacher_id
    for override in body.overrides if body else []:
        overrides[override.student_id] = (override.decision, override.reason)
    return {"names": names, "teachers": teachers, "overrides": overrides}


def _no_year(error: ValidationError) -> JsonResponse:
    message = error.messages[0]
    return error_response(422, "no_year", message, {"__all__": [message]})


@router.get(
    "/records/schools/{code}/year-end",
    response={200: YearEndOut, **ERRORS},
    auth=auth_for(READ),
    summary="Xem trước xét lên lớp và chuyển năm học của trường (Hiệu trưởng)",
    description="Không ghi gì. Khi trường đã chuyển năm học, trả kế hoạch đã thực hiện (`applied`).",
    # The id it had when it lived in api/family.py: the published document's clients keep it.
    operation_id="giaoducso_records_api_family_records_year_end_preview",
)
def records_year_end_preview(request: HttpRequest, code: SchoolCode) -> Any:
    return _preview(request, code, {})


@router.post(
    "/records/schools/{code}/year-end/preview",
    response={200: YearEndOut, **ERRORS},
    auth=auth_for(READ),
    summary="Xem trước với các sửa đổi: tên lớp mới, giáo viên chủ nhiệm, quyết định của Hiệu trưởng",
    description=(
        "Không ghi gì. Điều phải sửa trước khi thực hiện nằm trong `errors` / `override_errors`. Khi trường "
        "đã chuyển năm học, trả kế hoạch đã thực hiện (`applied`)."
    ),
)
def records_year_end_preview_edited(request: HttpRequest, code: SchoolCode, body: YearEndIn) -> Any:
    return _preview(request, code, _edits(body))


def _preview(request: HttpRequest, code: str, edits: dict[str, Any]) -> Any:
    """The plan as applied once the school has rolled over; before that, the preview with these edits."""
    school = _school(request, code)
    done = _done(school)
    if done is not None:
        return _out(done.plan, True)
    try:
        return _out(yearend.year_end_preview(school=school, **edits).as_json(), False)
    except ValidationError as error:
        return _no_year(error)


@router.post(
    "/records/schools/{code}/year-end/apply",
    response={200: YearEndOut, 201: YearEndOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Thực hiện xét lên lớp và chuyển năm học (một lần, trong một giao dịch, có nhật ký)",
    description=(
        "201: đã chuyển năm học (năm học mới và các học kì nếu chưa có, các lớp mới, học sinh chuyển theo "
        "quyết định, học sinh cuối cấp hoàn thành chương trình). 200: trường đã chuyển năm học này từ "
        "trước — không thay đổi gì, trả kế hoạch đã thực hiện. 422 `pending_decisions` (còn học sinh chưa "
        "có quyết định; `fields.pending`), `invalid_plan` (`fields.classes`, `fields.overrides`), "
        "`no_year`: không ghi gì."
    ),
)
def records_year_end_apply(request: HttpRequest, code: SchoolCode, body: YearEndIn) -> Any:
    school = _school(request, code)
    done = _done(school)
    if done is not None:
        return Status(200, _out(done.plan, True))
    edits = _edits(body)
    try:
        plan = yearend.year_end_preview(school=school, **edits)
    except ValidationError as error:
        return _no_year(error)
    if plan.problems:
        fields = {
            key: errors
            for key, errors in (("classes", plan.errors), ("overrides", plan.override_errors))
            if errors
        }
        return error_response(422, "invalid_plan", plan.problems[0], fields)
    if plan.pending:
        pending = [
            _("%(id)s: %(name)s (%(cls)s) — chưa có quyết định: %(reason)s")
            % {"id": row.student_id, "name": row.name, "cls": row.from_class, "reason": row.reason}
            for row in plan.pending
        ]
        message = _(
            "Còn %(n)s học sinh chưa có quyết định cuối năm. Hãy nhập kết quả kiểm tra lại, đánh giá lại rèn "
            "luyện trước khi chuyển năm học."
        ) % {"n": len(pending)}
        return error_response(422, "pending_decisions", message, {"pending": pending[:PENDING_SHOWN]})
    try:
        run = yearend.year_end_apply(actor=request.user, school=school, **edits)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # what changed between the check above and the transaction
        code_ = error.error_list[0].code or "invalid_plan"
        return error_response(422, code_, error.messages[0], {"__all__": list(error.messages)})
    return Status(201, _out(run.plan, True))
