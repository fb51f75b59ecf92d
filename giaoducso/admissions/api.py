"""The admissions' JSON API for the department's systems: campaigns (read, create, change), a campaign's
applications (scoped: a school's system sees its own), results and statistics. Token scopes
`admissions:read` / `admissions:write`; every write goes through the services, audited like the screens."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from giaoducso.core import audit
from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import Code, Day, Id, SchoolYearName, text
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404
from giaoducso.directory.api.common import Strict, patch_fields

from . import selectors, services
from .models import Application, Campaign

READ = "admissions:read"
WRITE = "admissions:write"
router = Router(tags=["admissions"])


class AdmissionGroup(Schema):
    label: str = Field(..., min_length=1, max_length=200)
    rule: Literal["in_area", "in_area_completed", "local_priority", "any"]


class AdmissionSchoolOut(Schema):
    school: UnitRef
    seats: int
    wards: list[str]


class AdmissionCampaignOut(Schema):
    id: int
    unit: UnitRef
    name: str
    school_year: str
    entry_grade: int
    kind: str
    general_campaign_id: int | None
    area_rule: str
    residence_only: bool
    choices_allowed: int
    groups: list[AdmissionGroup]
    review_end: dt.date
    apply_start: dt.date
    apply_end: dt.date
    verify_end: dt.date
    publish_date: dt.date
    confirm_deadline: dt.date
    unconfirmed_policy: str
    state: str
    seed: str
    schools: list[AdmissionSchoolOut]

    @staticmethod
    def resolve_schools(obj: Campaign) -> list[Any]:
        return list(obj.schools.select_related("school"))

    @staticmethod
    def resolve_groups(obj: Campaign) -> list[dict[str, str]]:
        return [{"label": g["label"], "rule": g["rule"]} for g in obj.groups]


@router.get(
    "/admissions/campaigns",
    response={200: list[AdmissionCampaignOut], **ERRORS},
    auth=auth_for(READ),
    summary="Danh sách kì tuyển sinh",
)
@paginate(PageNumberPagination)
def campaign_list(request: HttpRequest) -> Any:
    return selectors.campaign_list(user=request.user).order_by("-apply_start", "pk")


@router.get(
    "/admissions/campaigns/{campaign_id}",
    response={200: AdmissionCampaignOut, **ERRORS},
    auth=auth_for(READ),
    summary="Một kì tuyển sinh",
)
def campaign_detail(request: HttpRequest, campaign_id: Id) -> Campaign:
    return selectors.campaign_get(user=request.user, pk=campaign_id)


class AdmissionCampaignIn(Strict):
    unit: Code
    name: text(200, blank=False)  # type: ignore[valid-type]
    school_year: SchoolYearName
    entry_grade: Literal[0, 1, 6]
    kind: Literal["general", "special"] = "general"
    general_campaign_id: int | None = Field(None, ge=1, le=2**63 - 1)
    area_rule: Literal["ward", "distance"]
    radius_km: float | None = Field(None, ge=0.1, le=100)
    residence_only: bool = False
    choices_allowed: int = Field(3, ge=1, le=10)
    groups: list[AdmissionGroup] = Field(..., min_length=1, max_length=6)
    review_end: Day
    apply_start: Day
    apply_end: Day
    verify_end: Day
    publish_date: Day
    confirm_deadline: Day
    unconfirmed_policy: Literal["release", "keep"] = "release"


def _general(request: HttpRequest, pk: int | None) -> Campaign | None:
    if pk is None:
        return None
    return selectors.campaign_get(user=request.user, pk=pk)


@router.post(
    "/admissions/campaigns",
    response={201: AdmissionCampaignOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Tạo kì tuyển sinh",
)
def campaign_create(request: HttpRequest, body: AdmissionCampaignIn) -> Status[Campaign]:
    data = body.model_dump()
    unit = get_scoped_or_404(
        Unit.objects.exclude(kind=UnitKind.SCHOOL),
        request.user,
        Perm.MANAGE_ADMISSIONS,
        code=data.pop("unit"),
    )
    data["general_campaign"] = _general(request, data.pop("general_campaign_id"))
    campaign = services.campaign_create(actor=request.user, unit=unit, **data)
    return Status(201, campaign)


class AdmissionCampaignPatch(Strict):
    name: text(200, blank=False) = None  # type: ignore[valid-type]
    choices_allowed: int = Field(None, ge=1, le=10)
    groups: list[AdmissionGroup] = Field(None, min_length=1, max_length=6)
    review_end: Day = None
    apply_start: Day = None
    apply_end: Day = None
    verify_end: Day = None
    publish_date: Day = None
    confirm_deadline: Day = None
    unconfirmed_policy: Literal["release", "keep"] = None


@router.patch(
    "/admissions/campaigns/{campaign_id}",
    response={200: AdmissionCampaignOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Sửa kì tuyển sinh",
)
def campaign_patch(request: HttpRequest, campaign_id: Id, body: AdmissionCampaignPatch) -> Campaign:
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id, perm=Perm.MANAGE_ADMISSIONS)
    fields = patch_fields(body)
    if not fields:
        raise ValidationError(_("Không có trường nào để sửa."))
    return services.campaign_update(actor=request.user, campaign=campaign, **fields)


class AdmissionApplicationOut(Schema):
    code: str
    full_name: str
    date_of_birth: str
    school: UnitRef
    status: str
    assigned_school: UnitRef | None
    assigned_rank: int | None
    confirm_by: str | None
    choices: list[str]

    @staticmethod
    def resolve_date_of_birth(obj: Application) -> str:
        return obj.date_of_birth.isoformat()

    @staticmethod
    def resolve_confirm_by(obj: Application) -> str | None:
        return obj.confirm_by.isoformat() if obj.confirm_by else None

    @staticmethod
    def resolve_choices(obj: Application) -> list[str]:
        return [c.school.code for c in obj.choices.all()]


@router.get(
    "/admissions/campaigns/{campaign_id}/applications",
    response={200: list[AdmissionApplicationOut], **ERRORS},
    auth=auth_for(READ),
    summary="Hồ sơ và kết quả của một kì tuyển sinh",
)
@paginate(PageNumberPagination)
def application_list(request: HttpRequest, campaign_id: Id) -> Any:
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    applications = (
        selectors.application_list(user=request.user, campaign=campaign)
        .prefetch_related("choices__school")
        .order_by("code")
    )
    # Children's names and dates of birth leave through this route: every read is a line in the log.
    audit.record_export(
        actor=request.user,
        what="admissions.applications",
        unit=campaign.unit,
        rows=applications.count(),
        fmt="json",
    )
    return applications


class AdmissionStatisticsOut(Schema):
    applicants: int
    seats: int
    assigned: int
    unassigned: int
    by_rank: dict[str, int]
    by_status: dict[str, int]


@router.get(
    "/admissions/campaigns/{campaign_id}/statistics",
    response={200: AdmissionStatisticsOut, **ERRORS},
    auth=auth_for(READ),
    summary="Thống kê tuyển sinh",
)
def campaign_statistics(request: HttpRequest, campaign_id: Id) -> dict[str, Any]:
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    stats = selectors.statistics(campaign)
    return {k: stats[k] for k in ("applicants", "seats", "assigned", "unassigned", "by_rank")} | {
        "by_status": {str(k): v for k, v in stats["by_status"].items()}
    }
