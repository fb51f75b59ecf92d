"""Finding students and staff: by name without diacritics, by identifier, by class — always through scoping.

A name query is folded like the stored `search_name` (rules.text.fold), so "nguyen van an", "Nguyễn Văn An"
and "NGUYEN  van An" are the same query. Each word of the query matches the start of a word of the name, in
the order typed: "ng v an" finds "Nguyễn Văn An". Matching is a plain LIKE on `search_name`, which runs
unchanged on SQLite and PostgreSQL; on PostgreSQL a pg_trgm GIN index (migration
0002_search_name_trigram_indexes) serves both patterns — the one anchored at the start of the name and the
one starting at any later word — whereas a btree index could serve only the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped
from giaoducso.core.text_match import Like, name_condition, query_words
from rules.identifiers import is_ministry_student_code, is_personal_id_format
from rules.students import parse_class_name

from .models import Staff, Student
from .selectors.privacy import RECORD, group_q

# Enough to find a person; a longer list means the query should be more precise, not paginated.
RESULT_LIMIT = 50
MIN_NAME_LENGTH = 2
SEARCHABLE = frozenset({"name", "personal_id", "ministry_code", "class"})

_SEPARATORS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True)
class SearchQuery:
    """What the user typed, understood: which kind of search it is and its normalised value."""

    kind: str  # "empty", "name", "personal_id", "ministry_code", "class", "too_short", "bad_number"
    value: str = ""

    @property
    def words(self) -> list[str]:
        return self.value.split() if self.kind == "name" else []


def parse_query(raw: str) -> SearchQuery:
    text = (raw or "").strip()
    if not text:
        return SearchQuery("empty")
    compact = _SEPARATORS.sub("", text)
    if compact.isdigit():
        if is_personal_id_format(compact):
            return SearchQuery("personal_id", compact)
        if is_ministry_student_code(compact):
            return SearchQuery("ministry_code", compact)
        # Any other run of digits is neither identifier; a partial number must not list people.
        return SearchQuery("bad_number", compact)
    if "/" in text:
        parsed = parse_class_name(text)
        if parsed is not None:
            return SearchQuery("class", parsed[1])
    folded = " ".join(query_words(text))
    if len(folded.replace(" ", "")) < MIN_NAME_LENGTH:
        return SearchQuery("too_short", folded)
    return SearchQuery("name", folded)


def name_rank(words: list[str], field: str = "search_name") -> Case:
    """Whole phrase at the start first, then the phrase anywhere, then the looser per-word matches."""
    phrase = " ".join(words)
    return Case(
        When(Like(F(field), Value(phrase + "%")), then=Value(0)),
        When(Like(F(field), Value("% " + phrase + "%")), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _by_name(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    return (
        queryset.filter(name_condition(words))
        .annotate(rank=name_rank(words))
        .order_by("rank", "sort_key", "id")
    )


def _name_key(field: str = "search_name") -> Any:
    """The folded name in byte order on PostgreSQL, so that a btree on this expression (migration 0003)
    serves LIKE 'prefix%' whatever the database's collation."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _by_name_fast(queryset: QuerySet[Any], words: list[str], limit: int) -> list[Any]:
    """The first `limit` name matches. A short, common query ("nguyen", "le thi") matches tens of thousands
    of names from their first word; those fill the page in class-list order (sort_key, indexed, so LIMIT
    stops an ordered index scan once the page is full), the order the ranked query gives them, without
    ranking every match. Otherwise the ranked query runs (it is fast when matches are few, which is then
    the case)."""
    phrase_start = Q(Like(_name_key(), Value(" ".join(words) + "%")))
    first = list(queryset.filter(phrase_start).order_by("sort_key", "id")[:limit])
    if len(first) >= limit:
        return first
    return list(_by_name(queryset, words)[:limit])


def search_students(*, user: Any, query: SearchQuery, limit: int = RESULT_LIMIT) -> list[Student]:
    if query.kind == "name" and has_perm(user, Perm.VIEW_STUDENT):
        students = scoped(Student.objects.select_related("school", "current_class"), user, Perm.VIEW_STUDENT)
        return _by_name_fast(students, query.words, limit)
    return list(student_results_queryset(user=user, query=query)[:limit])


def search_staff(*, user: Any, query: SearchQuery, limit: int = RESULT_LIMIT) -> list[Staff]:
    # Staff have no Ministry student code and no class of their own.
    if query.kind not in ("name", "personal_id") or not has_perm(user, Perm.VIEW_STAFF):
        return []
    staff = scoped(Staff.objects.select_related("school"), user, Perm.VIEW_STAFF)
    if query.kind == "personal_id":
        return list(staff.filter(personal_id=query.value).order_by("id")[:limit])
    return _by_name_fast(staff, query.words, limit)


def student_results_queryset(*, user: Any, query: SearchQuery) -> QuerySet[Student]:
    """The students matching `query` that `user` may see, best first (unlimited: exports use it too)."""
    if query.kind not in SEARCHABLE or not has_perm(user, Perm.VIEW_STUDENT):
        return Student.objects.none()
    students = scoped(Student.objects.select_related("school", "current_class"), user, Perm.VIEW_STUDENT)
    if query.kind == "personal_id":
        students = students.filter(personal_id=query.value)
        # Found by identifier only where the user may read the identifier: a search must not confirm one.
        readable = group_q(user, RECORD)
        return (students if readable is None else students.filter(readable)).order_by("id")
    if query.kind == "ministry_code":
        return students.filter(ministry_code=query.value).order_by("id")
    if query.kind == "class":
        return students.filter(current_class__name=query.value).order_by("school__code", "sort_key", "id")
    return _by_name(students, query.words)
