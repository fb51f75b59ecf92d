"""The term and year averages of many classes in one SQL aggregation (PostgreSQL), for the bulk results.

At district scale the cost of the results is reading millions of marks into Python one tuple at a time; the
averages themselves are one GROUP BY. So the database computes, per student and subject of the classes:

- each term's average ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n_tx + 5), only once the n_tx regular scores
  (indexes 1…n_tx of the grade's subject), the mid-term and the end-of-term scores are all in, rounded to
  one decimal with ROUND, which on a non-negative `numeric` is half up — the circular's rounding;
- the year average ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3 from those rounded term averages, rounded once;
- for a comment-only subject, per term, how many of its required assessments have a level and how many
  are Đạt, so that `rules.assessment_secondary.comment_subject_passed` decides in Python.

Everything else (learning result, conduct, promotion, re-tests, awards) stays in `rules`, applied to these
averages. SQLite's ROUND works on binary floats (6.05 → 6.0), so there the marks go through Python
(`derive`), and `tests/test_averages_sql.py` holds the two paths to identical answers on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection

from ..models import GradeSubject, MarkKind, SubjectKind
from ..services.marks import regular_for

# One grade's part: its classes' marks read in the order of the unique index (class, subject, student, term,
# …), so that PostgreSQL groups them as they come (no sort, no hash of millions of rows) and the parts merge
# in that order. Only the assessments that count are read: the regular ones the grade's subject takes
# (indexes 1…n, as `derive`'s columns), the mid-term and end-of-term ones (index 1); `{regular}` is that n
# by subject (a CASE of constants), `{scored}` the same only for scored subjects (NULL otherwise). A term is
# complete when every one of its n + 2 scores is in.
_GRADE_PART = """
SELECT class_id, subject_id, student_id,
       t1, t2, ROUND((t1 + 2 * t2) / 3, 1), levels1, passed1, levels2, passed2
FROM (
    SELECT m.school_class_id AS class_id, m.subject_id, m.student_id,
           CASE WHEN COUNT(m.value) FILTER (WHERE m.term = 1) = {scored} + 2
                THEN ROUND(SUM(m.value * {weight}) FILTER (WHERE m.term = 1) / ({scored} + 5), 1) END AS t1,
           CASE WHEN COUNT(m.value) FILTER (WHERE m.term = 2) = {scored} + 2
                THEN ROUND(SUM(m.value * {weight}) FILTER (WHERE m.term = 2) / ({scored} + 5), 1) END AS t2,
           COUNT(m.level) FILTER (WHERE m.term = 1) AS levels1,
           COUNT(*) FILTER (WHERE m.term = 1 AND m.level = 1) AS passed1,
           COUNT(m.level) FILTER (WHERE m.term = 2) AS levels2,
           COUNT(*) FILTER (WHERE m.term = 2 AND m.level = 1) AS passed2
    FROM records_mark m
    WHERE m.school_class_id = ANY(%(ids{grade})s) AND m.subject_id = ANY(%(subjects{grade})s)
      AND m.term IN (1, 2)
      AND CASE m.kind WHEN %(tx)s THEN m."index" BETWEEN 1 AND {regular} ELSE m."index" = 1 END
    GROUP BY m.school_class_id, m.subject_id, m.student_id
) AS grouped
"""
_WEIGHT = "CASE m.kind WHEN %(tx)s THEN 1 WHEN %(gk)s THEN 2 WHEN %(ck)s THEN 3 END"


class Averages(NamedTuple):
    """One student's one subject, as the aggregation gives it."""

    class_id: int
    subject_id: int
    student_id: int
    term1: Decimal | None
    term2: Decimal | None
    year: Decimal | None
    levels1: int  # comment-only: required assessments with a level in term I …
    passed1: int  # … and how many of them are Đạt
    levels2: int
    passed2: int


def supported() -> bool:
    """Whether the database rounds `numeric` half up in SQL (PostgreSQL); elsewhere the marks go through
    Python."""
    return connection.vendor == "postgresql"


def averages_sql(
    classes: dict[int, list[int]], by_grade: dict[int, list[GradeSubject]]
) -> tuple[str, dict[str, Any]] | None:
    """The query for `classes` (grade → class ids), their scored and comment-only subjects as `by_grade`
    has them; None when there is nothing to aggregate."""
    params: dict[str, Any] = {
        "tx": MarkKind.REGULAR.value,
        "gk": MarkKind.MIDTERM.value,
        "ck": MarkKind.FINAL.value,
    }
    parts = []
    for grade, ids in sorted(classes.items()):
        subjects = [
            gs
            for gs in by_grade.get(grade, [])
            if gs.subject.kind in (SubjectKind.SCORED, SubjectKind.COMMENT)
        ]
        if not ids or not subjects:
            continue
        regular = {gs.subject_id: regular_for(gs.subject.kind, gs.periods_per_year) for gs in subjects}  # type: ignore[attr-defined]
        scored = {gs.subject_id for gs in subjects if gs.subject.kind == SubjectKind.SCORED}  # type: ignore[attr-defined]
        parts.append(
            _GRADE_PART.replace("{grade}", str(int(grade)))
            .replace("{regular}", _case(regular))
            .replace("{scored}", _case({s: n for s, n in regular.items() if s in scored}))
            .replace("{weight}", _WEIGHT)
        )
        params[f"ids{int(grade)}"] = sorted(ids)
        params[f"subjects{int(grade)}"] = sorted(regular)
    if not parts:
        return None
    return "(" + ") UNION ALL (".join(parts) + ") ORDER BY 1, 2, 3", params


def _case(values: dict[int, int]) -> str:
    """`CASE m.subject_id WHEN … THEN … END` of integer constants (NULL for a subject not in `values`)."""
    if not values:
        return "NULL::integer"
    whens = " ".join(f"WHEN {int(k)} THEN {int(v)}" for k, v in sorted(values.items()))
    return f"(CASE m.subject_id {whens} END)"


def averages_ordered(
    classes: dict[int, list[int]], by_grade: dict[int, list[GradeSubject]], chunk_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """The `Averages` rows of `classes` (grade → class ids) ordered by class, subject and student, in
    chunks read through a server-side cursor (memory holds a chunk). Runs inside the caller's transaction,
    where the cursor lives."""
    query = averages_sql(classes, by_grade)
    if query is None:
        return
    sql, params = query
    with connection.cursor() as setting:
        # Compiling this query's many expressions (JIT) costs more than it saves on a few million rows.
        setting.execute("SET LOCAL jit = off")
    with connection.connection.cursor(name="records_averages") as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk
