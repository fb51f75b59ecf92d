"""The school's exchange with the Ministry's database (the C1-HocSinh file, see `directory.ministry`):
counts and dates only, read by the digital-transformation index's proposals in `reporting`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from giaoducso.core.models import AuditAction, AuditEntry, Unit

from ..models import Student, StudentStatus

MINISTRY_EXPORT = "directory.ministry_c1"  # the audit log's name of the export (directory.ministry)


@dataclass(frozen=True)
class MinistryExchange:
    last_export_at: dt.datetime | None  # the latest C1-HocSinh file of the school in the period
    exports: int  # how many were made in the period
    students: int  # the school's studying pupils today
    with_code: int  # of them, those the Ministry has given a student code


def ministry_exchange(*, school: Unit, since: dt.datetime, until: dt.datetime) -> MinistryExchange:
    """Two queries: the school's exports in [since, until) from the audit log, and its code coverage."""
    exports = AuditEntry.objects.filter(
        object_type=MINISTRY_EXPORT, action=AuditAction.EXPORT, unit=school, at__gte=since, at__lt=until
    ).aggregate(n=Count("pk"), last=Max("at"))
    counts = Student.objects.filter(school=school, status=StudentStatus.STUDYING).aggregate(
        students=Count("pk"), with_code=Count("pk", filter=~Q(ministry_code=""))
    )
    return MinistryExchange(
        last_export_at=exports["last"],
        exports=exports["n"],
        students=counts["students"],
        with_code=counts["with_code"],
    )
