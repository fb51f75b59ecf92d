"""The registers of Decree 30 (Appendix IV): outgoing, incoming and follow-up, with their columns, for the
screen, XLSX (core.exports) and the PDF printed and bound at the year's end (core.pdf)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import DocStatus, Document, Incoming, InStatus


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return ""


def _recipients(d: Document) -> str:
    names = [u.name for u in d.recipients.all()]
    names += [line.strip() for line in d.other_recipients.splitlines() if line.strip()]
    return "; ".join(names)


def _receipt(d: Document) -> str:
    rows = list(d.deliveries.all())
    if not rows:
        return ""
    received = sum(1 for r in rows if r.registered_at)
    return f"{received}/{len(rows)}"


def _lead(i: Incoming) -> str:
    if i.lead_user_id:
        return i.lead_user.get_full_name()  # type: ignore[union-attr]
    return i.lead_unit.name if i.lead_unit_id else ""  # type: ignore[union-attr]


def _progress(i: Incoming) -> str:
    label = str(i.get_status_display())
    return f"{label} (quá hạn)" if i.is_overdue else label


def _reply(i: Incoming) -> str:
    return ", ".join(r.notation for r in i.replies.all() if r.notation)


Column = tuple[str, Callable[[Any], Any]]

OUTGOING: list[Column] = [
    ("Số, ký hiệu văn bản", lambda d: d.notation),
    ("Ngày tháng văn bản", lambda d: _date(d.issued_at)),
    ("Tên loại và trích yếu nội dung", lambda d: f"{d.type_name}: {d.summary}"),
    ("Người ký", lambda d: d.signer_name),
    ("Nơi nhận văn bản", _recipients),
    ("Đơn vị, người nhận bản lưu", lambda d: d.file_unit),
    ("Số lượng bản", lambda d: d.copies),
    ("Ngày chuyển", lambda d: _date(d.issued_at)),
    ("Ký nhận", _receipt),
    ("Ghi chú", lambda d: d.get_status_display() if d.status != DocStatus.ISSUED else ""),
]
INCOMING: list[Column] = [
    ("Ngày đến", lambda i: _date(i.registered_at or i.received_at)),
    ("Số đến", lambda i: i.arrival_number or ""),
    ("Tác giả", lambda i: i.sender_name),
    ("Số, ký hiệu", lambda i: i.notation),
    ("Ngày tháng", lambda i: _date(i.doc_date)),
    ("Tên loại và trích yếu nội dung", lambda i: f"{i.type_name}: {i.summary}"),
    ("Đơn vị hoặc người nhận", _lead),
    ("Ngày chuyển", lambda i: _date(i.assigned_at)),
    ("Ký nhận", lambda i: _date(i.read_at)),
    ("Ghi chú", lambda i: i.get_status_display() if i.status == InStatus.CANCELLED else ""),
]
FOLLOW_UP: list[Column] = [
    *INCOMING[:7],
    ("Thời hạn giải quyết", lambda i: _date(i.deadline)),
    ("Tiến độ giải quyết", _progress),
    ("Số, ký hiệu văn bản trả lời", _reply),
    ("Ghi chú", lambda i: ""),
]


@dataclass(frozen=True)
class Register:
    key: str
    title: str
    columns: list[Column]

    @property
    def url_name(self) -> str:
        return "office:follow_up" if self.key == "follow_up" else f"office:register_{self.key}"


REGISTERS = {
    "outgoing": Register("outgoing", "Sổ đăng ký văn bản đi", OUTGOING),
    "incoming": Register("incoming", "Sổ đăng ký văn bản đến", INCOMING),
    "follow_up": Register("follow_up", "Sổ theo dõi giải quyết văn bản đến", FOLLOW_UP),
}


def outgoing_rows(queryset: QuerySet[Document], year: int) -> QuerySet[Document]:
    return (
        queryset.filter(year=year, number__isnull=False)
        .select_related("issuer")
        .prefetch_related("recipients", "deliveries")
        .order_by("issuer_id", "series", "number")
    )


def incoming_rows(queryset: QuerySet[Incoming], year: int) -> QuerySet[Incoming]:
    return (
        queryset.filter(arrival_year=year, arrival_number__isnull=False)
        .select_related("unit", "lead_user", "lead_unit")
        .order_by("unit_id", "arrival_number")
    )


def follow_up_rows(queryset: QuerySet[Incoming], year: int) -> QuerySet[Incoming]:
    return incoming_rows(queryset, year).filter(assigned_at__isnull=False).prefetch_related("replies")


def table(register: Register, rows: Any) -> list[list[Any]]:
    return [[getter(row) for _label, getter in register.columns] for row in rows]
