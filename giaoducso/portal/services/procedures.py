"""Online procedures: a citizen's request with its files, a tracking code, the unit's handling and answer."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.core.notifications import NOTIFICATION_KINDS, notify, register_kind
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, UploadRefused, check_upload
from rules import fields as field_rules
from rules.disclosure_deadlines import add_working_days

from ..models import Procedure, ProcedureRequest, RequestFile, RequestStatus
from ..models.procedures import CLOSED_STATUSES, HandledBy

NOTIFICATION_KIND = "portal_request"
if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
    register_kind(NOTIFICATION_KIND, gettext_lazy("Hồ sơ thủ tục trực tuyến"))

# No 0/O, 1/I/L: a code read over the phone is not misheard. 10 characters of 31: about 50 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_FILES = 5
TRANSITIONS = {
    RequestStatus.RECEIVED: {
        RequestStatus.PROCESSING,
        RequestStatus.NEEDS_INFO,
        RequestStatus.DONE,
        RequestStatus.REFUSED,
    },
    RequestStatus.PROCESSING: {RequestStatus.NEEDS_INFO, RequestStatus.DONE, RequestStatus.REFUSED},
    RequestStatus.NEEDS_INFO: {RequestStatus.PROCESSING, RequestStatus.DONE, RequestStatus.REFUSED},
}


def new_code() -> str:
    return "HS-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def normalise_code(text: str) -> str:
    cleaned = "".join(c for c in (text or "").upper() if c.isalnum())
    if cleaned.startswith("HS"):
        cleaned = cleaned[2:]
    return "HS-" + cleaned[:10]


def offered_by(unit: Unit) -> list[Procedure]:
    handled = HandledBy.SCHOOL if unit.kind == UnitKind.SCHOOL else HandledBy.DEPARTMENT
    return list(Procedure.objects.filter(is_active=True, handled_by=handled))


def _max_bytes() -> int:
    return int(getattr(settings, "PORTAL_MAX_ATTACHMENT_BYTES", 20 << 20))


def _holders(unit: Unit) -> list[User]:
    roles = {r for r in Membership.objects.filter(unit=unit, is_active=True).values_list("role", flat=True)
             if role_allows(r, Perm.PORTAL_REQUESTS)}  # fmt: skip
    return list(
        User.objects.filter(
            memberships__unit=unit, memberships__role__in=roles, memberships__is_active=True
        ).distinct()
    )


def request_submit(
    *, actor: Any, unit: Unit, procedure: Procedure, applicant_name: str, applicant_phone: str,
    applicant_email: str = "", student_name: str = "", student_class: str = "", details: str,
    files: Iterable[UploadedFile] = (), today: dt.date | None = None,
) -> ProcedureRequest:  # fmt: skip
    """A citizen's request. Every file is checked before anything is stored; one refusal refuses all."""
    if procedure not in offered_by(unit) or not procedure.online:
        raise ValidationError(_("Đơn vị này không nhận thủ tục này trực tuyến."))
    errors: dict[str, list[str]] = {}
    if not applicant_name.strip():
        errors["applicant_name"] = [_("Cần ghi họ tên người nộp.")]
    phone, problem = field_rules.phone("applicant_phone", applicant_phone)
    if problem is not None or not phone:
        errors["applicant_phone"] = [_("Số điện thoại không hợp lệ (ví dụ 0901234567).")]
    if not details.strip():
        errors["details"] = [_("Cần ghi nội dung đề nghị.")]
    if procedure.needs_student and not student_name.strip():
        errors["student_name"] = [_("Cần ghi họ tên học sinh.")]
    files = list(files)
    if len(files) > MAX_FILES:
        errors["files"] = [_("Tối đa %(n)s tệp.") % {"n": MAX_FILES}]
    checked = []
    for upload in files[:MAX_FILES]:
        try:
            checked.append(
                (check_upload(upload, kinds=DOCUMENT_KINDS | IMAGE_KINDS, max_bytes=_max_bytes()), upload)
            )
        except UploadRefused as exc:
            errors.setdefault("files", []).extend(f"{upload.name}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    with transaction.atomic():
        code = new_code()
        while ProcedureRequest.objects.filter(tracking_code=code).exists():
            code = new_code()
        request = ProcedureRequest.objects.create(
            unit=unit,
            procedure=procedure,
            tracking_code=code,
            applicant_name=applicant_name.strip()[:255],
            applicant_phone=phone,
            applicant_email=applicant_email.strip()[:254],
            student_name=student_name.strip()[:255],
            student_class=student_class.strip()[:32],
            details=details.strip()[:5000],
            due_on=add_working_days(today, procedure.deadline_working_days),
        )
        for result, upload in checked:
            RequestFile.from_checked(result, upload, request=request).save()
        audit.record_create(actor=actor or AnonymousUser(), obj=request, note=f"{len(checked)} tệp")
        notify(
            recipients=_holders(unit),
            kind=NOTIFICATION_KIND,
            title=_("Hồ sơ mới: %(name)s") % {"name": procedure.name},
            body=_("Mã %(code)s, hạn %(due)s.") % {"code": code, "due": request.due_on.strftime("%d/%m/%Y")},
            url=f"/cong-thong-tin/{unit.code}/ho-so/{request.pk}/",
            unit=unit,
        )
    _tell_applicant(request)
    return request


def request_update(
    *,
    actor: Any,
    request: ProcedureRequest,
    status: str,
    answer: str = "",
    document: UploadedFile | None = None,
) -> ProcedureRequest:
    """Moves a request on; closing it (done, refused) needs an answer, which the citizen reads by the code."""
    if request.status in CLOSED_STATUSES:
        raise ValidationError(_("Hồ sơ đã kết thúc."))
    if status not in TRANSITIONS.get(RequestStatus(request.status), set()):
        raise ValidationError({"status": _("Không chuyển được sang trạng thái này.")})
    if status in CLOSED_STATUSES | {RequestStatus.NEEDS_INFO} and not answer.strip():
        raise ValidationError({"answer": _("Cần ghi nội dung trả lời cho người nộp.")})
    checked = check_upload(document, kinds=DOCUMENT_KINDS, max_bytes=_max_bytes()) if document else None
    before = audit.snapshot(request, ["status", "answer", "answer_document"])
    with transaction.atomic():
        if checked and document:
            stored = RequestFile.from_checked(checked, document, request=request, from_applicant=False)
            stored.save()
            request.answer_document = stored
        request.status = status
        request.answer = answer.strip()[:5000]
        request.handled_by = actor if getattr(actor, "is_authenticated", False) else None
        if status in CLOSED_STATUSES:
            request.closed_at = timezone.now()
        request.save()
        audit.record_update(actor=actor, obj=request, before=before)
    _tell_applicant(request)
    return request


def _tell_applicant(request: ProcedureRequest) -> None:
    """An e-mail when the citizen gave one; the tracking page is the channel that always works."""
    if not request.applicant_email:
        return
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")

    def send() -> None:
        send_mail(
            subject=f"[{request.tracking_code}] {request.procedure.name}: {request.get_status_display()}",
            message=_("Hồ sơ %(code)s: %(status)s. Tra cứu tại %(url)s")
            % {
                "code": request.tracking_code,
                "status": request.get_status_display(),
                "url": f"{base}/tra-cuu/",
            },
            from_email=None,
            recipient_list=[request.applicant_email],
            fail_silently=True,
        )

    transaction.on_commit(send)
