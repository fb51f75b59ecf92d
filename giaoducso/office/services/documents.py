"""Outgoing documents: draft → review → approval by the authorised leader → issue (number, notation,
the organisation's signature, the outgoing register, distribution) → recall or replacement.

Every write is keyword-only, checks who may do it on the issuing unit, refuses in Vietnamese (with a
machine-readable code) before changing anything, and is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit, notifications
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit
from giaoducso.core.roles import Perm
from giaoducso.core.services import moved_path
from giaoducso.core.uploads import DOCUMENT_KINDS, check_upload
from rules import documents as doc_rules

from ..models import Attachment, DocStatus, Document, Incoming, InStatus, Source, Urgency
from .common import (
    CLERKS_AND_LEADERS,
    allowed_recipients,
    clean_body,
    folded,
    office_people,
    plain_text,
    refuse,
    require,
    settings_for,
)
from .numbering import take_number

MAX_ATTACHMENT_BYTES = 20 << 20
ATTACHMENT_KINDS = DOCUMENT_KINDS | {"png", "jpeg"}
EDITABLE = (DocStatus.DRAFT, DocStatus.REVIEW)


def _search_text(document: Document) -> str:
    return folded(
        document.notation,
        document.type_name,
        document.summary,
        document.issuer.name,
        document.signer_name,
        plain_text(document.body),
    )


def resolve_recipients(issuer: Unit, codes: Iterable[str]) -> list[Unit]:
    """The units named by code, each one a unit this issuer may send to; refuses unknown ones by name."""
    wanted = [str(c).strip() for c in codes if str(c).strip()]
    if not wanted:
        raise refuse(_("Văn bản cần có ít nhất một nơi nhận."), "no_recipients", "recipients")
    found = {u.code: u for u in allowed_recipients(issuer).filter(code__in=wanted)}
    unknown = [c for c in dict.fromkeys(wanted) if c not in found]
    if unknown:
        raise refuse(
            _("Không gửi được tới các mã đơn vị: %(codes)s (không có hoặc ngoài phạm vi được gửi).")
            % {"codes": ", ".join(unknown[:10])},
            "unknown_recipient",
            "recipients",
        )
    return [found[c] for c in dict.fromkeys(wanted)]


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    doc_type = str(fields.get("doc_type") or "").strip()
    if doc_type not in doc_rules.DOC_TYPES:
        raise refuse(
            _("Loại văn bản «%(value)s» không có trong danh mục của Nghị định 30.")
            % {"value": doc_type[:20]},
            "bad_type",
            "doc_type",
        )
    summary = " ".join(str(fields.get("summary") or "").split())
    if not summary:
        raise refuse(_("Văn bản cần có trích yếu."), "no_summary", "summary")
    if len(summary) > 500:
        raise refuse(_("Trích yếu dài quá 500 ký tự."), "too_long", "summary")
    urgency = str(fields.get("urgency") or Urgency.NORMAL)
    if urgency not in Urgency.values:
        raise refuse(_("Độ khẩn phải là Thường, Khẩn, Thượng khẩn hoặc Hỏa tốc."), "bad_urgency", "urgency")
    due = fields.get("due_date")
    if due is not None and not isinstance(due, dt.date):
        raise refuse(_("Hạn trả lời không phải là một ngày."), "bad_date", "due_date")
    return {
        "doc_type": doc_type,
        "summary": summary,
        "body": clean_body(str(fields.get("body") or "")),
        "urgency": urgency,
        "is_secret": bool(fields.get("is_secret")),
        "board": str(fields.get("board") or "").strip()[:64],
        "drafting_abbr": str(fields.get("drafting_abbr") or "").strip()[:32],
        "other_recipients": str(fields.get("other_recipients") or "").strip()[:2000],
        "due_date": due,
    }


@transaction.atomic
def document_create(
    *,
    actor: Actor,
    issuer: Unit,
    recipients: Iterable[str],
    answers: Incoming | None = None,
    **fields: Any,
) -> Document:
    """A draft of `issuer`; `recipients` are unit codes. Refused whole when any field is wrong."""
    require(actor, Perm.OFFICE_DRAFT, issuer, _("Bạn không được soạn văn bản của đơn vị này."))
    values = _clean_fields(fields)
    units = resolve_recipients(issuer, recipients)
    if answers is not None and answers.unit_id != issuer.pk:
        raise refuse(_("Chỉ trả lời được văn bản đến của chính đơn vị."), "bad_answer", "answers")
    document = Document(
        issuer=issuer,
        issuer_path=issuer.path,
        drafted_by=actor if getattr(actor, "is_authenticated", False) else None,
        answers=answers,
        **values,
    )
    document.search_text = _search_text(document)
    document.save()
    document.recipients.set(units)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=document,
        changes={"summary": [None, document.summary], "recipients": [None, [u.code for u in units]]},
        note="dự thảo văn bản",
    )
    return document


def _editable(document: Document) -> None:
    if document.status not in EDITABLE:
        raise refuse(
            _("Văn bản đã %(status)s: không sửa được nữa.")
            % {"status": document.get_status_display().lower()},
            "not_editable",
        )


@transaction.atomic
def document_update(
    *, actor: Actor, document: Document, recipients: Iterable[str] | None = None, **fields: Any
) -> Document:
    require(actor, Perm.OFFICE_DRAFT, document.issuer, _("Bạn không được sửa văn bản của đơn vị này."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    _editable(document)
    before = audit.snapshot(document, ["doc_type", "summary", "urgency", "due_date", "is_secret", "board"])
    current = {f: getattr(document, f) for f in ("doc_type", "summary", "body", "urgency", "is_secret")}
    current.update(
        board=document.board,
        drafting_abbr=document.drafting_abbr,
        other_recipients=document.other_recipients,
        due_date=document.due_date,
    )
    values = _clean_fields({**current, **fields})
    units = resolve_recipients(document.issuer, recipients) if recipients is not None else None
    for key, value in values.items():
        setattr(document, key, value)
    document.search_text = _search_text(document)
    document.save()
    if units is not None:
        document.recipients.set(units)
    audit.record_update(actor=actor, obj=document, before=before, note="sửa dự thảo")
    return document


@transaction.atomic
def document_submit(*, actor: Actor, document: Document) -> Document:
    """The drafter sends the draft for review and approval."""
    require(actor, Perm.OFFICE_DRAFT, document.issuer, _("Bạn không được trình văn bản của đơn vị này."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocStatus.DRAFT:
        raise refuse(_("Chỉ trình duyệt được văn bản đang là dự thảo."), "not_draft")
    document.status = DocStatus.REVIEW
    document.submitted_at = timezone.now()
    document.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=document, changes={"status": ["draft", "review"]}
    )
    leaders = office_people([document.issuer], [Perm.OFFICE_APPROVE])
    notifications.notify(
        recipients=leaders,
        kind="office_review",
        title=_("Văn bản chờ duyệt: %(summary)s") % {"summary": document.summary[:150]},
        url=f"/office/documents/{document.pk}/",
        unit=document.issuer,
    )
    return document


@transaction.atomic
def document_return(*, actor: Actor, document: Document, reason: str) -> Document:
    """The leader sends a draft back to its drafter with a reason."""
    require(actor, Perm.OFFICE_APPROVE, document.issuer, _("Chỉ lãnh đạo được trả lại dự thảo."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in (DocStatus.REVIEW, DocStatus.APPROVED):
        raise refuse(_("Chỉ trả lại được văn bản đang chờ duyệt hoặc chờ phát hành."), "not_in_review")
    reason = " ".join(str(reason or "").split())[:500]
    if not reason:
        raise refuse(_("Hãy ghi lí do trả lại."), "no_reason", "reason")
    old = document.status
    document.status = DocStatus.DRAFT
    document.approved_by, document.approved_at = None, None
    document.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=document, changes={"status": [old, "draft"]}, note=reason
    )
    if document.drafted_by is not None:
        notifications.notify(
            recipients=[document.drafted_by],
            kind="office_review",
            title=_("Dự thảo bị trả lại: %(summary)s") % {"summary": document.summary[:150]},
            body=reason,
            url=f"/office/documents/{document.pk}/",
            unit=document.issuer,
        )
    return document


@transaction.atomic
def document_approve(
    *, actor: Actor, document: Document, signer_title: str = "", signer_authority: str = ""
) -> Document:
    """The authorised leader approves (and will sign) a draft: it waits for the văn thư to issue it."""
    require(actor, Perm.OFFICE_APPROVE, document.issuer, _("Chỉ lãnh đạo có thẩm quyền được duyệt văn bản."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in EDITABLE:
        raise refuse(
            _("Văn bản đã %(status)s: không duyệt lại được.")
            % {"status": document.get_status_display().lower()},
            "not_approvable",
        )
    if not document.recipients.exists():
        raise refuse(_("Văn bản cần có ít nhất một nơi nhận."), "no_recipients", "recipients")
    old = document.status
    document.status = DocStatus.APPROVED
    document.approved_by = actor  # type: ignore[assignment]
    document.approved_at = timezone.now()
    document.signer_name = getattr(actor, "full_name", "") or str(actor)
    document.signer_title = (signer_title or document.signer_title or _title_of(actor, document.issuer))[:128]
    document.signer_authority = (signer_authority or "").strip()[:64]
    document.search_text = _search_text(document)
    document.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=document,
        changes={"status": [old, "approved"]},
        note="duyệt",
    )
    clerks = office_people([document.issuer], [Perm.OFFICE_CLERK])
    notifications.notify(
        recipients=clerks,
        kind="office_review",
        title=_("Văn bản đã duyệt, chờ phát hành: %(summary)s") % {"summary": document.summary[:150]},
        url=f"/office/documents/{document.pk}/",
        unit=document.issuer,
    )
    return document


def _title_of(actor: Actor, unit: Unit) -> str:
    membership = getattr(actor, "memberships", None)
    if membership is None:
        return ""
    found = membership.filter(unit=unit, is_active=True).exclude(title="").first()
    if found is not None:
        return str(found.title)
    role = membership.filter(unit=unit, is_active=True).first()
    return str(role.get_role_display()) if role else ""


def signature_of(document: Document) -> str:
    """The fingerprint the organisation's signature covers: the issued text and its number."""
    payload = "\n".join(
        [
            document.notation,
            document.issued_at.isoformat() if document.issued_at else "",
            document.summary,
            document.body,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def document_issue(*, actor: Actor, document: Document, now: dt.datetime | None = None) -> Document:
    """Numbers, signs with the organisation's signature, registers and sends an approved document.

    The number is taken from the series' counter locked in this same transaction (services.numbering)."""
    require(actor, Perm.OFFICE_CLERK, document.issuer, _("Chỉ văn thư của đơn vị được phát hành văn bản."))
    document = Document.objects.select_for_update().select_related("issuer").get(pk=document.pk)
    if document.status == DocStatus.ISSUED:
        raise refuse(
            _("Văn bản đã được phát hành với số %(notation)s.") % {"notation": document.notation},
            "already_issued",
        )
    if document.status != DocStatus.APPROVED:
        raise refuse(_("Văn bản chưa được lãnh đạo duyệt: chưa phát hành được."), "not_approved")
    recipients = list(document.recipients.all())
    if not recipients:
        raise refuse(_("Văn bản cần có ít nhất một nơi nhận."), "no_recipients", "recipients")
    now = now or timezone.now()
    office = settings_for(document.issuer)
    year = timezone.localtime(now).year
    series = doc_rules.series_key(
        scheme=office.numbering_scheme,
        doc_type=document.doc_type,
        secret=document.is_secret,
        board=document.board,
    )
    number = take_number(unit=document.issuer, year=year, series=series)
    document.year, document.series, document.number = year, series, number
    document.notation = doc_rules.notation(
        number=number,
        doc_type=document.doc_type,
        issuer_abbr=office.abbreviation,
        drafting_abbr=document.drafting_abbr,
    )
    document.issued_at = now
    document.issued_by = actor  # type: ignore[assignment]
    document.status = DocStatus.ISSUED
    document.org_signed_at = now
    document.org_signature = signature_of(document)
    document.search_text = _search_text(document)
    document.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=document,
        changes={"status": ["approved", "issued"], "notation": [None, document.notation]},
        note="phát hành",
    )
    _distribute(document, recipients, now)
    if document.replaces_id:
        Document.objects.filter(pk=document.replaces_id).update(status=DocStatus.SUPERSEDED)
    if document.answers_id:
        Incoming.objects.filter(pk=document.answers_id).exclude(status=InStatus.CANCELLED).update(
            status=InStatus.ANSWERED, answered_at=now
        )
    return document


def _distribute(document: Document, recipients: list[Unit], now: dt.datetime) -> None:
    """One incoming row per recipient unit (its queue), and word to its văn thư and leaders: at once for an
    urgent document, in the next digest otherwise."""
    doc_date = timezone.localtime(now).date()
    rows = [
        Incoming(
            unit=unit,
            document=document,
            source=Source.INTERNAL,
            sender_name=document.issuer.name,
            sender_code=document.issuer.code,
            notation=document.notation,
            doc_date=doc_date,
            doc_type=document.doc_type,
            summary=document.summary,
            urgency=document.urgency,
            received_at=now,
            search_text=document.search_text,
        )
        for unit in recipients
    ]
    Incoming.objects.bulk_create(rows)
    if document.is_urgent:
        label = document.get_urgency_display().upper()
        for row in Incoming.objects.filter(document=document).select_related("unit"):
            notifications.notify(
                recipients=office_people([row.unit], CLERKS_AND_LEADERS),
                kind="office_urgent",
                title=f"[{label}] {document.notation}: {document.summary[:150]}",
                url=f"/office/incoming/{row.pk}/",
                unit=row.unit,
            )


@transaction.atomic
def document_recall(*, actor: Actor, document: Document, reason: str) -> Document:
    """Recalls an issued document: every recipient's copy is cancelled and the sender told of it."""
    require(actor, Perm.OFFICE_CLERK, document.issuer, _("Chỉ văn thư của đơn vị được thu hồi văn bản."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocStatus.ISSUED:
        raise refuse(_("Chỉ thu hồi được văn bản đã phát hành."), "not_issued")
    reason = " ".join(str(reason or "").split())[:500]
    if not reason:
        raise refuse(_("Hãy ghi lí do thu hồi."), "no_reason", "reason")
    now = timezone.now()
    document.status = DocStatus.RECALLED
    document.recalled_at, document.recall_reason = now, reason
    document.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
    copies = list(
        Incoming.objects.filter(document=document).exclude(status=InStatus.CANCELLED).select_related("unit")
    )
    Incoming.objects.filter(pk__in=[c.pk for c in copies]).update(status=InStatus.CANCELLED, cancelled_at=now)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=document,
        changes={"status": ["issued", "recalled"], "cancelled_copies": len(copies)},
        note=reason,
    )
    for copy in copies:
        notifications.notify(
            recipients=office_people([copy.unit], CLERKS_AND_LEADERS),
            kind="office_urgent",
            title=_("Văn bản %(notation)s đã bị thu hồi và được hủy") % {"notation": document.notation},
            body=reason,
            url=f"/office/incoming/{copy.pk}/",
            unit=copy.unit,
        )
    notifications.notify(
        recipients=office_people([document.issuer], CLERKS_AND_LEADERS),
        kind="office_review",
        title=_("%(count)s đơn vị nhận đã hủy văn bản thu hồi %(notation)s")
        % {"count": len(copies), "notation": document.notation},
        url=f"/office/documents/{document.pk}/",
        unit=document.issuer,
    )
    return document


@transaction.atomic
def document_follow_up(*, actor: Actor, document: Document, kind: str) -> Document:
    """A new draft that corrects an issued one: a replacement of the same form (content error) or a
    correcting công văn (format error). The original is superseded when the replacement is issued."""
    require(actor, Perm.OFFICE_DRAFT, document.issuer, _("Bạn không được soạn văn bản của đơn vị này."))
    if document.status != DocStatus.ISSUED:
        raise refuse(_("Chỉ thay thế hoặc đính chính được văn bản đã phát hành."), "not_issued")
    codes = list(document.recipients.values_list("code", flat=True))
    if kind == "replace":
        return _follow(actor, document, codes, replaces=document)
    if kind == "correct":
        return _follow(actor, document, codes, corrects=document)
    raise refuse(_("Chỉ có thể thay thế hoặc đính chính."), "bad_kind")


def _follow(actor: Actor, original: Document, codes: list[str], **link: Document) -> Document:
    if "replaces" in link:
        fields = {"doc_type": original.doc_type, "summary": original.summary, "body": original.body}
    else:
        fields = {
            "doc_type": "CV",
            "summary": _("Đính chính văn bản số %(notation)s") % {"notation": original.notation},
            "body": "",
        }
    created = document_create(
        actor=actor, issuer=original.issuer, recipients=codes, urgency=original.urgency, **fields
    )
    for key, value in link.items():
        setattr(created, key, value)
    created.save(update_fields=list(link))
    return created


@transaction.atomic
def attachment_add(
    *, actor: Actor, upload: UploadedFile, document: Document | None = None, incoming: Incoming | None = None
) -> Attachment:
    """A file checked by its content (core.uploads), kept with its SHA-256 and size."""
    if document is not None:
        require(actor, Perm.OFFICE_DRAFT, document.issuer, _("Bạn không được sửa văn bản của đơn vị này."))
        if document.status not in EDITABLE:
            raise refuse(_("Văn bản đã duyệt hoặc phát hành: không thêm tệp được nữa."), "not_editable")
    elif incoming is not None:
        require(actor, Perm.OFFICE_CLERK, incoming.unit, _("Chỉ văn thư được thêm tệp cho văn bản đến."))
    else:
        raise ValueError("an attachment belongs to a document or an incoming one")
    checked = check_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES)
    attachment = Attachment.from_checked(
        checked,
        upload,
        document=document,
        incoming=incoming,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=attachment,
        unit=document.issuer if document else incoming.unit,  # type: ignore[union-attr]
        changes={
            "name": [None, attachment.name],
            "sha256": [None, attachment.sha256],
            "size": [None, attachment.size],
        },
    )
    return attachment


def follow_unit_move(*, unit: Unit, old_path: str, new_path: str, **_: Any) -> None:
    """A moved unit's documents keep the scope they had: their stored issuer path (the index that a
    leader's "my units' documents" reads) takes the subtree's new prefix, in the move's transaction."""
    Document.objects.filter(issuer_path__startswith=old_path).update(
        issuer_path=moved_path("issuer_path", old_path, new_path)
    )
