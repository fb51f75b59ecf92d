"""The incoming queue: list, one document (opening it is logged and marks it read), registration with the
arrival number, an outside document typed in, the leader's assignment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import User
from giaoducso.core.roles import Perm
from giaoducso.directory.api.common import Strict
from rules import documents as doc_rules

from .. import selectors, services
from ..models import InStatus
from .common import READ, WRITE, IncomingId, refusal, unit_for
from .documents import OfficeUnitOut

router = Router(tags=["office"])

DocType = Literal[tuple(doc_rules.DOC_TYPES)]  # type: ignore[valid-type]
StatusCode = Literal["pending", "registered", "read", "handling", "answered", "done", "cancelled"]


class OfficeIncomingOut(Schema):
    id: int
    unit: OfficeUnitOut
    document_id: int | None = Field(
        description="Văn bản đi trong hệ thống, nếu gửi từ một đơn vị trên nền tảng."
    )
    source: str
    sender_name: str
    notation: str
    doc_date: dt.date
    doc_type: str
    summary: str
    urgency: str
    urgent: bool
    status: str
    status_label: str
    received_at: dt.datetime
    arrival_number: int | None
    registered_at: dt.datetime | None
    deadline: dt.date | None
    lead_user: str | None
    overdue: bool


class OfficeIncomingPage(Schema):
    items: list[OfficeIncomingOut]
    next_before: int | None


class OfficeExternalIn(Strict):
    sender_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    sender_code: Annotated[str, StringConstraints(max_length=32)] = ""
    notation: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    doc_date: dt.date
    doc_type: DocType  # type: ignore[valid-type]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    urgency: Literal["thuong", "khan", "thuong_khan", "hoa_toc"] = "thuong"
    source: Literal["paper", "email"] = "paper"
    unit: Annotated[str, StringConstraints(max_length=32)] | None = None
    deadline: dt.date | None = None
    confirm_duplicate: bool = Field(False, description="Vẫn vào sổ dù trùng số, ký hiệu và cơ quan ban hành.")


class OfficeEnvelopeIn(Strict):
    envelope: Annotated[str, StringConstraints(min_length=1, max_length=30_000_000)] = Field(
        description="Gói tin edXML (QCVN 102:2016), nguyên văn XML."
    )
    unit: Annotated[str, StringConstraints(max_length=32)] | None = None
    confirm_duplicate: bool = False


class OfficeAssignIn(Strict):
    lead_user_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    supporter_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50
    )
    deadline: dt.date | None = None


def incoming_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "unit": {"code": row.unit.code, "name": row.unit.name},
        "document_id": row.document_id,
        "source": row.source,
        "sender_name": row.sender_name,
        "notation": row.notation,
        "doc_date": row.doc_date,
        "doc_type": row.doc_type,
        "summary": row.summary,
        "urgency": row.urgency,
        "urgent": row.is_urgent,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "received_at": row.received_at,
        "arrival_number": row.arrival_number,
        "registered_at": row.registered_at,
        "deadline": row.deadline,
        "lead_user": row.lead_user.get_full_name() if row.lead_user_id else None,
        "overdue": row.is_overdue,
    }


@router.get(
    "/office/incoming",
    response={200: OfficeIncomingPage, **ERRORS},
    auth=auth_for(READ),
    summary="Hàng đợi và sổ văn bản đến của đơn vị",
)
def office_incoming_list(
    request: HttpRequest,
    status: StatusCode | None = None,
    before: Annotated[int | None, Query(None, ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(50, ge=1, le=200)] = 50,
) -> dict[str, Any]:
    queryset = selectors.incoming_for(request.user)
    if status:
        queryset = queryset.filter(status=status)
    if before:
        queryset = queryset.filter(pk__lt=before)
    items = list(queryset.order_by("-pk")[:limit])
    return {
        "items": [incoming_out(i) for i in items],
        "next_before": items[-1].pk if len(items) == limit else None,
    }


@router.post(
    "/office/incoming",
    response={201: OfficeIncomingOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Vào sổ văn bản đến từ ngoài hệ thống (giấy, thư điện tử)",
)
def office_incoming_create(request: HttpRequest, payload: OfficeExternalIn) -> Any:
    unit = unit_for(request, Perm.OFFICE_CLERK, payload.unit)
    try:
        row = services.incoming_register_external(
            actor=request.user,
            unit=unit,
            sender_name=payload.sender_name,
            sender_code=payload.sender_code,
            notation=payload.notation,
            doc_date=payload.doc_date,
            doc_type=payload.doc_type,
            summary=payload.summary,
            urgency=payload.urgency,
            source=payload.source,
            deadline=payload.deadline,
            allow_duplicate=payload.confirm_duplicate,
        )
    except ValidationError as error:
        return refusal(error)
    return 201, incoming_out(row)


@router.post(
    "/office/incoming/edxml",
    response={201: OfficeIncomingOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Nhận gói tin edXML: vào sổ văn bản đến (gói tin thu hồi: hủy văn bản đã nhận)",
)
def office_incoming_edxml(request: HttpRequest, payload: OfficeEnvelopeIn) -> Any:
    from ..edxml import import_envelope

    unit = unit_for(request, Perm.OFFICE_CLERK, payload.unit)
    try:
        row = import_envelope(
            actor=request.user,
            unit=unit,
            content=payload.envelope.encode("utf-8"),
            allow_duplicate=payload.confirm_duplicate,
        )
    except ValidationError as error:
        return refusal(error)
    return 201, incoming_out(row)


@router.get(
    "/office/incoming/{incoming_id}",
    response={200: OfficeIncomingOut, **ERRORS},
    auth=auth_for(READ),
    summary="Một văn bản đến (mở văn bản được ghi nhật ký truy cập)",
)
def office_incoming_detail(request: HttpRequest, incoming_id: IncomingId) -> Any:
    row = selectors.incoming_or_404(request.user, incoming_id)
    row = services.incoming_opened(actor=request.user, incoming=row)
    return incoming_out(row)


@router.post(
    "/office/incoming/{incoming_id}/register",
    response={200: OfficeIncomingOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Vào sổ văn bản đến: cấp số đến, xác nhận đã nhận cho bên gửi",
)
def office_incoming_register(request: HttpRequest, incoming_id: IncomingId) -> Any:
    row = selectors.incoming_or_404(request.user, incoming_id)
    try:
        row = services.incoming_register(actor=request.user, incoming=row)
    except ValidationError as error:
        return refusal(error)
    return incoming_out(row)


@router.post(
    "/office/incoming/{incoming_id}/assign",
    response={200: OfficeIncomingOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Lãnh đạo giao xử lý: người chủ trì, người phối hợp, hạn xử lý",
)
def office_incoming_assign(request: HttpRequest, incoming_id: IncomingId, payload: OfficeAssignIn) -> Any:
    row = selectors.incoming_or_404(request.user, incoming_id)
    people = {u.pk: u for u in User.objects.filter(pk__in=[payload.lead_user_id, *payload.supporter_ids])}
    missing = [i for i in [payload.lead_user_id, *payload.supporter_ids] if i is not None and i not in people]
    if missing:
        from django.utils.translation import gettext as _

        return refusal(
            ValidationError(
                {"lead_user_id": [ValidationError(_("Không có người dùng này."), code="unknown_user")]}
            )
        )
    try:
        row = services.incoming_assign(
            actor=request.user,
            incoming=row,
            lead_user=people.get(payload.lead_user_id) if payload.lead_user_id else None,
            supporters=[people[i] for i in payload.supporter_ids],
            deadline=payload.deadline,
        )
    except ValidationError as error:
        return refusal(error)
    return incoming_out(row)


__all__ = ["InStatus"]
