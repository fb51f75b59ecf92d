"""Outgoing documents: draft, submit, approve, issue, recall; the PDF; search; per-recipient tracking."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import AuditAction
from giaoducso.core.roles import Perm
from giaoducso.directory.api.common import Strict
from rules import documents as doc_rules

from .. import selectors, services
from ..models import DocStatus, Document, Urgency
from ..pdf import document_pdf_response
from .common import READ, WRITE, DocumentId, refusal, unit_for

router = Router(tags=["office"])

Text = Annotated[str, StringConstraints(max_length=500)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=32)]
DocType = Literal[tuple(doc_rules.DOC_TYPES)]  # type: ignore[valid-type]
UrgencyCode = Literal["thuong", "khan", "thuong_khan", "hoa_toc"]


class OfficeUnitOut(Schema):
    code: str
    name: str


class OfficeDeliveryOut(Schema):
    unit: OfficeUnitOut
    status: str = Field(description="pending, registered, read, handling, answered, done, cancelled.")
    status_label: str
    arrival_number: int | None
    received_at: dt.datetime
    registered_at: dt.datetime | None
    read_at: dt.datetime | None
    answered_at: dt.datetime | None


class OfficeDocumentOut(Schema):
    id: int
    issuer: OfficeUnitOut
    doc_type: str
    type_name: str
    summary: str
    urgency: str
    status: str
    status_label: str
    number: int | None
    notation: str
    issued_at: dt.datetime | None
    signer_name: str
    recipients: list[OfficeUnitOut]
    replaces_id: int | None
    answers_incoming_id: int | None


class OfficeDocumentDetailOut(OfficeDocumentOut):
    body: str = Field(description="Nội dung (HTML đơn giản đã làm sạch).")
    deliveries: list[OfficeDeliveryOut] = Field(description="Tình trạng ở từng nơi nhận (chỉ bên gửi thấy).")


class OfficeDocumentIn(Strict):
    doc_type: DocType = Field(description="Loại văn bản theo Phụ lục III Nghị định 30: KH, QĐ, CV, …")  # type: ignore[valid-type]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    body: Annotated[str, StringConstraints(max_length=200_000)] = ""
    recipients: list[Code] = Field(max_length=5000, description="Mã các đơn vị nhận.")
    urgency: UrgencyCode = "thuong"
    issuer: Code | None = Field(None, description="Mã đơn vị ban hành (mặc định: đơn vị của bạn).")
    due_date: dt.date | None = None
    is_secret: bool = False
    board: Annotated[str, StringConstraints(max_length=64)] = ""
    drafting_abbr: Annotated[str, StringConstraints(max_length=32)] = ""


class OfficeApproveIn(Strict):
    signer_title: Annotated[str, StringConstraints(max_length=128)] = ""
    signer_authority: Annotated[str, StringConstraints(max_length=64)] = ""


class OfficeReasonIn(Strict):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class OfficeSearchOut(Schema):
    items: list[OfficeDocumentOut]
    next_before: int | None = Field(description="Truyền vào `before` để lấy trang sau; null khi hết.")


def _unit(unit: Any) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


def document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "issuer": _unit(document.issuer),
        "doc_type": document.doc_type,
        "type_name": document.type_name,
        "summary": document.summary,
        "urgency": document.urgency,
        "status": document.status,
        "status_label": str(document.get_status_display()),
        "number": document.number,
        "notation": document.notation,
        "issued_at": document.issued_at,
        "signer_name": document.signer_name,
        "recipients": [_unit(u) for u in document.recipients.all()],
        "replaces_id": document.replaces_id,
        "answers_incoming_id": document.answers_id,
    }


def _detail(request: HttpRequest, document: Document) -> dict[str, Any]:
    data = document_out(document)
    data["body"] = document.body
    deliveries = []
    if selectors.is_issuer_side(request.user, document):
        for row in selectors.deliveries_of(document):
            deliveries.append(
                {
                    "unit": _unit(row.unit),
                    "status": row.status,
                    "status_label": str(row.get_status_display()),
                    "arrival_number": row.arrival_number,
                    "received_at": row.received_at,
                    "registered_at": row.registered_at,
                    "read_at": row.read_at,
                    "answered_at": row.answered_at,
                }
            )
    data["deliveries"] = deliveries
    return data


@router.get(
    "/office/documents",
    response={200: OfficeSearchOut, **ERRORS},
    auth=auth_for(READ),
    summary="Tìm văn bản (toàn văn, không phân biệt dấu) hoặc liệt kê văn bản mới nhất",
)
def office_document_list(
    request: HttpRequest,
    q: Annotated[str, StringConstraints(max_length=200)] = "",
    before: Annotated[int | None, Query(None, ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(50, ge=1, le=200)] = 50,
) -> dict[str, Any]:
    if q.strip():
        items = selectors.search(request.user, q, before_id=before, limit=limit)
    else:
        queryset = selectors.documents_for(request.user)
        if before:
            queryset = queryset.filter(pk__lt=before)
        items = list(queryset.order_by("-pk")[:limit])
    next_before = items[-1].pk if len(items) == limit else None
    return {"items": [document_out(d) for d in items], "next_before": next_before}


@router.post(
    "/office/documents",
    response={201: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Soạn dự thảo văn bản đi",
)
def office_document_create(request: HttpRequest, payload: OfficeDocumentIn) -> Any:
    issuer = unit_for(request, Perm.OFFICE_DRAFT, payload.issuer)
    fields = payload.dict(exclude={"issuer", "recipients"})
    try:
        document = services.document_create(
            actor=request.user, issuer=issuer, recipients=payload.recipients, **fields
        )
    except ValidationError as error:
        return refusal(error)
    return 201, _detail(request, document)


@router.get(
    "/office/documents/{document_id}",
    response={200: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(READ),
    summary="Một văn bản và tình trạng ở từng nơi nhận",
)
def office_document_detail(request: HttpRequest, document_id: DocumentId) -> Any:
    from giaoducso.core import audit

    document = selectors.document_or_404(request.user, document_id)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=document, note="mở văn bản (API)")
    return _detail(request, document)


def _act(request: HttpRequest, document_id: int, action: Any, **kwargs: Any) -> Any:
    document = selectors.document_or_404(request.user, document_id)
    try:
        document = action(actor=request.user, document=document, **kwargs)
    except ValidationError as error:
        return refusal(error)
    return _detail(request, document)


@router.post(
    "/office/documents/{document_id}/submit",
    response={200: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Trình duyệt dự thảo",
)
def office_document_submit(request: HttpRequest, document_id: DocumentId) -> Any:
    return _act(request, document_id, services.document_submit)


@router.post(
    "/office/documents/{document_id}/approve",
    response={200: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Lãnh đạo duyệt văn bản",
)
def office_document_approve(
    request: HttpRequest, document_id: DocumentId, payload: OfficeApproveIn | None = None
) -> Any:
    extra = payload.dict() if payload is not None else {}
    return _act(request, document_id, services.document_approve, **extra)


@router.post(
    "/office/documents/{document_id}/issue",
    response={200: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Phát hành: hệ thống cấp số, ký hiệu, ký số của cơ quan, vào sổ và gửi",
)
def office_document_issue(request: HttpRequest, document_id: DocumentId) -> Any:
    return _act(request, document_id, services.document_issue)


@router.post(
    "/office/documents/{document_id}/recall",
    response={200: OfficeDocumentDetailOut, **ERRORS},
    auth=auth_for(WRITE),
    summary="Thu hồi văn bản đã phát hành",
)
def office_document_recall(request: HttpRequest, document_id: DocumentId, payload: OfficeReasonIn) -> Any:
    return _act(request, document_id, services.document_recall, reason=payload.reason)


@router.get(
    "/office/documents/{document_id}/pdf",
    response={200: None, **ERRORS},
    auth=auth_for(READ),
    summary="Bản PDF theo thể thức Nghị định 30",
)
def office_document_pdf(request: HttpRequest, document_id: DocumentId) -> HttpResponse:
    document = selectors.document_or_404(request.user, document_id)
    return document_pdf_response(request.user, document)


@router.get(
    "/office/documents/{document_id}/edxml",
    response={200: None, **ERRORS},
    auth=auth_for(READ),
    summary="Gói tin edXML (QCVN 102:2016) của văn bản đã phát hành",
)
def office_document_edxml(request: HttpRequest, document_id: DocumentId) -> HttpResponse:
    from giaoducso.core import audit

    from ..edxml import export_document

    document = selectors.document_or_404(request.user, document_id)
    try:
        content = export_document(document)
    except ValidationError as error:
        return refusal(error)
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=document, note="gói tin edXML")
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    name = document.notation.replace("/", "-").encode("ascii", "ignore").decode() or "van-ban"
    response["Content-Disposition"] = f'attachment; filename="{name}.edxml"'
    return response


__all__ = ["DocStatus", "Urgency"]
