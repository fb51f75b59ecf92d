"""Reminders before a campaign's deadline and the escalation after it, run daily by core's scheduler.

Points: 3 days before the deadline (sent on any day from 3 to 2 days before, so a missed run catches
up), 1 day before (from the day before to the deadline day), and late (any day after it, to the principal).
Each (campaign, school, point) goes once: the `Reminder` row is written first, under its unique constraint,
and only the run that wrote it notifies. Two schedulers running at once write one row between them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from giaoducso.core import notifications
from giaoducso.core.models import Membership, User
from giaoducso.core.roles import Role

from ..models import DONE_STATUSES, Campaign, Reminder, ReminderPoint, Submission

KIND = "reporting_reminder"
SCHOOL_ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_IT, Role.SCHOOL_OFFICE)
# How long after the deadline the scheduler still looks at a campaign: escalation happens on the first run.
LOOKBACK_DAYS = 60


def point_for(deadline: dt.date, today: dt.date) -> str | None:
    left = (deadline - today).days
    if 2 <= left <= 3:
        return ReminderPoint.BEFORE_3
    if 0 <= left <= 1:
        return ReminderPoint.BEFORE_1
    if left < 0:
        return ReminderPoint.LATE
    return None


def _recipients(school_id: int, point: str) -> list[User]:
    roles = (Role.PRINCIPAL,) if point == ReminderPoint.LATE else SCHOOL_ROLES
    return [
        m.user
        for m in Membership.objects.filter(unit_id=school_id, role__in=roles, is_active=True).select_related(
            "user"
        )
    ]


def send_reminders(today: dt.date) -> dict[str, Any]:
    sent = 0
    campaigns = Campaign.objects.filter(
        opens_on__lte=today,
        deadline__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
        deadline__lte=today + dt.timedelta(days=3),
    )
    for campaign in campaigns:
        point = point_for(campaign.deadline, today)
        if point is None:
            continue
        waiting = (
            Submission.objects.filter(campaign=campaign)
            .exclude(status__in=DONE_STATUSES)
            .exclude(extended_until__gte=today)
            .values_list("pk", "school_id")
        )
        for submission_id, school_id in waiting:
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(campaign=campaign, school_id=school_id, point=point)
                    people = _recipients(school_id, point)
                    if point == ReminderPoint.LATE:
                        title = _("Quá hạn nộp báo cáo: %(title)s") % {"title": campaign.title}
                    else:
                        title = _("Nhắc nộp báo cáo «%(title)s» trước %(day)s") % {
                            "title": campaign.title,
                            "day": campaign.deadline.strftime("%d/%m/%Y"),
                        }
                    notifications.notify(
                        recipients=people,
                        kind=KIND,
                        title=title,
                        url=f"/reporting/submissions/{submission_id}/",
                        unit=reminder.school,
                    )
                    reminder.recipients = len(people)
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:
                continue  # already sent at this point: another run got there first
            sent += 1
    return {"sent": sent}
