"""The audit log's export to Excel, run as a background job: starting it, the rows it holds, its body.

Beside `audit.py` (the one write path) because it is the log's one bulk read; `jobs.py` only runs it. The
export sees exactly what the audit screen shows the same person: `scoped(..., Perm.VIEW_AUDIT)`, with
the unit they had chosen in the switcher when they started it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, jobs
from .models import AuditAction, AuditEntry, Job, User
from .numbers import grouped
from .roles import Perm
from .scoping import has_perm, scoped

# Dates travel in the job's params as text, as people type them.
DATE_FORMAT = "%d/%m/%Y"


def job_start_audit_export(
    *,
    actor: User | Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
    object_type: str = "",
) -> Job:
    """Starts the audit-log export. The filters travel as text (dd/mm/yyyy) so that the row is JSON."""
    if not has_perm(actor, Perm.VIEW_AUDIT):
        raise PermissionError("The user may not read the audit log.")
    params: dict[str, Any] = {
        "date_from": date_from.strftime(DATE_FORMAT) if date_from else "",
        "date_to": date_to.strftime(DATE_FORMAT) if date_to else "",
        "action": action,
        "object_type": object_type.strip(),
        # The worker must see what the screen showed: the unit chosen in the switcher, not every role.
        "membership_id": jobs.membership_param(actor),
    }
    _audit_filters(params)  # refuse bad filters now, while the user is still there to read the message
    from .tasks import export_audit_log

    return jobs.job_start(
        actor=actor,
        kind="audit_export",
        title=str(_("Xuất nhật ký hệ thống ra Excel")),
        unit=jobs.job_unit_for(actor),
        task=export_audit_log,
        params=params,
    )


# How many rows between two progress reports: often enough to move the bar, rarely enough to cost nothing.
AUDIT_EXPORT_PROGRESS_EVERY = 500
AUDIT_EXPORT_COLUMNS = [
    gettext_lazy("Thời điểm"),
    gettext_lazy("Người thực hiện"),
    gettext_lazy("Hành động"),
    gettext_lazy("Loại đối tượng"),
    gettext_lazy("Mã đối tượng"),
    gettext_lazy("Đối tượng"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Địa chỉ IP"),
    gettext_lazy("Thay đổi"),
    gettext_lazy("Ghi chú"),
    gettext_lazy("Mã yêu cầu"),
]


def _parse_date(value: Any, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(str(value).strip(), DATE_FORMAT).date()
    except ValueError as exc:
        raise ValidationError(
            _("%(label)s phải là ngày dạng dd/mm/yyyy, ví dụ 05/09/2025.") % {"label": label}
        ) from exc


def _audit_filters(params: dict[str, Any]) -> dict[str, Any]:
    """The ORM filters for the export's parameters; ValidationError with a Vietnamese message if bad."""
    date_from = _parse_date(params.get("date_from"), _("Từ ngày"))
    date_to = _parse_date(params.get("date_to"), _("Đến ngày"))
    if date_from and date_to and date_from > date_to:
        raise ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
    action = str(params.get("action") or "")
    if action and action not in AuditAction.values:
        raise ValidationError(_("Hành động không hợp lệ."))
    object_type = str(params.get("object_type") or "").strip()
    if len(object_type) > 100:
        raise ValidationError(_("Loại đối tượng dài quá 100 ký tự."))
    filters: dict[str, Any] = {}
    tz = timezone.get_current_timezone()
    # A range on the indexed column, not a __date lookup, so that the database can use the index.
    if date_from:
        filters["at__gte"] = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    if date_to:
        filters["at__lt"] = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    if action:
        filters["action"] = action
    if object_type:
        filters["object_type"] = object_type
    return filters


def audit_export_queryset(user: User | Any, params: dict[str, Any]) -> Any:
    """The audit lines an export with these parameters contains, oldest first."""
    filters = _audit_filters(params)
    queryset = scoped(AuditEntry.objects.all(), user, Perm.VIEW_AUDIT).filter(**filters)
    return queryset.select_related("unit").order_by("at", "id")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Logged text is data, never a formula: "=HYPERLINK(...)" typed into a name must stay text.
        cell.data_type = "s"
    return cell


def audit_export_body(job: Job, report: jobs.JobReporter) -> dict[str, Any]:
    from openpyxl import Workbook

    user = jobs._acting_user(job)
    if not has_perm(user, Perm.VIEW_AUDIT):
        raise jobs.JobError(_("Bạn không còn quyền xem nhật ký hệ thống."))
    try:
        queryset = audit_export_queryset(user, job.params)
    except ValidationError as exc:
        raise jobs.JobError(" ".join(exc.messages)) from exc
    total = queryset.count()
    report(2, _("Đang chuẩn bị %(total)s dòng…") % {"total": grouped(total)})

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Nhật ký hệ thống"))[:31])
    sheet.append([_xlsx_cell(sheet, str(c)) for c in AUDIT_EXPORT_COLUMNS])
    actions = dict(AuditAction.choices)
    names = audit.NameCache()
    type_labels: dict[str, str] = {}
    local_tz = timezone.get_current_timezone()
    rows = 0
    for entry in queryset.iterator(chunk_size=2000):
        sheet.append(
            [
                _xlsx_cell(sheet, entry.at.astimezone(local_tz).strftime("%d/%m/%Y %H:%M:%S")),
                _xlsx_cell(sheet, entry.actor_label),
                _xlsx_cell(sheet, str(actions.get(entry.action, entry.action))),
                _xlsx_cell(
                    sheet,
                    type_labels.setdefault(entry.object_type, audit.object_type_label(entry.object_type)),
                ),
                _xlsx_cell(sheet, entry.object_id),
                _xlsx_cell(sheet, entry.object_repr),
                _xlsx_cell(sheet, entry.unit.name if entry.unit else ""),
                _xlsx_cell(sheet, entry.ip_address or ""),
                _xlsx_cell(sheet, audit.describe_changes_text(entry, names)),
                _xlsx_cell(sheet, entry.note),
                _xlsx_cell(sheet, entry.request_id),
            ]
        )
        rows += 1
        if rows % AUDIT_EXPORT_PROGRESS_EVERY == 0:
            report.step(
                rows,
                total,
                _("Đã ghi %(rows)s/%(total)s dòng") % {"rows": grouped(rows), "total": grouped(total)},
                start=2,
                end=95,
            )

    filename = f"nhat-ky-he-thong-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle)
        handle.seek(0)
        job.result_file.save(filename, File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    report(99, _("Đã ghi tệp"))
    audit.record_export(
        actor=user,
        what=AuditEntry._meta.label_lower,
        unit=job.unit,
        rows=rows,
        fmt="xlsx",
        note=_describe_filters(job.params),
    )
    return {
        "rows": rows,
        "filename": filename,
        "message": _("Đã xuất %(rows)s dòng nhật ký.") % {"rows": grouped(rows)},
    }


def _describe_filters(params: dict[str, Any]) -> str:
    """The export's filters as the form named them: "Từ ngày: 01/05/2026; Hành động: Sửa"."""
    labels = {
        "date_from": _("Từ ngày"),
        "date_to": _("Đến ngày"),
        "action": _("Hành động"),
        "object_type": _("Loại đối tượng"),
    }
    actions = dict(AuditAction.choices)
    parts = []
    for key, label in labels.items():
        value = params.get(key)
        if not value:
            continue
        if key == "action":
            value = actions.get(value, value)
        elif key == "object_type":
            value = audit.object_type_label(value)
        parts.append(f"{label}: {value}")
    return "; ".join(parts)
