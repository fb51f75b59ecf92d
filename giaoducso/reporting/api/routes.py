"""Routes of /api/v1/reporting/… and /api/v1/assets/…: thin, one selector or service each."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.errors import error_response
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import Code, Id
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404

from .. import selectors, services
from ..models import Campaign, Submission

router = Router()
REPORTS_READ, REPORTS_WRITE = "reporting:read", "reporting:write"
ASSETS_READ, ASSETS_WRITE = "assets:read", "assets:write"
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[404]}


def _refused(error: ValidationError) -> JsonResponse:
    """A refusal of the services: 409 for the deadline lock (and a closed report), 422 for the answers."""
    if hasattr(error, "error_dict"):
        fields = {k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()}
        first = next(iter(fields.values()))[0]
        return error_response(422, "invalid", first, fields)
    code = error.error_list[0].code or "invalid"
    message = str(error.messages[0])
    return error_response(409 if code == "locked" else 422, code, message, {"__all__": [message]})


# --- campaigns and submissions -------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    title: str
    kind: str
    owner: UnitRef
    opens_on: dt.date
    deadline: dt.date
    version: int = Field(description="Phiên bản biểu mẫu (đã khóa) mà đợt báo cáo dùng.")
    form_schema: dict[str, Any] = Field(description="Cấu trúc biểu mẫu: các phần và chỉ tiêu.")

    @staticmethod
    def resolve_version(obj: Campaign) -> int:
        return obj.version.number

    @staticmethod
    def resolve_form_schema(obj: Campaign) -> dict[str, Any]:
        return obj.version.schema


@router.get(
    "/reporting/campaigns",
    response={200: list[CampaignOut], **ERRORS},
    auth=auth_for(REPORTS_READ),
    tags=["reporting"],
    summary="Các đợt báo cáo",
)
@paginate(PageNumberPagination)
def campaign_list(request: HttpRequest) -> Any:
    return selectors.campaign_list(user=request.user).select_related("version")


class SubmissionOut(Schema):
    id: int
    campaign: int
    school: UnitRef
    status: str
    answers: dict[str, Any]
    submitted_at: dt.datetime | None
    late: bool
    extended_until: dt.date | None
    review_comment: str
    locked: str = Field(description="Lý do trường không sửa được lúc này; rỗng khi sửa được.")

    @staticmethod
    def resolve_campaign(obj: Submission) -> int:
        return obj.campaign_id

    @staticmethod
    def resolve_locked(obj: Submission) -> str:
        return services.submission_lock_reason(obj)


class SubmissionFilters(Schema):
    campaign: int | None = Field(None, ge=1, le=2**63 - 1)


@router.get(
    "/reporting/submissions",
    response={200: list[SubmissionOut], **ERRORS},
    auth=auth_for(REPORTS_READ),
    tags=["reporting"],
    summary="Báo cáo của các đơn vị",
)
@paginate(PageNumberPagination)
def submission_list(request: HttpRequest, filters: Query[SubmissionFilters]) -> Any:
    rows = selectors.submission_list(user=request.user).select_related("campaign")
    if filters.campaign is not None:
        rows = rows.filter(campaign_id=filters.campaign)
    return rows.order_by("pk")


def _submission(request: HttpRequest, submission_id: int, perm: str) -> Submission:
    return get_scoped_or_404(
        Submission.objects.select_related("campaign__version", "school"), request.user, perm, pk=submission_id
    )


@router.get(
    "/reporting/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    auth=auth_for(REPORTS_READ),
    tags=["reporting"],
    summary="Một báo cáo của đơn vị",
)
def submission_detail(request: HttpRequest, submission_id: Id) -> Submission:
    return _submission(request, submission_id, Perm.VIEW_REPORTS)


class SubmissionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(
        description="Câu trả lời theo mã chỉ tiêu; tệp đính kèm nộp qua giao diện."
    )
    submit: bool = Field(False, description="true: nộp (kiểm tra chỉ tiêu bắt buộc); false: lưu nháp.")


@router.put(
    "/reporting/submissions/{submission_id}",
    response={200: SubmissionOut, **WRITE_ERRORS},
    auth=auth_for(REPORTS_WRITE),
    tags=["reporting"],
    summary="Lưu nháp hoặc nộp báo cáo của trường",
)
def submission_put(request: HttpRequest, submission_id: Id, body: SubmissionIn) -> Any:
    submission = _submission(request, submission_id, Perm.SUBMIT_REPORTS)
    try:
        return services.submission_save(
            actor=request.user, submission=submission, answers=body.answers, submit=body.submit
        )
    except ValidationError as error:
        return _refused(error)


# --- the asset inventory ----------------------------------------------------------------------------------


class SiteCheckOut(Schema):
    checked_at: dt.datetime
    valid: bool
    days_to_expiry: int | None
    not_after: dt.datetime | None
    host_match: bool | None
    chain_ok: bool | None
    status_code: int | None
    response_ms: int | None
    error: str


class SiteOut(Schema):
    id: int
    school: UnitRef
    url: str
    is_official: bool = Field(description="Tên miền chính thức của ngành giáo dục (…edu.vn).")
    last_check: SiteCheckOut | None


class SchoolFilter(Schema):
    school: Code | None = Field(None, description="Mã trường để lọc.")


@router.get(
    "/assets/sites",
    response={200: list[SiteOut], **ERRORS},
    auth=auth_for(ASSETS_READ),
    tags=["assets"],
    summary="Các website của trường và lần kiểm tra gần nhất",
)
@paginate(PageNumberPagination)
def site_list(request: HttpRequest, filters: Query[SchoolFilter]) -> Any:
    rows = selectors.website_list(user=request.user)
    if filters.school:
        rows = rows.filter(school__code=filters.school)
    return rows.order_by("pk")


class SiteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    school: Code = Field(description="Mã trường.")
    url: str = Field(max_length=300, description="Địa chỉ website, ví dụ https://thcs-vanthan.edu.vn/.")


def _school_unit(request: HttpRequest, code: str, perm: str) -> Unit:
    return get_scoped_or_404(Unit.objects.all(), request.user, perm, code=code, kind=UnitKind.SCHOOL)


@router.post(
    "/assets/sites",
    response={201: SiteOut, **WRITE_ERRORS},
    auth=auth_for(ASSETS_WRITE),
    tags=["assets"],
    summary="Đăng ký một website của trường",
)
def site_create(request: HttpRequest, body: SiteIn) -> Any:
    school = _school_unit(request, body.school, Perm.CHANGE_ASSETS)
    try:
        site = services.website_add(actor=request.user, school=school, url=body.url)
    except ValidationError as error:
        duplicate = getattr(error, "error_dict", {}).get("url", [])
        if duplicate and duplicate[0].code == "duplicate":
            message = str(duplicate[0].messages[0])
            return error_response(409, "duplicate", message, {"url": [message]})
        return _refused(error)
    return Status(201, site)


class ComputerOut(Schema):
    id: int
    school: UnitRef
    kind: str
    specification: str
    year: int | None
    condition: str
    room: str
    quantity: int


@router.get(
    "/assets/computers",
    response={200: list[ComputerOut], **ERRORS},
    auth=auth_for(ASSETS_READ),
    tags=["assets"],
    summary="Máy tính của các trường",
)
@paginate(PageNumberPagination)
def computer_list(request: HttpRequest, filters: Query[SchoolFilter]) -> Any:
    rows = selectors.computer_list(user=request.user)
    if filters.school:
        rows = rows.filter(school__code=filters.school)
    return rows.order_by("pk")


class ComputerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    school: Code
    kind: str = Field(description="desktop, laptop, server, tablet", max_length=16)
    condition: str = Field(description="good, fair, broken", max_length=16)
    specification: str = Field("", max_length=255)
    year: int | None = Field(None, ge=1990, le=2100)
    room: str = Field("", max_length=64)
    quantity: int = Field(1, ge=1, le=10_000)


@router.post(
    "/assets/computers",
    response={201: ComputerOut, **WRITE_ERRORS},
    auth=auth_for(ASSETS_WRITE),
    tags=["assets"],
    summary="Thêm máy tính vào danh mục của trường",
)
def computer_create(request: HttpRequest, body: ComputerIn) -> Any:
    school = _school_unit(request, body.school, Perm.CHANGE_ASSETS)
    try:
        computer = services.computer_add(
            actor=request.user,
            school=school,
            today_year=dt.date.today().year + 1,
            **body.model_dump(exclude={"school"}),
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, computer)
