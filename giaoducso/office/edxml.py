"""The national document-exchange envelope (edXML, QCVN 102:2016/BTTTT): a document exported as one, an
envelope imported as an incoming document, and the status messages a recipient sends back.

The platform exchanges documents between its own units directly; the model keeps the envelope's fields
(organisation codes, code number and notation, priority, due date, the document answered, the business
kind) and its status codes, so that a connector to the national exchange (transport, signatures) can be
added without changing the model. Transport is out of scope here.

Parsing refuses any DOCTYPE or entity declaration before expat sees the text (no entity expansion, no
external fetch), and an envelope larger than MAX_ENVELOPE.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import xml.etree.ElementTree as ET  # DOCTYPE and entities are refused before parsing (see _parse)
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from rules import documents as doc_rules

from .models import Document, Incoming, InStatus, Source
from .services import attachment_add, incoming_register_external, settings_for
from .services.common import refuse

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_ENVELOPE = 30 << 20
PRIORITY_URGENCY = {v: k for k, v in doc_rules.URGENCY_PRIORITY.items()}
# Where an incoming copy stands, as the status codes of the exchange say it.
STATUS_CODE = {
    InStatus.PENDING: "01",
    InStatus.REGISTERED: "03",
    InStatus.READ: "03",
    InStatus.HANDLING: "05",
    InStatus.ANSWERED: "06",
    InStatus.DONE: "06",
    InStatus.CANCELLED: "13",
}
ET.register_namespace("edXML", NS)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = str(text)
    return element


def organ_id(unit: Unit) -> str:
    """The unit's organisation code when its settings name one, else its code on the platform."""
    code = settings_for(unit).organ_code
    return code or unit.code


def _organ(parent: ET.Element, tag: str, unit: Unit) -> None:
    node = _sub(parent, tag)
    _sub(node, "OrganId", organ_id(unit))
    _sub(node, "OrganizationInCharge", unit.parent.name if unit.parent_id else "")  # type: ignore[union-attr]
    _sub(node, "OrganName", unit.name)
    _sub(node, "OrganAdd", "")
    _sub(node, "Email", "")
    _sub(node, "Telephone", "")
    _sub(node, "Fax", "")
    _sub(node, "Website", "")


def document_id(document: Document) -> str:
    day = timezone.localtime(document.issued_at).date() if document.issued_at else timezone.localdate()
    return doc_rules.edxml_document_id(organ_id(document.issuer), day, document.notation)


def export_document(document: Document, *, business: int = doc_rules.BUSINESS_NEW, reason: str = "") -> bytes:
    """The envelope of an issued document, with its attachments base64-encoded in the body."""
    if not document.notation:
        raise refuse(_("Chỉ văn bản đã phát hành mới có gói tin edXML."), "not_issued")
    office = settings_for(document.issuer)
    root = ET.Element(_q("edXMLEnvelope"))
    header = _sub(root, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", document.issuer)
    for unit in document.recipients.all():
        _organ(message, "To", unit)
    _sub(message, "DocumentId", document_id(document))
    code = _sub(message, "Code")
    number, _slash, notation = document.notation.partition("/")
    _sub(code, "CodeNumber", number)
    _sub(code, "CodeNotation", notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", office.place)
    issued = timezone.localtime(document.issued_at).date() if document.issued_at else timezone.localdate()
    _sub(promulgation, "PromulgationDate", issued.isoformat())
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", 2)  # an administrative document
    _sub(kind, "TypeName", document.type_name)
    _sub(message, "Subject", document.summary)
    _sub(message, "Content", document.body)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", document.signer_authority)
    _sub(signer, "Position", document.signer_title)
    _sub(signer, "FullName", document.signer_name)
    _sub(message, "DueDate", document.due_date.isoformat() if document.due_date else "")
    places = _sub(message, "ToPlaces")
    for unit in document.recipients.all():
        _sub(places, "Place", unit.name)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", doc_rules.URGENCY_PRIORITY[document.urgency])
    _sub(other, "SphereOfPromulgation", "")
    _sub(other, "TyperNotation", "")
    _sub(other, "PromulgationAmount", document.copies)
    _sub(other, "PageAmount", 1)
    if document.answers_id:
        answered = document.answers
        response = _sub(message, "ResponseFor")
        _sub(response, "OrganId", answered.sender_code)  # type: ignore[union-attr]
        _sub(response, "Code", answered.notation)  # type: ignore[union-attr]
        _sub(response, "PromulgationDate", answered.doc_date.isoformat())  # type: ignore[union-attr]
        _sub(response, "DocumentId", "")
    _sub(message, "SteeringType", 0)
    trace = _sub(header, "TraceHeaderList")
    step = _sub(trace, "TraceHeader")
    _sub(step, "OrganId", organ_id(document.issuer))
    _sub(step, "Timestamp", timezone.localtime(document.issued_at or timezone.now()).isoformat())
    business_node = _sub(header, "Bussiness")  # sic: the standard's spelling
    _sub(business_node, "BussinessDocType", business)
    _sub(business_node, "BussinessDocReason", reason)
    if document.replaces_id:
        replaced = _sub(business_node, "ReplacementInfoList")
        info = _sub(replaced, "ReplacementInfo")
        _sub(info, "DocumentId", document_id(document.replaces))  # type: ignore[arg-type]
    body = _sub(root, "edXMLBody")
    for attachment in document.attachments.all():
        node = _sub(body, "Attachment")
        _sub(node, "ContentType", attachment.content_type)
        _sub(node, "AttachmentName", attachment.name)
        _sub(node, "Description", "")
        with attachment.file.open("rb") as handle:
            _sub(node, "ContentTransferEncoded", base64.b64encode(handle.read()).decode())
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def status_message(row: Incoming) -> bytes:
    """The status a recipient reports back for its copy (01 arrived … 06 done, 13 cancelled)."""
    root = ET.Element(_q("Status"))
    header = _sub(root, "Header")
    _sub(header, "From", row.unit.code)
    _sub(header, "To", row.sender_code)
    _sub(header, "ResponseFor", row.notation)
    _sub(root, "StatusCode", STATUS_CODE[InStatus(row.status)])
    _sub(root, "Timestamp", timezone.localtime().isoformat())
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


# --- import ---------------------------------------------------------------------------------------


def _parse(content: bytes) -> ET.Element:
    if len(content) > MAX_ENVELOPE:
        raise refuse(_("Gói tin quá lớn (tối đa 30 MB)."), "too_large", "envelope")
    head = content[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in content.upper():
        raise refuse(_("Gói tin không được chứa khai báo DOCTYPE hay ENTITY."), "bad_envelope", "envelope")
    try:
        root = ET.fromstring(content)  # noqa: S314  (no DOCTYPE or entity can reach here)
    except ET.ParseError as error:
        raise refuse(
            _("Gói tin không phải XML hợp lệ: %(error)s") % {"error": str(error)[:120]},
            "bad_envelope",
            "envelope",
        ) from None
    if root.tag != _q("edXMLEnvelope"):
        raise refuse(_("Đây không phải gói tin edXML (thiếu edXMLEnvelope)."), "bad_envelope", "envelope")
    return root


def _text(node: ET.Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path, {"e": NS})
    return (found.text or "").strip() if found is not None else ""


def _date(text: str, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise refuse(
            _("Ngày «%(value)s» trong gói tin không hợp lệ.") % {"value": text[:20]}, "bad_date", field
        ) from None


@transaction.atomic
def import_envelope(*, actor: Actor, unit: Unit, content: bytes, allow_duplicate: bool = False) -> Incoming:
    """An envelope received for `unit`: registered as an incoming document (a recall cancels the copy)."""
    root = _parse(content)
    message = root.find("e:edXMLHeader/e:MessageHeader", {"e": NS})
    if message is None:
        raise refuse(_("Gói tin thiếu phần MessageHeader."), "bad_envelope", "envelope")
    number, notation = _text(message, "e:Code/e:CodeNumber"), _text(message, "e:Code/e:CodeNotation")
    code_notation = f"{number}/{notation}" if number and notation else number or notation
    sender_code = _text(message, "e:From/e:OrganId")
    business = _text(root, "e:edXMLHeader/e:Bussiness/e:BussinessDocType") or "0"
    if business == str(doc_rules.BUSINESS_RECALL):
        copy = Incoming.objects.filter(unit=unit, notation=code_notation, sender_code=sender_code).first()
        if copy is None:
            raise refuse(
                _("Không có văn bản được thu hồi trong sổ văn bản đến."), "unknown_document", "envelope"
            )
        Incoming.objects.filter(pk=copy.pk).update(status=InStatus.CANCELLED, cancelled_at=timezone.now())
        copy.refresh_from_db()
        return copy
    priority = _text(message, "e:OtherInfo/e:Priority")
    urgency = PRIORITY_URGENCY.get(int(priority) if priority.isdigit() else 0, "thuong")
    if priority == "4":  # timed express: the most urgent we keep
        urgency = "hoa_toc"
    doc_date = (
        _date(_text(message, "e:PromulgationInfo/e:PromulgationDate"), "doc_date") or timezone.localdate()
    )
    row = incoming_register_external(
        actor=actor,
        unit=unit,
        sender_name=_text(message, "e:From/e:OrganName") or sender_code,
        sender_code=sender_code[:32],
        notation=code_notation,
        doc_date=doc_date,
        doc_type=doc_rules.type_code_of(_text(message, "e:DocumentType/e:TypeName")),
        summary=_text(message, "e:Subject"),
        urgency=urgency,
        source=Source.EDXML,
        body=_text(message, "e:Content"),
        deadline=_date(_text(message, "e:DueDate"), "deadline"),
        allow_duplicate=allow_duplicate,
    )
    for node in root.findall("e:edXMLBody/e:Attachment", {"e": NS}):
        try:
            data = base64.b64decode(_text(node, "e:ContentTransferEncoded"), validate=True)
        except (binascii.Error, ValueError):
            raise refuse(
                _("Tệp đính kèm trong gói tin không giải mã được."), "bad_attachment", "envelope"
            ) from None
        name = _text(node, "e:AttachmentName") or "tep-dinh-kem"
        attachment_add(actor=actor, upload=SimpleUploadedFile(name, data), incoming=row)
    return row
