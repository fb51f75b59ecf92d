"""Scoped reads of reporting: campaigns, submissions, the board, totals, what the platform can prefill."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, FloatField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import scoped
from giaoducso.directory.models import School, SchoolClass, Staff, Student
from rules.report_forms import FormSchema, parse_schema

from .models import (
    DONE_STATUSES,
    AssetProfile,
    CameraStandard,
    CameraSystem,
    Campaign,
    Computer,
    ReportForm,
    Submission,
    SubmissionStatus,
    Website,
)

IN_SCHOOL = ("studying", "transferred_in", "returned")


def form_list(*, user: Any) -> QuerySet[ReportForm]:
    return scoped(ReportForm.objects.select_related("owner"), user, Perm.MANAGE_REPORTS)


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("owner", "version__form"), user, Perm.VIEW_REPORTS)


def submission_list(*, user: Any, campaign: Campaign | None = None) -> QuerySet[Submission]:
    rows = Submission.objects.select_related("school", "campaign")
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return scoped(rows, user, Perm.VIEW_REPORTS)


def schema_for(campaign: Campaign) -> FormSchema:
    parsed, _problems = parse_schema(campaign.version.schema)
    return parsed if parsed is not None else FormSchema(sections=())


# --- the board -----------------------------------------------------------------------------------------

BOARD_STATES = ("submitted", "late", "missing", "returned", "draft")


def board_state(submission: Submission, today: dt.date) -> str:
    """submitted (on time, or accepted), late (submitted after the deadline), returned, missing (past the
    deadline with nothing submitted), draft (still open, not submitted yet)."""
    if submission.status in DONE_STATUSES:
        return "late" if submission.late else "submitted"
    if submission.status == SubmissionStatus.RETURNED:
        return "returned"
    return (
        "missing"
        if today > submission.campaign.deadline or submission.status == SubmissionStatus.NOT_STARTED
        else "draft"
    )


@dataclass
class Board:
    counts: dict[str, int]
    rows: list[tuple[Submission, str]]
    total: int


def board(campaign: Campaign, submissions: QuerySet[Submission], today: dt.date | None = None) -> Board:
    today = today or timezone.localdate()
    rows = [(s, board_state(s, today)) for s in submissions.select_related("school").order_by("school__name")]
    counts = Counter(state for _s, state in rows)
    return Board(counts={k: counts.get(k, 0) for k in BOARD_STATES}, rows=rows, total=len(rows))


# --- totals over the submissions, computed by the database ------------------------------------------------


@dataclass
class NumberTotal:
    key: str
    label: str
    unit: str
    count: int
    total: float | None
    mean: float | None


@dataclass
class ChoiceTotal:
    key: str
    label: str
    counts: list[tuple[str, int]]


def totals(
    campaign: Campaign, *, statuses: tuple[str, ...] = DONE_STATUSES
) -> tuple[list[NumberTotal], list[ChoiceTotal]]:
    """Sum, count and mean of every number (and computed) field; the distribution of every choice, yes/no
    and multiple-choice field. Over submitted and accepted reports by default.

    On PostgreSQL two queries whatever the form's size: each reads every answer document once (jsonb_each),
    where one expression per field would unpack the whole document again for each field."""
    from django.db import connection

    schema = schema_for(campaign)
    numbers = [f for f in schema.fields() if f.numeric]
    categories = [f for f in schema.fields() if f.type in ("choice", "yesno", "multi")]
    if connection.vendor == "postgresql":
        sums, counted = _totals_postgres(
            campaign, statuses, [f.key for f in numbers], [f.key for f in categories]
        )
    else:
        sums, counted = _totals_portable(campaign, statuses, numbers, categories)
    number_totals = []
    for f in numbers:
        count, total = sums.get(f.key, (0, None))
        number_totals.append(
            NumberTotal(
                key=f.key,
                label=f.label,
                unit=f.unit,
                count=count,
                total=round(total, 4) if total is not None else None,
                mean=round(total / count, 4) if count and total is not None else None,
            )
        )
    labels = {"true": "Có", "false": "Không"}
    choice_totals = []
    for f in categories:
        options = list(f.choices) if f.type != "yesno" else ["true", "false"]
        found = counted.get(f.key, {})
        choice_totals.append(
            ChoiceTotal(
                key=f.key, label=f.label, counts=[(labels.get(o, o), found.get(o, 0)) for o in options]
            )
        )
    return number_totals, choice_totals


# One pass over the answer documents: a number is summed under its key (value NULL); a choice or a yes/no
# is counted under (key, value); a multiple choice under (key, the whole array), split per option after.
# A lateral unnest of each array per row cost twice as much; the distinct arrays of a key are few.
_TOTALS_SQL = """
SELECT e.key,
       CASE jsonb_typeof(e.value) WHEN 'number' THEN NULL WHEN 'array' THEN e.value::text
            ELSE e.value #>> '{}' END,
       count(*),
       sum(CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::double precision END),
       jsonb_typeof(e.value) = 'array'
FROM reporting_submission s CROSS JOIN LATERAL jsonb_each(s.answers) e
WHERE s.campaign_id = %s AND s.status = ANY(%s) AND e.key = ANY(%s)
GROUP BY 1, 2, 5
"""


def _totals_postgres(
    campaign: Campaign, statuses: tuple[str, ...], number_keys: list[str], category_keys: list[str]
) -> tuple[dict[str, tuple[int, float | None]], dict[str, dict[str, int]]]:
    import json

    from django.db import connection

    sums: dict[str, tuple[int, float | None]] = {}
    counted: dict[str, dict[str, int]] = {}
    if not number_keys and not category_keys:
        return sums, counted
    numeric = set(number_keys)
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS_SQL, [campaign.pk, list(statuses), number_keys + category_keys])
        for key, value, n, total, is_array in cursor.fetchall():
            if key in numeric:
                if value is None:
                    sums[key] = (n, total)
                continue
            found = counted.setdefault(key, {})
            options = json.loads(value) if is_array else [value]
            for option in options:
                found[str(option)] = found.get(str(option), 0) + n
    return sums, counted


def _totals_portable(
    campaign: Campaign, statuses: tuple[str, ...], numbers: list[Any], categories: list[Any]
) -> tuple[dict[str, tuple[int, float | None]], dict[str, dict[str, int]]]:
    """SQLite (development): the numbers in one aggregate, the categories counted from the answers."""
    rows = Submission.objects.filter(campaign=campaign, status__in=statuses)
    aggregates: dict[str, Any] = {}
    for index, f in enumerate(numbers):
        value = Cast(KT(f"answers__{f.key}"), FloatField())
        aggregates[f"s{index}"] = Sum(value)
        aggregates[f"c{index}"] = Count(value)
    found = rows.aggregate(**aggregates) if aggregates else {}
    sums = {f.key: (found[f"c{i}"] or 0, found[f"s{i}"]) for i, f in enumerate(numbers)}
    counted: dict[str, dict[str, int]] = {}
    keys = [f.key for f in categories]
    for answers in rows.values_list("answers", flat=True):
        for key in keys:
            value = answers.get(key)
            for item in value if isinstance(value, list) else [value]:
                if item is None:
                    continue
                text = ("true" if item else "false") if isinstance(item, bool) else str(item)
                counted.setdefault(key, {})[text] = counted.get(key, {}).get(text, 0) + 1
    return sums, counted


# --- what the platform already knows about a school ----------------------------------------------------------


def prefill_values(school: Unit) -> dict[str, Any]:
    """Values the forms' `prefill` names take for `school`, from the shared database and the inventory."""
    profile = AssetProfile.objects.filter(school=school).first()
    computers = Computer.objects.filter(school=school).aggregate(
        n=Sum("quantity"), working=Sum("quantity", filter=~Q(condition="broken"))
    )
    staff = Staff.objects.filter(school=school, status="working")
    return {
        "students": Student.objects.filter(school=school, status__in=IN_SCHOOL).count(),
        "classes": SchoolClass.objects.filter(school=school, year__is_current=True).count(),
        "staff": staff.count(),
        "teachers": staff.filter(position__icontains="giáo viên").count(),
        "computers": computers["n"] or 0,
        "computers_working": computers["working"] or 0,
        "cameras": CameraSystem.objects.filter(school=school).aggregate(n=Sum("count"))["n"] or 0,
        "websites": Website.objects.filter(school=school).count(),
        "bandwidth_mbps": profile.bandwidth_mbps if profile and profile.bandwidth_mbps is not None else None,
        "has_fibre": profile.has_fibre if profile else None,
        "it_leader": (profile.it_leader_name if profile else "")
        or (School.objects.filter(unit=school).values_list("it_leader_name", flat=True).first() or ""),
    }


def prefilled_answers(schema: FormSchema, school: Unit) -> dict[str, Any]:
    sources = {f.prefill for f in schema.fields() if f.prefill}
    if not sources:
        return {}
    values = prefill_values(school)
    return {
        f.key: values.get(f.prefill)
        for f in schema.fields()
        if f.prefill and values.get(f.prefill) not in (None, "")
    }


# --- the asset inventory ---------------------------------------------------------------------------------------


def camera_standard_for(school: Unit) -> CameraStandard:
    """The nearest standard up the tree; the platform's default (2 MP, 30 days) when none is set."""
    found = (
        CameraStandard.objects.filter(owner__path__in=school.ancestor_paths())
        .order_by("-owner__path")
        .first()
    )
    from decimal import Decimal

    return found or CameraStandard(min_resolution_mp=Decimal(2), min_storage_days=30)


def camera_meets(camera: CameraSystem, standard: CameraStandard) -> bool:
    return (
        camera.resolution_mp >= standard.min_resolution_mp
        and camera.storage_days >= standard.min_storage_days
    )


def website_list(*, user: Any, perm: str = Perm.VIEW_ASSETS) -> QuerySet[Website]:
    return scoped(Website.objects.select_related("school", "last_check"), user, perm)


def computer_list(*, user: Any) -> QuerySet[Computer]:
    return scoped(Computer.objects.select_related("school"), user, Perm.VIEW_ASSETS)
