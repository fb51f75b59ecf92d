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

from giaoducso.core.models import Unit, UnitKind
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


def _paths(user: Any) -> list[str] | None:
    """The subtree paths the user reaches documents in; None: everything (a superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return [unit.path for unit in office_units(user)]


def _issued_q(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(issuer_path__startswith=path)
    return condition


def _received(paths: list[str]) -> QuerySet[Incoming]:
    """The incoming rows of the user's subtrees, by unit id (resolved first: an indexed IN, not a join on
    the units' paths for every row)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    unit_ids = list(Unit.objects.filter(condition).values_list("pk", flat=True))
    return Incoming.objects.filter(unit_id__in=unit_ids)


def reach_q(user: Any) -> Q | None:
    """The documents a user reaches: issued in their subtree, or sent to it. None: everything."""
    paths = _paths(user)
    if paths is None:
        return None
    if not paths:
        return Q(pk__in=[])
    return _issued_q(paths) | Q(pk__in=_received(paths).values("document_id"))


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


def _match_sql(words: list[str], *, indexed: bool = True) -> tuple[str, list[Any]]:
    """A condition on office_document: every word, the last one as a prefix (typing as you go).

    `indexed=False` (PostgreSQL) writes the same test so that the GIN index cannot serve it: the check is
    then made on each row of a set already small (a school's documents, the newest ids), which costs less
    than intersecting the index's long lists of very common words ("kế hoạch") over the whole city."""
    if connection.vendor == "postgresql":
        terms = [*words[:-1], words[-1] + ":*"]
        vector = (
            "office_document.search_vector" if indexed else "(office_document.search_vector || ''::tsvector)"
        )
        return f"{vector} @@ to_tsquery('simple', %s)", [" & ".join(terms)]
    if connection.vendor == "sqlite":
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        sql = (
            "office_document.id IN (SELECT rowid FROM office_document_fts WHERE office_document_fts MATCH %s)"
        )
        return sql, [" AND ".join(terms)]
    return "(" + " AND ".join("office_document.search_text LIKE %s" for _ in words) + ")", [
        f"%{w}%" for w in words
    ]


def _matching(text: str, *, indexed: bool = True) -> QuerySet[Document] | None:
    words = query_words(text)
    if not words:
        return None
    sql, params = _match_sql(words, indexed=indexed)
    # The SQL is one of the constant conditions above; the words go in as parameters, never as text.
    return Document.objects.extra(where=[sql], params=params)  # noqa: S610


def _search_queryset(
    user: Any, text: str, *, before_id: int | None = None, issued_only: bool = False, indexed: bool = True
) -> QuerySet[Document] | None:
    """The GIN match and the scope in one query, newest first: the scope's OR tests the issuer's path
    first and only then the hashed set of the subtree's incoming documents (built once, from an indexed
    IN on unit ids), so neither a department nor a school pays for the other way of reaching a document."""
    matching = _matching(text, indexed=indexed)
    if matching is None:
        return None
    condition = reach_q(user)
    if condition is not None:
        matching = matching.filter(condition)
    if issued_only:
        matching = matching.exclude(status__in=(DocStatus.DRAFT, DocStatus.REVIEW, DocStatus.APPROVED))
    if before_id:
        matching = matching.filter(pk__lt=before_id)
    return matching.order_by("-pk")


def _is_narrow(user: Any) -> bool:
    """A user whose documents are one school's: few enough to start from them rather than from the match."""
    units = office_units(user)
    return bool(units) and all(u.kind in (UnitKind.SCHOOL, UnitKind.SCHOOL_GROUP) for u in units)


def _narrow_search(
    user: Any, text: str, before_id: int | None, limit: int, issued_only: bool
) -> list[Document]:
    """A school's search in two parts: its own documents (by the issuer-path index) and those sent to it
    (by its incoming rows), each row then tested against the words: bounded by the school's own volume,
    whatever the number of matches in the whole city."""
    matching = _matching(text, indexed=False)
    paths = _paths(user) or []
    if matching is None or not paths:
        return []
    if issued_only:
        matching = matching.exclude(status__in=(DocStatus.DRAFT, DocStatus.REVIEW, DocStatus.APPROVED))
    if before_id:
        matching = matching.filter(pk__lt=before_id)
    issued = _issued_q(paths)
    parts = [
        matching.filter(issued),
        matching.filter(pk__in=_received(paths).values("document_id")).exclude(issued),
    ]
    ids: set[int] = set()
    for part in parts:
        ids.update(part.order_by("-pk").values_list("pk", flat=True)[:limit])
    chosen = sorted(ids, reverse=True)[:limit]
    found = {d.pk: d for d in Document.objects.select_related("issuer").filter(pk__in=chosen)}
    return [found[pk] for pk in chosen]


# A department reaches most of the city's documents. Its search first tests the words on the newest
# RECENT_WINDOW ids row by row (a common word fills a page there at once, without reading the GIN index's
# long lists); only when that window holds less than a page does the GIN index search everything (then the
# words are rare, and their lists short). A window that yields a full page holds the newest matches of all.
RECENT_WINDOW = 4_000


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
    limit = max(1, min(limit, 200))
    if _is_narrow(user):
        return _narrow_search(user, text, before_id, limit, issued_only)
    if before_id is None:
        newest = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
        if newest is None:
            return []
        before_id = newest + 1
    recent = _search_queryset(user, text, issued_only=issued_only, indexed=False)
    if recent is None:
        return []
    window = recent.filter(pk__lt=before_id, pk__gte=before_id - RECENT_WINDOW)
    found = list(window.select_related("issuer")[:limit])
    if len(found) >= limit or before_id - RECENT_WINDOW <= 1:
        return found
    everything = _search_queryset(user, text, issued_only=issued_only)
    assert everything is not None
    return list(everything.select_related("issuer").filter(pk__lt=before_id)[:limit])


def search_sql(user: Any, text: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL of a search's first page (for EXPLAIN in the benchmark)."""
    queryset = _search_queryset(user, text)
    if queryset is None:
        raise ValueError("no words to search")
    sql, params = queryset.select_related("issuer")[:SEARCH_LIMIT].query.sql_with_params()
    return sql, params
