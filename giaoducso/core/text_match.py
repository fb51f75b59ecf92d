"""Matching typed text against names the way the search page does, for every list filter.

A query is folded like the stored folded columns (rules.text.fold: no case, no diacritics, single spaces),
so "nguyen van", "Nguyễn Văn" and "NGUYỄN   VĂN" are one query. Each word of the query must start a word of
the name, in the order typed: "ng v an" finds "Nguyễn Văn An". The match is a plain LIKE on a column that
holds the folded name (`search_name` on units, users, students and staff), so it runs unchanged on SQLite
and PostgreSQL and no database collation or extension decides what matches.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import F, Lookup, Q, Value

from rules.text import fold

# LIKE wildcards and the escape character never appear in a name; dropping them keeps the patterns literal.
_LIKE_SPECIAL = re.compile(r"[%_\\]")


class Like(Lookup):  # type: ignore[type-arg]
    """`lhs LIKE rhs` with the pattern as given (Django's own lookups escape every wildcard)."""

    lookup_name = "like"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def query_words(text: str) -> list[str]:
    """The words of a typed query, folded as names are stored."""
    return _LIKE_SPECIAL.sub("", fold(text or "")).split()


def name_condition(words: list[str], field: str = "search_name") -> Q:
    """Each word a prefix of a name word, in order: from the first name word, or from any later one."""
    body = "% ".join(words) + "%"
    return Q(Like(F(field), Value(body))) | Q(Like(F(field), Value("% " + body)))


def name_matches(text: str, field: str = "search_name") -> Q:
    """The rows whose folded name in `field` matches `text` as the search page would; nothing when the
    text has no word (a query of only punctuation must not list everyone)."""
    words = query_words(text)
    return name_condition(words, field) if words else Q(pk__in=[])
