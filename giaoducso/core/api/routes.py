"""Core routes: who am I, units, the audit log (read-only) and my background jobs."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .. import selectors
from ..models import AuditAction, AuditEntry, Job, Unit, UnitKind
from ..roles import ROLE_PERMISSIONS, Perm, Role
from ..scoping import get_scoped_or_404, memberships_for
from .auth import auth_for, token_of
from .pagination import PageNumberPagination
from .schemas import ErrorOut, UnitRef
from .types import Code, Day, SearchText

# 400: a request that cannot be read at all (NUL in the address, a body that is not JSON), on any route.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()

# --- me ------------------------------------------------------------------------------------------


class MembershipOut(Schema):
    unit: UnitRef
    role: str
    role_label: str
    title: str


class TokenOut(Schema):
    name: str
    prefix: str
    scopes: list[str]
    expires_at: dt.datetime | None


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str


class MeOut(Schema):
    user: UserOut
    auth: str = Field(description="“token” hoặc “session”.")
    token: TokenOut | None
    memberships: list[MembershipOut]
    permissions: list[str]


@router.get(
    "/me", response={200: MeOut, **ERRORS}, auth=auth_for(None), tags=["me"], summary="Tài khoản đang gọi API"
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    memberships = memberships_for(user)
    if getattr(user, "is_superuser", False):
        permissions = sorted(set().union(*ROLE_PERMISSIONS.values()))
    else:
        permissions = sorted(set().union(*(ROLE_PERMISSIONS.get(m.role, frozenset()) for m in memberships)))
    token = token_of(request)
    return {
        "user": user,
        "auth": "token" if token else "session",
        "token": token,
        "memberships": [
            {"unit": m.unit, "role": m.role, "role_label": str(Role(m.role).label), "title": m.title}
            for m in memberships
        ],
        "permissions": permissions,
    }


# --- units ---------------------------------------------------------------------------------------


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    depth: int
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitFilters(Schema):
    kind: UnitKind | None = None
    parent: Code | None = Field(None, description="Mã đơn vị cấp trên trực tiếp.")
    q: SearchText | None = Field(None, description="Tìm trong tên (hoặc đúng mã) đơn vị.")


@router.get("/units", response={200: list[UnitOut], **ERRORS}, auth=auth_for("units:read"), tags=["units"])
@paginate(PageNumberPagination)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    units = selectors.unit_list(user=request.user, kind=filters.kind or "", q=filters.q or "")
    if filters.parent:
        units = units.filter(parent__code=filters.parent)
    return units


@router.get("/units/{code}", response={200: UnitOut, **ERRORS}, auth=auth_for("units:read"), tags=["units"])
def unit_detail(request: HttpRequest, code: Code) -> Unit:
    return get_scoped_or_404(Unit.objects.select_related("parent"), request.user, Perm.VIEW_UNIT, code=code)


# --- audit (read-only: the log is append-only, and the API has no way to write it) ---------------


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    unit_code: str | None
    changes: Any
    note: str
    ip_address: str | None
    request_id: str

    @staticmethod
    def resolve_unit_code(obj: AuditEntry) -> str | None:
        return obj.unit.code if obj.unit_id and obj.unit else None


class AuditFilters(Schema):
    action: AuditAction | None = None
    object_type: SearchText | None = Field(None, description="Ví dụ: directory.student")
    date_from: Day | None = Field(None, description="YYYY-MM-DD")
    date_to: Day | None = Field(None, description="YYYY-MM-DD")


@router.get("/audit", response={200: list[AuditOut], **ERRORS}, auth=auth_for("audit:read"), tags=["audit"])
@paginate(PageNumberPagination)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return selectors.audit_list(
        user=request.user,
        action=filters.action or "",
        object_type=filters.object_type or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
    ).select_related("unit")


# --- jobs ----------------------------------------------------------------------------------------


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    status_label: str
    progress: int
    message: str
    result: Any
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Job) -> str:
        return str(obj.get_status_display())


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, auth=auth_for("jobs:read"), tags=["jobs"])
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> Job:
    return selectors.job_get(user=request.user, pk=job_id)
