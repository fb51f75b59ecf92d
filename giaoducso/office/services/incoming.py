"""Incoming documents: registration (the arrival number, receipt confirmed to the sender at once), an
outside document typed in by hand, reading, the leader's assignment, handlers' notes, completion."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import IO, Any

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit, notifications
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit, User
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.uploads import check_upload
from rules import documents as doc_rules
from rules.documents import HeaderGuess

from .. import reading
from ..models import HandlingNote, Incoming, InStatus, Source, Urgency
from .common import CLERKS_AND_LEADERS, folded, office_people, refuse, require
from .documents import MAX_ATTACHMENT_BYTES
from .numbering import take_number

OPEN = (InStatus.PENDING, InStatus.REGISTERED, InStatus.READ, InStatus.HANDLING)


def _arrival_number(unit: Unit, when: dt.datetime) -> tuple[int, int]:
    year = timezone.localtime(when).year
    return year, take_number(unit=unit, year=year, series="arrival")


@transaction.atomic
def incoming_register(*, actor: Actor, incoming: Incoming, now: dt.datetime | None = None) -> Incoming:
    """Enters a document of the queue in the incoming register: its arrival number, and the receipt
    confirmed to the sender in the same step."""
    require(actor, Perm.OFFICE_CLERK, incoming.unit, _("Chỉ văn thư của đơn vị được vào sổ văn bản đến."))
    incoming = Incoming.objects.select_for_update().get(pk=incoming.pk)
    if incoming.arrival_number is not None:
        raise refuse(
            _("Văn bản này đã vào sổ với số đến %(number)s.") % {"number": incoming.arrival_number},
            "already_registered",
        )
    if incoming.status == InStatus.CANCELLED:
        raise refuse(_("Văn bản đã bị thu hồi: không vào sổ được."), "cancelled")
    now = now or timezone.now()
    incoming.arrival_year, incoming.arrival_number = _arrival_number(incoming.unit, now)
    incoming.registered_at = incoming.receipt_confirmed_at = now
    incoming.registered_by = actor  # type: ignore[assignment]
    if incoming.status == InStatus.PENDING:
        incoming.status = InStatus.REGISTERED
    incoming.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=incoming,
        changes={"arrival_number": [None, incoming.arrival_number], "status": ["pending", incoming.status]},
        note="vào sổ văn bản đến",
    )
    leaders = office_people([incoming.unit], [Perm.OFFICE_APPROVE])
    if incoming.is_urgent and leaders:
        notifications.notify(
            recipients=leaders,
            kind="office_urgent",
            title=f"[{incoming.get_urgency_display().upper()}] {incoming.notation}: {incoming.summary[:150]}",
            url=f"/office/incoming/{incoming.pk}/",
            unit=incoming.unit,
        )
    return incoming


def duplicates_of(*, unit: Unit, notation: str, sender_name: str, sender_code: str = "") -> list[Incoming]:
    """Documents of the unit's register with the same number + notation + issuer (Decree 30's warning)."""
    found = Incoming.objects.filter(unit=unit, notation__iexact=notation.strip()).exclude(
        status=InStatus.CANCELLED
    )
    key = folded(sender_name)
    return [
        i for i in found if folded(i.sender_name) == key or (sender_code and i.sender_code == sender_code)
    ]


@transaction.atomic
def incoming_register_external(
    *,
    actor: Actor,
    unit: Unit,
    sender_name: str,
    notation: str,
    doc_date: dt.date,
    doc_type: str,
    summary: str,
    urgency: str = Urgency.NORMAL,
    source: str = Source.PAPER,
    sender_code: str = "",
    body: str = "",
    deadline: dt.date | None = None,
    allow_duplicate: bool = False,
    now: dt.datetime | None = None,
) -> Incoming:
    """A paper, e-mailed or edXML document from outside, typed in (or read from its file) and registered
    at once. A second one with the same number + notation + issuer is refused unless confirmed."""
    require(actor, Perm.OFFICE_CLERK, unit, _("Chỉ văn thư của đơn vị được vào sổ văn bản đến."))
    sender_name = " ".join(str(sender_name or "").split())[:255]
    notation = " ".join(str(notation or "").split())[:64]
    summary = " ".join(str(summary or "").split())[:500]
    errors = []
    if not sender_name:
        errors.append(("sender_name", _("Hãy ghi cơ quan ban hành văn bản."), "required"))
    if not notation:
        errors.append(("notation", _("Hãy ghi số, ký hiệu của văn bản."), "required"))
    if not summary:
        errors.append(("summary", _("Hãy ghi trích yếu của văn bản."), "required"))
    if doc_type not in doc_rules.DOC_TYPES:
        errors.append(("doc_type", _("Loại văn bản không có trong danh mục của Nghị định 30."), "bad_type"))
    if urgency not in Urgency.values:
        errors.append(("urgency", _("Độ khẩn không hợp lệ."), "bad_urgency"))
    if source not in (Source.PAPER, Source.EMAIL, Source.EDXML):
        errors.append(
            ("source", _("Nguồn phải là văn bản giấy, thư điện tử hoặc gói tin edXML."), "bad_source")
        )
    if not isinstance(doc_date, dt.date):
        errors.append(("doc_date", _("Ngày văn bản không hợp lệ."), "bad_date"))
    if errors:
        field, message, code = errors[0]
        raise refuse(message, code, field)
    if not allow_duplicate:
        twins = duplicates_of(unit=unit, notation=notation, sender_name=sender_name, sender_code=sender_code)
        if twins:
            raise refuse(
                _(
                    "Văn bản số %(notation)s của %(sender)s đã vào sổ với số đến %(number)s. Nếu đúng là một "
                    "văn bản khác, hãy xác nhận để vào sổ tiếp."
                )
                % {"notation": notation, "sender": sender_name, "number": twins[0].arrival_number or "—"},
                "duplicate",
                "notation",
            )
    now = now or timezone.now()
    incoming = Incoming(
        unit=unit,
        source=source,
        sender_name=sender_name,
        sender_code=str(sender_code or "")[:32],
        notation=notation,
        doc_date=doc_date,
        doc_type=doc_type,
        summary=summary,
        urgency=urgency,
        body=str(body or "")[:200_000],
        deadline=deadline,
        received_at=now,
        status=InStatus.PENDING,
        search_text=folded(notation, doc_rules.type_name(doc_type), summary, sender_name),
    )
    incoming.save()
    audit.record_create(actor=actor, obj=incoming, note="văn bản đến từ ngoài hệ thống")
    return incoming_register(actor=actor, incoming=incoming, now=now)


# A PDF read to fill the registration form waits here until the clerk has checked the guess and registers
# it (then it becomes the document's attachment); the form carries a signed token naming it, never a path.
STAGING_DIR = "office/staging"
_STAGING_SALT = "office.incoming.staged"
STAGED_MAX_AGE = 24 * 3600


def incoming_read_pdf(*, actor: Actor, unit: Unit, upload: UploadedFile) -> tuple[HeaderGuess, str]:
    """A received document's PDF read for the registration form: what its first page says (number and
    notation, date, issuer, type, summary) and a token for the file kept until it is registered."""
    require(actor, Perm.OFFICE_CLERK, unit, _("Chỉ văn thư của đơn vị được vào sổ văn bản đến."))
    checked = check_upload(upload, kinds={"pdf"}, max_bytes=MAX_ATTACHMENT_BYTES)
    handle: IO[bytes] = upload.file  # type: ignore[assignment]
    guess = reading.header_of(handle)
    path = default_storage.save(f"{STAGING_DIR}/{uuid.uuid4().hex}.pdf", File(handle))
    token = signing.dumps(
        {"path": path, "name": checked.name, "unit": unit.pk, "by": getattr(actor, "pk", None)},
        salt=_STAGING_SALT,
    )
    return guess, token


def staged_pdf(*, actor: Actor, unit: Unit, token: str) -> UploadedFile | None:
    """The PDF kept by incoming_read_pdf for this clerk and unit, or None (unknown, expired, someone
    else's); the kept copy is removed once read."""
    try:
        data = signing.loads(token, salt=_STAGING_SALT, max_age=STAGED_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("unit") != unit.pk or data.get("by") != getattr(actor, "pk", None):
        return None
    path = str(data.get("path", ""))
    if not path.startswith(f"{STAGING_DIR}/") or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    default_storage.delete(path)
    return SimpleUploadedFile(str(data.get("name") or "van-ban.pdf"), content, "application/pdf")


def staged_pdfs_clean(today: dt.date | None = None) -> dict[str, Any]:
    """Daily: removes the PDFs read for a registration that never followed (older than their token)."""
    if not default_storage.exists(STAGING_DIR):
        return {"removed": 0}
    limit = timezone.now() - dt.timedelta(seconds=STAGED_MAX_AGE)
    removed = 0
    for name in default_storage.listdir(STAGING_DIR)[1]:
        path = f"{STAGING_DIR}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
            removed += 1
    return {"removed": removed}


def may_view(user: Any, incoming: Incoming) -> bool:
    return has_perm(user, Perm.OFFICE_VIEW, incoming.unit)


def incoming_opened(*, actor: Actor, incoming: Incoming) -> Incoming:
    """Every open goes to the access log; the first by someone of the unit marks it read."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=incoming, note="mở văn bản đến")
    if incoming.read_at is None and incoming.status != InStatus.CANCELLED:
        now = timezone.now()
        status = InStatus.READ if incoming.status == InStatus.REGISTERED else incoming.status
        Incoming.objects.filter(pk=incoming.pk, read_at__isnull=True).update(read_at=now, status=status)
        incoming.read_at, incoming.status = now, status
    return incoming


@transaction.atomic
def incoming_assign(
    *,
    actor: Actor,
    incoming: Incoming,
    lead_user: User | None = None,
    lead_unit: Unit | None = None,
    supporters: Iterable[User] = (),
    deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> Incoming:
    """The leader names a lead (person or unit), supporters and a deadline."""
    require(actor, Perm.OFFICE_APPROVE, incoming.unit, _("Chỉ lãnh đạo được giao xử lý văn bản."))
    incoming = Incoming.objects.select_for_update().get(pk=incoming.pk)
    if incoming.status not in OPEN:
        raise refuse(
            _("Văn bản đã %(status)s: không giao xử lý được.")
            % {"status": incoming.get_status_display().lower()},
            "closed",
        )
    if incoming.arrival_number is None:
        raise refuse(_("Hãy vào sổ văn bản đến trước khi giao xử lý."), "not_registered")
    if lead_user is None and lead_unit is None:
        raise refuse(_("Hãy chọn người hoặc đơn vị chủ trì."), "no_lead", "lead_user")
    people = [p for p in supporters if p is not None]
    for person in [lead_user, *people]:
        if person is not None and not has_perm(person, Perm.OFFICE_VIEW, incoming.unit):
            raise refuse(
                _("%(name)s không thuộc đơn vị nhận văn bản.") % {"name": person.get_full_name()},
                "outside_unit",
                "lead_user",
            )
    if lead_unit is not None and not lead_unit.path.startswith(incoming.unit.path):
        raise refuse(_("Đơn vị chủ trì phải thuộc đơn vị nhận văn bản."), "outside_unit", "lead_unit")
    today = today or timezone.localdate()
    if deadline is not None and deadline < today:
        raise refuse(_("Hạn xử lý đã qua: hãy chọn một ngày từ hôm nay."), "past_deadline", "deadline")
    incoming.lead_user, incoming.lead_unit, incoming.deadline = lead_user, lead_unit, deadline
    incoming.assigned_by = actor  # type: ignore[assignment]
    incoming.assigned_at = timezone.now()
    incoming.status = InStatus.HANDLING
    incoming.overdue_warned_on = None
    incoming.save()
    incoming.supporters.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=incoming,
        changes={
            "lead_user": [None, lead_user.pk if lead_user else None],
            "lead_unit": [None, lead_unit.pk if lead_unit else None],
            "deadline": [None, deadline.isoformat() if deadline else None],
            "supporters": [None, [p.pk for p in people]],
        },
        note="giao xử lý",
    )
    told = [p for p in [lead_user, *people] if p is not None]
    if lead_unit is not None:
        told += office_people([lead_unit], CLERKS_AND_LEADERS)
    notifications.notify(
        recipients=told,
        kind="office_assigned",
        title=_("Được giao xử lý: %(notation)s — %(summary)s")
        % {"notation": incoming.notation, "summary": incoming.summary[:120]},
        body=_("Hạn xử lý: %(date)s") % {"date": deadline.strftime("%d/%m/%Y")} if deadline else "",
        url=f"/office/incoming/{incoming.pk}/",
        unit=incoming.unit,
    )
    return incoming


def may_handle(user: Any, incoming: Incoming) -> bool:
    if has_perm(user, Perm.OFFICE_APPROVE, incoming.unit):
        return True
    if incoming.lead_user_id == getattr(user, "pk", None):
        return True
    return bool(incoming.supporters.filter(pk=getattr(user, "pk", None)).exists())


@transaction.atomic
def note_add(*, actor: Actor, incoming: Incoming, text: str) -> HandlingNote:
    if not may_handle(actor, incoming):
        require(actor, Perm.OFFICE_DRAFT, incoming.unit, _("Bạn không xử lý văn bản này."))
    text = str(text or "").strip()[:10_000]
    if not text:
        raise refuse(_("Ghi chú trống."), "empty", "text")
    if incoming.status == InStatus.CANCELLED:
        raise refuse(_("Văn bản đã bị thu hồi."), "cancelled")
    note = HandlingNote.objects.create(incoming=incoming, author=actor, text=text)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=note, unit=incoming.unit, note="ghi chú xử lý")
    return note


@transaction.atomic
def incoming_done(*, actor: Actor, incoming: Incoming) -> Incoming:
    """Closes the handling without a reply (a document to read and file)."""
    if not may_handle(actor, incoming):
        require(actor, Perm.OFFICE_APPROVE, incoming.unit, _("Bạn không xử lý văn bản này."))
    incoming = Incoming.objects.select_for_update().get(pk=incoming.pk)
    if incoming.status not in OPEN:
        raise refuse(_("Văn bản không còn đang xử lý."), "closed")
    if incoming.arrival_number is None:
        raise refuse(_("Hãy vào sổ văn bản đến trước."), "not_registered")
    old = incoming.status
    incoming.status, incoming.done_at = InStatus.DONE, timezone.now()
    incoming.save(update_fields=["status", "done_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=incoming, changes={"status": [old, "done"]})
    return incoming
