"""The PDF of an outgoing document in the layout of Decree 30 (Appendix I), through core.pdf (WeasyPrint,
Liberation Serif embedded): national title and motto top right over the place and date, the superior and
issuing bodies top left over the number and notation, then the type and summary, the body, "Nơi nhận" and
the signer. Every download is in the access log."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from giaoducso.core import audit, pdf
from giaoducso.core.models import AuditAction
from rules import documents as doc_rules

from .models import Document
from .services.common import settings_for

TEMPLATE = "office/document_pdf.html"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def context_for(document: Document) -> dict[str, Any]:
    office = settings_for(document.issuer)
    when = timezone.localtime(document.issued_at).date() if document.issued_at else timezone.localdate()
    recipients = [f"{u.name};" for u in document.recipients.all()]
    recipients += [f"{line.strip()};" for line in document.other_recipients.splitlines() if line.strip()]
    lines = [f"- {r}" for r in recipients]
    lines.append(
        f"- Lưu: VT{', ' + document.file_unit if document.file_unit and document.file_unit != 'VT' else ''}."
    )
    number = document.notation or f"     /{doc_rules.DOC_TYPES[document.doc_type][1] or office.abbreviation}"
    return {
        "document": document,
        "office": office,
        "nation": NATION,
        "motto": MOTTO,
        "superior": office.superior_name.upper(),
        "issuer_name": (document.board or document.issuer.name).upper(),
        "number": number if document.notation else f"Số: {number}",
        "place_date": doc_rules.place_and_date(office.place, when),
        "is_letter": document.is_letter,
        "addressed": document.doc_type in doc_rules.ADDRESSED_TYPES,
        "recipient_lines": lines,
        "addressees": [u.name for u in document.recipients.all()],
        "draft": not document.notation,
    }


def document_pdf(document: Document) -> bytes:
    return pdf.render_pdf(TEMPLATE, context_for(document))


def document_pdf_response(user: Any, document: Document) -> HttpResponse:
    content = document_pdf(document)
    audit.record(actor=user, action=AuditAction.VIEW, obj=document, note="tải bản PDF")
    name = (document.notation or f"du-thao-{document.pk}").replace("/", "-")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{name.encode("ascii", "ignore").decode() or "van-ban"}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
