"""The morning and afternoon digest (07:30 and 16:30, Asia/Ho_Chi_Minh): each person with documents
waiting gets one message, in the app and by e-mail, of what is new, due and overdue. The plan asks every
unit to read its correspondence before 8:00 and before 17:00; the digest is what makes them look.

Run by the one scheduler (core.periodic.register_schedule): each slot runs once, whatever the number of
schedulers, so nobody gets two digests for one slot. Overdue items are in the digest of the assignee and
of the unit's leaders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import notifications
from giaoducso.core.models import Membership, User
from giaoducso.core.roles import ROLE_PERMISSIONS, Perm

from .models import DocStatus, Document, Incoming, InStatus
from .selectors import OPEN_STATUSES, Pending, pending_for

TIMES = [dt.time(7, 30), dt.time(16, 30)]
DUE_WITHIN = dt.timedelta(days=2)


def candidates(today: dt.date) -> list[User]:
    """Everyone who may have something waiting, found from the waiting items (not by asking every user)."""
    queue_units = Incoming.objects.filter(status=InStatus.PENDING).values("unit_id")
    open_rows = Incoming.objects.filter(status__in=OPEN_STATUSES)
    timed_units = open_rows.filter(deadline__lte=today + DUE_WITHIN).values("unit_id")
    draft_units = Document.objects.filter(status__in=(DocStatus.REVIEW, DocStatus.APPROVED)).values(
        "issuer_id"
    )
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if perms & {Perm.OFFICE_CLERK, Perm.OFFICE_APPROVE}]
    members = Membership.objects.filter(is_active=True, role__in=roles).filter(
        Q(unit_id__in=queue_units) | Q(unit_id__in=timed_units) | Q(unit_id__in=draft_units)
    )
    handlers = open_rows.values("lead_user_id")
    supporters = Incoming.supporters.through.objects.filter(incoming__status__in=OPEN_STATUSES).values(
        "user_id"
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=members.values("user_id")) | Q(pk__in=handlers) | Q(pk__in=supporters))
        .order_by("pk")
    )


def _lines(pending: Pending) -> list[str]:
    lines = []
    for row in pending.overdue:
        lines.append(_("QUÁ HẠN %(date)s: %(notation)s — %(summary)s") % _row(row))
    for row in pending.due_soon:
        lines.append(_("Hạn %(date)s: %(notation)s — %(summary)s") % _row(row))
    for row in pending.queue:
        mark = f"[{row.get_urgency_display().upper()}] " if row.is_urgent else ""
        lines.append(_("Mới, chờ vào sổ: %(mark)s%(notation)s — %(summary)s") % {**_row(row), "mark": mark})
    for row in pending.assigned:
        lines.append(_("Được giao: %(notation)s — %(summary)s") % _row(row))
    for doc in pending.to_approve:
        lines.append(_("Chờ duyệt: %(summary)s") % {"summary": doc.summary[:120]})
    for doc in pending.to_issue:
        lines.append(_("Chờ phát hành: %(summary)s") % {"summary": doc.summary[:120]})
    return lines


def _row(row: Incoming) -> dict[str, Any]:
    return {
        "date": row.deadline.strftime("%d/%m/%Y") if row.deadline else "",
        "notation": row.notation,
        "summary": row.summary[:120],
    }


def send_digest(slot: dt.datetime) -> dict[str, Any]:
    """One digest per person with something waiting, for this slot."""
    today = timezone.localtime(slot).date()
    sent = 0
    for user in candidates(today):
        pending = pending_for(user, today=today)
        if not pending.total:
            continue
        title = _("Văn bản %(time)s ngày %(day)s: %(new)s mới, %(due)s sắp đến hạn, %(overdue)s quá hạn") % {
            "time": timezone.localtime(slot).strftime("%H:%M"),
            "day": today.strftime("%d/%m/%Y"),
            "new": len(pending.queue)
            + len(pending.to_approve)
            + len(pending.to_issue)
            + len(pending.assigned),
            "due": len(pending.due_soon),
            "overdue": len(pending.overdue),
        }
        notifications.notify(
            recipients=[user],
            kind="office_digest",
            title=title,
            body="\n".join(_lines(pending)),
            url="/office/",
        )
        sent += 1
    return {"sent": sent}
