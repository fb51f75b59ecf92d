"""Scoped reads of the e-office.

A user reaches a document when it was issued by a unit of their subtree, or sent to one (an incoming row
of a unit in their subtree): so a school sees only what it issued and what was sent to it. Anything else
is a 404, as for a document that does not exist.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.scoping import has_perm, memberships_for, scoped
from rules.text import fold

from .models import DocStatus, Document, Incoming, InStatus

SEARCH_LIMIT = 50
_WORD = re.compile(r"[a-z0-9]+")


def office_units(user: Any, perm: str = Perm.OFFICE_VIEW) -> list[Unit]:
    """The units whose documents the user reaches with `perm` (each covering its subtree)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(Unit.objects.filter(parent__isnull=True))
    return [m.unit for m in memberships_for(user) if role_allows(m.role, perm)]


def reach_q(user: Any) -> Q | None:
    """The documents a user reaches: issued in their subtree, or sent to it. None: everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    units = office_units(user)
    if not units:
        return Q(pk__in=[])
    issued = Q(pk__in=[])
    received = Q(pk__in=[])
    for unit in units:
        issued |= Q(issuer_path__startswith=unit.path)
        received |= Q(unit__path__startswith=unit.path)
    sent_to = Incoming.objects.filter(received).values("document_id")
    return issued | Q(pk__in=sent_to)


def documents_for(user: Any) -> QuerySet[Document]:
    condition = reach_q(user)
    queryset = Document.objects.select_related("issuer")
    return queryset if condition is None else queryset.filter(condition)


def document_or_404(user: Any, pk: Any) -> Document:
    try:
        return documents_for(user).get(pk=int(pk))
    except (Document.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def is_issuer_side(user: Any, document: Document) -> bool:
    return has_perm(user, Perm.OFFICE_VIEW, document.issuer)


def outgoing_for(user: Any) -> QuerySet[Document]:
    """Documents issued (or drafted) in the user's units."""
    return scoped(Document.objects.select_related("issuer"), user, Perm.OFFICE_VIEW)


def incoming_for(user: Any) -> QuerySet[Incoming]:
    return scoped(Incoming.objects.select_related("unit", "document", "lead_user"), user, Perm.OFFICE_VIEW)


def incoming_or_404(user: Any, pk: Any) -> Incoming:
    try:
        return incoming_for(user).get(pk=int(pk))
    except (Incoming.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def deliveries_of(document: Document) -> QuerySet[Incoming]:
    """Each recipient's copy of an issued document: what the sender tracks."""
    return Incoming.objects.filter(document=document).select_related("unit").order_by("unit__path")


@dataclass
class Pending:
    """What a person has waiting: new in the queue, assigned to them, due soon, overdue."""

    queue: list[Incoming]
    assigned: list[Incoming]
    due_soon: list[Incoming]
    overdue: list[Incoming]
    to_approve: list[Document]
    to_issue: list[Document]

    @property
    def total(self) -> int:
        return sum(
            len(x)
            for x in (self.queue, self.assigned, self.due_soon, self.overdue, self.to_approve, self.to_issue)
        )


OPEN_STATUSES = (InStatus.REGISTERED, InStatus.READ, InStatus.HANDLING)


def pending_for(user: Any, today: Any = None, limit: int = 20) -> Pending:
    today = today or timezone.localdate()
    clerk_units = office_units(user, Perm.OFFICE_CLERK)
    leader_units = office_units(user, Perm.OFFICE_APPROVE)
    queue: list[Incoming] = []
    if clerk_units:
        q = Q(pk__in=[])
        for unit in clerk_units:
            q |= Q(unit=unit)
        queue = list(
            Incoming.objects.filter(q, status=InStatus.PENDING).order_by("-urgency", "received_at")[:limit]
        )
    mine = Incoming.objects.filter(Q(lead_user=user) | Q(supporters=user)).filter(status__in=OPEN_STATUSES)
    if leader_units:
        q = Q(pk__in=[])
        for unit in leader_units:
            q |= Q(unit=unit)
        mine = Incoming.objects.filter(Q(lead_user=user) | Q(supporters=user) | q).filter(
            status__in=OPEN_STATUSES
        )
    mine = mine.distinct()
    overdue = list(mine.filter(deadline__lt=today).order_by("deadline")[:limit])
    due_soon = list(
        mine.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=2)).order_by("deadline")[
            :limit
        ]
    )
    assigned = list(
        Incoming.objects.filter(lead_user=user, status__in=OPEN_STATUSES, deadline__isnull=True).order_by(
            "-assigned_at"
        )[:limit]
    )
    to_approve: list[Document] = []
    if leader_units:
        to_approve = list(Document.objects.filter(issuer__in=leader_units, status=DocStatus.REVIEW)[:limit])
    to_issue: list[Document] = []
    if clerk_units:
        to_issue = list(Document.objects.filter(issuer__in=clerk_units, status=DocStatus.APPROVED)[:limit])
    return Pending(queue, assigned, due_soon, overdue, to_approve, to_issue)


def pending_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """The home card's counts in two queries whatever the volume: queue (and urgent in it), due soon,
    overdue, drafts waiting for approval or issue."""
    from django.db.models import Count

    today = today or timezone.localdate()
    clerk = [u.pk for u in office_units(user, Perm.OFFICE_CLERK)]
    leader = [u.pk for u in office_units(user, Perm.OFFICE_APPROVE)]
    open_ = Q(status__in=OPEN_STATUSES)
    mine = Q(lead_user=user) | Q(unit_id__in=leader)
    counts = Incoming.objects.filter(Q(unit_id__in=clerk) | mine).aggregate(
        queue=Count("pk", filter=Q(unit_id__in=clerk, status=InStatus.PENDING)),
        urgent=Count("pk", filter=Q(unit_id__in=clerk, status=InStatus.PENDING) & ~Q(urgency="thuong")),
        overdue=Count("pk", filter=mine & open_ & Q(deadline__lt=today)),
        due_soon=Count(
            "pk", filter=mine & open_ & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=2))
        ),
    )
    counts.update(
        Document.objects.filter(Q(issuer_id__in=leader) | Q(issuer_id__in=clerk)).aggregate(
            to_approve=Count("pk", filter=Q(issuer_id__in=leader, status=DocStatus.REVIEW)),
            to_issue=Count("pk", filter=Q(issuer_id__in=clerk, status=DocStatus.APPROVED)),
        )
    )
    return counts


# --- full-text search ---------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The folded words of a query, letters and digits only (nothing of the query syntax gets through)."""
    return _WORD.findall(fold(text or ""))[:12]


def _match_sql(words: list[str]) -> tuple[str, list[Any]]:
    """A condition on office_document: every word, the last one as a prefix (typing as you go)."""
    if connection.vendor == "postgresql":
        terms = [*words[:-1], words[-1] + ":*"]
        return "office_document.search_vector @@ to_tsquery('simple', %s)", [" & ".join(terms)]
    if connection.vendor == "sqlite":
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        sql = (
            "office_document.id IN (SELECT rowid FROM office_document_fts WHERE office_document_fts MATCH %s)"
        )
        return sql, [" AND ".join(terms)]
    return "(" + " AND ".join("office_document.search_text LIKE %s" for _ in words) + ")", [
        f"%{w}%" for w in words
    ]


def search(
    user: Any,
    text: str,
    *,
    before_id: int | None = None,
    limit: int = SEARCH_LIMIT,
    issued_only: bool = False,
) -> list[Document]:
    """Documents the user reaches whose metadata or text holds every word of `text`, diacritics aside;
    newest first, `limit` at a time (keyset: pass the last id seen as `before_id`). No COUNT of all matches:
    a page is all a screen shows."""
    words = query_words(text)
    if not words:
        return []
    sql, params = _match_sql(words)
    # The SQL is one of the constant conditions above; the words go in as parameters, never as text.
    queryset = documents_for(user).extra(where=[sql], params=params)  # noqa: S610
    if issued_only:
        queryset = queryset.exclude(status__in=(DocStatus.DRAFT, DocStatus.REVIEW, DocStatus.APPROVED))
    if before_id:
        queryset = queryset.filter(pk__lt=before_id)
    return list(queryset.order_by("-pk")[: max(1, min(limit, 200))])
