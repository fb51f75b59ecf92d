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


def _unit_ids(paths: list[str]) -> list[int]:
    """The ids of every unit in these subtrees."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return list(Unit.objects.filter(condition).values_list("pk", flat=True))


def _received(paths: list[str]) -> QuerySet[Incoming]:
    """The incoming rows of the user's subtrees, by unit id (resolved first: an indexed IN, not a join on
    the units' paths for every row)."""
    return Incoming.objects.filter(unit_id__in=_unit_ids(paths))


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


def _is_narrow(user: Any) -> bool:
    """A user whose documents are one school's: few enough to start from them rather than from the match."""
    units = office_units(user)
    return bool(units) and all(u.kind in (UnitKind.SCHOOL, UnitKind.SCHOOL_GROUP) for u in units)


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
    words = query_words(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        ids: list[int] = []
        for _label, sql, params in _pg_statements(user, words, before_id, limit, issued_only):
            # Each statement's last parameter is its LIMIT: what the page still lacks.
            ids += _pg_ids(sql, [*params[:-1], limit - len(ids)])
            if len(ids) >= limit:
                break
    else:
        ids = _fts_search_ids(user, words, before_id, limit, issued_only)
    found = {d.pk: d for d in Document.objects.select_related("issuer").filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


# PostgreSQL. `office_search` (migration 0004) holds one narrow row per document: id, issuer, issued, the
# folded text's tsvector, with a GIN index. Which rows a search reads is decided here, not left to the
# planner, whose estimate of "how many matches among the newest ids" cannot know that a year's documents
# sit together: it would walk the ids backwards through 150,000 rows for a query whose matches are all old.
#
# - A school (a narrow user) asks the GIN index for its words AND its unit's key, which every document it
#   issued or was sent carries in the same tsvector: the index's short list of the school's documents
#   drives the intersection, and only the school's own matches are read.
# - Anyone wider (a department reaches most of the city) tests the words row by row on the newest
#   PG_WINDOW ids: a query of common words fills its page there. Only when the window holds less than a
#   page does the GIN index answer for everything older; then the matches are few in recent documents,
#   and the index returns them all (a year's worth at most) for a top-N sort by id.
#
# `ts_match_vq(vector, query)` is the function behind `vector @@ query`: the same test, which the planner
# does not serve from the GIN index, so a row-by-row test stays one (and needs no copy of the vector).
PG_WINDOW = 10_000

_PG_REACH = (
    "(s.issuer_id = ANY(%s) OR EXISTS (SELECT 1 FROM office_incoming i"
    " WHERE i.document_id = s.document_id AND i.unit_id = ANY(%s)))"
)
# A school: its words AND the key of one of its units ("'@12' | '@13'", see migration 0004), in the index.
_PG_NARROW = (
    "SELECT document_id FROM (SELECT s.document_id FROM office_search s "
    "WHERE s.vector @@ (to_tsquery('simple', %s) && %s::tsquery) AND s.document_id + 0 < %s{issued} "
    "OFFSET 0) m ORDER BY document_id DESC LIMIT %s"
)
_PG_WINDOW = (
    "SELECT s.document_id FROM office_search s WHERE s.document_id >= %s AND s.document_id < %s "
    "AND ts_match_vq(s.vector, to_tsquery('simple', %s)){issued}{reach} "
    "ORDER BY s.document_id DESC LIMIT %s"
)
# OFFSET 0 keeps the inner query whole: the GIN index's matches first, then the newest of them. The
# `+ 0` keeps the id bound out of the index scan (a bitmap of every older id would cost more than it saves).
_PG_INDEXED = (
    "SELECT document_id FROM (SELECT s.document_id FROM office_search s "
    "WHERE s.vector @@ to_tsquery('simple', %s) AND s.document_id + 0 < %s{issued}{reach} OFFSET 0) m "
    "ORDER BY document_id DESC LIMIT %s"
)
_PG_ISSUED = " AND s.issued"
_NO_BOUND = 2**63 - 1


def _pg_ids(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _reach_unit_ids(user: Any) -> list[int] | None:
    """The ids of every unit in the user's subtrees; None: everything (a superuser)."""
    paths = _paths(user)
    if paths is None:
        return None
    return _unit_ids(paths) if paths else []


def _pg_statements(
    user: Any, words: list[str], before_id: int | None, limit: int, issued_only: bool
) -> list[tuple[str, str, list[Any]]]:
    """The statements of one page of a search, run in order while the page is not full: (label, SQL,
    parameters). The SQL is one of the constant statements above; words go in as parameters only."""
    query = " & ".join([*words[:-1], words[-1] + ":*"])
    units = _reach_unit_ids(user)
    if units == []:
        return []
    issued = _PG_ISSUED if issued_only else ""
    if units is not None and _is_narrow(user):
        sql = _PG_NARROW.format(issued=issued)
        keys = " | ".join(f"'@{pk}'" for pk in units)
        return [("narrow", sql, [query, keys, before_id or _NO_BOUND, limit])]
    reach, reach_params = ("", []) if units is None else (" AND " + _PG_REACH, [units, units])
    if before_id is None:
        newest = _pg_ids("SELECT max(document_id) FROM office_search", [])[0]
        if newest is None:
            return []
        before_id = newest + 1
    start = max(1, before_id - PG_WINDOW)
    statements = [
        (
            "window",
            _PG_WINDOW.format(issued=issued, reach=reach),
            [start, before_id, query, *reach_params, limit],
        )
    ]
    if start > 1:
        statements.append(
            ("indexed", _PG_INDEXED.format(issued=issued, reach=reach), [query, start, *reach_params, limit])
        )
    return statements


def search_statements(user: Any, text: str) -> list[tuple[str, str, list[Any]]]:
    """The statements a first page of a search may run on PostgreSQL (for EXPLAIN in the benchmark)."""
    words = query_words(text)
    if not words:
        raise ValueError("no words to search")
    return list(_pg_statements(user, words, None, SEARCH_LIMIT, False))


# SQLite (and any other database): the FTS5 table of migration 0002, or LIKE over the folded text. The same
# two ways in as on PostgreSQL: a school from its own documents, anyone wider from the newest ids first.
RECENT_WINDOW = 4_000


def _match_sql(words: list[str]) -> tuple[str, list[Any]]:
    """A condition on office_document: every word, the last one as a prefix (typing as you go)."""
    if connection.vendor == "sqlite":
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        sql = (
            "office_document.id IN (SELECT rowid FROM office_document_fts WHERE office_document_fts MATCH %s)"
        )
        return sql, [" AND ".join(terms)]
    return "(" + " AND ".join("office_document.search_text LIKE %s" for _ in words) + ")", [
        f"%{w}%" for w in words
    ]


def _matching(words: list[str], before_id: int | None, issued_only: bool) -> QuerySet[Document]:
    sql, params = _match_sql(words)
    # The SQL is one of the constant conditions above; the words go in as parameters, never as text.
    matching = Document.objects.extra(where=[sql], params=params)  # noqa: S610
    if issued_only:
        matching = matching.exclude(status__in=(DocStatus.DRAFT, DocStatus.REVIEW, DocStatus.APPROVED))
    if before_id:
        matching = matching.filter(pk__lt=before_id)
    return matching


def _fts_search_ids(
    user: Any, words: list[str], before_id: int | None, limit: int, issued_only: bool
) -> list[int]:
    matching = _matching(words, before_id, issued_only)
    paths = _paths(user)
    if paths is not None and not paths:
        return []
    if paths is not None and _is_narrow(user):
        issued = _issued_q(paths)
        parts = [
            matching.filter(issued),
            matching.filter(pk__in=_received(paths).values("document_id")).exclude(issued),
        ]
        ids: set[int] = set()
        for part in parts:
            ids.update(part.order_by("-pk").values_list("pk", flat=True)[:limit])
        return sorted(ids, reverse=True)[:limit]
    condition = reach_q(user)
    if condition is not None:
        matching = matching.filter(condition)
    matching = matching.order_by("-pk")
    if before_id is None:
        newest = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
        if newest is None:
            return []
        before_id = newest + 1
    window = list(matching.filter(pk__gte=before_id - RECENT_WINDOW).values_list("pk", flat=True)[:limit])
    if len(window) >= limit or before_id - RECENT_WINDOW <= 1:
        return window
    older = matching.filter(pk__lt=before_id - RECENT_WINDOW).values_list("pk", flat=True)
    return window + list(older[: limit - len(window)])
