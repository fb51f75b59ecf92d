"""The student import: check the whole file, then write new and changed students in one transaction.

Memory: a row is kept as one compact tuple (see `R_*`), strings shared where they repeat; the existing
students are read in chunks of CHUNK ids and only the new or changed rows survive the check. Writes go
through the students' bulk write path (services.student_bulk: COPY on PostgreSQL, bulk_create elsewhere),
which gives the rows and audit lines of the single-row services.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.bulk import constraints_at_each_statement
from giaoducso.core.models import AuditAction, Unit
from giaoducso.core.roles import Perm

from .. import selectors
from ..models import (
    Guardian,
    School,
    SchoolClass,
    SchoolYear,
    Student,
)
from ..services.student_bulk import NewStudent, StudentChange, student_bulk_create, student_bulk_update
from . import ministry_cells
from .common import (
    ImportContext,
    common_unit,
)
from .readers import Table
from .report import FileProblem, ImportResult, Problem
from .student_rows import RowReader

COLUMNS = (
    "ma_dinh_danh",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "dan_toc",
    "ma_truong",
    "lop",
    "dia_chi",
    "phuong_xa",
    "ho_ten_cha_me",
    "dien_thoai",
    *ministry_cells.COLUMNS,  # optional in the header
)
BASE_COLUMNS = 11
REQUIRED = COLUMNS[:BASE_COLUMNS]  # these columns must be in the header; these values must be filled:
REQUIRED_VALUES = ("ma_dinh_danh", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_truong", "lop")
CHUNK = 5000

# Positions in a checked row.
(
    R_ROW,
    R_PID,
    R_NAME,
    R_SEARCH,
    R_DOB,
    R_SEX,
    R_ETHNICITY,
    R_SCHOOL,
    R_CLASS,
    R_ADDRESS,
    R_WARD,
    R_WARD_NAME,
    R_G_NAME,
    R_G_PHONE,
    R_SORT,
) = range(15)
R_MINISTRY = 15  # then the Ministry's fields, in ministry_cells.FIELDS order
# The student fields a row sets, and where they are in the row; compared to find changed students.
STUDENT_FIELDS = (
    ("full_name", R_NAME),
    ("date_of_birth", R_DOB),
    ("sex", R_SEX),
    ("ethnicity", R_ETHNICITY),
    ("address", R_ADDRESS),
    ("ward_id", R_WARD),
    ("ward_name", R_WARD_NAME),
    *((name, R_MINISTRY + i) for i, name in enumerate(ministry_cells.FIELDS)),
)
LIMITS = {"ho_ten": 255, "dan_toc": 64, "dia_chi": 255, "phuong_xa": 128, "ho_ten_cha_me": 255}


@dataclass
class SchoolInfo:
    unit: Unit
    level: str
    allowed: bool
    pk: int = 0  # unit.pk, read once instead of once per row


@dataclass
class Plan:
    """What the check decided: rows to insert, rows to update (with what they were), classes to create."""

    year: SchoolYear
    new: list[tuple[Any, ...]] = field(default_factory=list)
    # (row, existing student id, before: dict of audited values, primary guardian id or None)
    changed: list[tuple[tuple[Any, ...], int, dict[str, Any], int | None]] = field(default_factory=list)
    classes: dict[tuple[int, str], int | None] = field(default_factory=dict)  # (school id, name) → id
    grades: dict[tuple[int, str], int] = field(default_factory=dict)
    school_units: dict[int, Unit] = field(default_factory=dict)


def _current_year_or_fail(
    schools: dict[str, SchoolInfo], table: Table
) -> tuple[SchoolYear, dict[int, SchoolYear | None]]:
    """The import's school year: the current year of the province of the file's first known school (a
    file is one province's in practice), and each school's own current year, to refuse a row of a school
    that follows another calendar. One query, whatever the number of schools and provinces."""
    years = selectors.current_years()
    school_years = {info.pk: selectors.current_year_among(years, info.unit) for info in schools.values()}
    # Look ahead to the first row naming a known school; the rows read meanwhile are put back in front.
    code_at = COLUMNS.index("ma_truong")
    read: list[tuple[int, tuple[str, ...]]] = []
    year = None
    for number, values in table.rows:
        read.append((number, values))
        if values[code_at] in schools:
            year = school_years[schools[values[code_at]].pk]
            break
    else:
        year = years[0] if years else None  # no row names a known school: every row fails anyway
    table.rows = itertools.chain(read, table.rows)
    if year is None:
        raise FileProblem(
            _(
                "Chưa có năm học hiện tại. Hãy tạo năm học và đánh dấu “năm học hiện tại” trước khi nhập học sinh."
            )
        )
    return year, school_years


def _schools(ctx: ImportContext) -> dict[str, SchoolInfo]:
    schools = {}
    for school in School.objects.select_related("unit"):
        schools[school.unit.code] = SchoolInfo(
            unit=school.unit,
            level=school.level,
            allowed=ctx.may_change(school.unit, Perm.CHANGE_STUDENT),
            pk=school.unit.pk,
        )
    return schools


def check(ctx: ImportContext, table: Table, result: ImportResult, total_estimate: int) -> Plan:
    """Every row checked (student_rows.RowReader, step by step), then the good rows sorted into new,
    changed and unchanged students against the database."""
    schools = _schools(ctx)
    year, school_years = _current_year_or_fail(schools, table)
    plan = Plan(year=year)
    for school_id, name, pk, grade in SchoolClass.objects.filter(year=year).values_list(
        "school_id", "name", "pk", "grade"
    ):
        plan.classes[(school_id, name)] = pk
        plan.grades[(school_id, name)] = grade
    reader = RowReader(
        ctx=ctx,
        schools=schools,
        school_years=school_years,
        year=year,
        grades=plan.grades,
        warnings=result.warnings,
        columns=REQUIRED,
        required=REQUIRED_VALUES,
        limits=LIMITS,
    )
    rows: list[tuple[Any, ...]] = []
    errors = result.errors
    count = 0
    for number, values in table.rows:
        count += 1
        if count % 10_000 == 0:
            ctx.progress("reading", count, total_estimate)
        row = reader.read(number, values, errors)
        if row is not None:
            rows.append(row)
    result.rows = count
    ctx.progress("reading", count, count)
    if errors:
        return plan
    plan.school_units.update(reader.school_units)
    # The Ministry's cells a file leaves out keep what is stored (see _classify).
    keep_stored = [
        (R_MINISTRY + i, i) for i, column in enumerate(ministry_cells.COLUMNS) if column in table.absent
    ]
    _classify(ctx, plan, rows, result, keep_stored)
    for key, pk in plan.classes.items():
        if pk is None:
            unit = plan.school_units[key[0]]
            result.classes_created.append(f"{unit.code} {key[1]}")
    result.classes_created.sort()
    return plan


_EXISTING_COLUMNS = ("pk", "personal_id", "school_id", "current_class_id", *(n for n, _p in STUDENT_FIELDS))


# The same columns as _EXISTING_COLUMNS, in the same order.
# Column names from ministry_cells.FIELDS; the values go as parameters.
_EXISTING_SQL = f"SELECT {', '.join(_EXISTING_COLUMNS).replace('pk', 'id', 1)} FROM directory_student WHERE personal_id = ANY(%s)"  # noqa: S608


def _existing(pids: list[str]) -> tuple[dict[str, tuple[Any, ...]], dict[int, tuple[int, str, str]]]:
    """The stored students with these ids, and each one's first primary guardian (id, name, phone)."""
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands: the driver does not re-parse a huge IN list.
        with connection.cursor() as cursor:
            cursor.execute(_EXISTING_SQL, [pids])
            students = {values[1]: values for values in cursor.fetchall()}
            cursor.execute(
                "SELECT DISTINCT ON (student_id) student_id, id, full_name, phone FROM directory_guardian"
                " WHERE is_primary AND student_id = ANY(%s) ORDER BY student_id, id",
                [[v[0] for v in students.values()]],
            )
            return students, {sid: (gid, name, phone) for sid, gid, name, phone in cursor.fetchall()}
    students = {
        values[1]: values
        for values in Student.objects.filter(personal_id__in=pids).values_list(*_EXISTING_COLUMNS)
    }
    guardians: dict[int, tuple[int, str, str]] = {}
    if students:
        for gid, student_id, g_name, g_phone in (
            Guardian.objects.filter(student_id__in=[v[0] for v in students.values()], is_primary=True)
            .order_by("-id")
            .values_list("pk", "student_id", "full_name", "phone")
        ):
            guardians[student_id] = (gid, g_name, g_phone)  # descending ids: the lowest one stays
    return students, guardians


def _classify(
    ctx: ImportContext,
    plan: Plan,
    rows: list[tuple[Any, ...]],
    result: ImportResult,
    keep_stored: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> None:
    """Splits the rows into new, changed and unchanged, reading existing students CHUNK ids at a time.
    `keep_stored`: (row position, index in ministry_cells.FIELDS) of the optional columns the file lacks;
    an existing student keeps what is stored there."""
    first_ministry = len(STUDENT_FIELDS) - len(ministry_cells.FIELDS) + 4  # in an _existing row
    for key in {row[R_CLASS] for row in rows}:
        plan.classes.setdefault(key, None)
    class_of = plan.classes
    done = 0
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        existing, guardians = _existing([r[R_PID] for r in chunk])
        for row in chunk:
            found = existing.get(row[R_PID])
            if found is None:
                plan.new.append(row)
                continue
            if keep_stored:
                kept = list(row)
                for position, index in keep_stored:
                    kept[position] = found[first_ministry + index]
                row = tuple(kept)
            pk, _pid, school_id, class_id = found[:4]
            if school_id != row[R_SCHOOL]:
                result.errors.append(
                    Problem(
                        row[R_ROW],
                        "ma_truong",
                        plan.school_units[row[R_SCHOOL]].code,
                        _(
                            "Học sinh có số định danh %(pid)s đang thuộc một trường khác; hãy dùng chức năng "
                            "chuyển trường thay vì nhập."
                        )
                        % {"pid": row[R_PID]},
                    )
                )
                continue
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for (name, position), old in zip(STUDENT_FIELDS, found[4:], strict=True):
                if old != row[position]:
                    before[name], after[name] = old, row[position]
            new_class = class_of[row[R_CLASS]]
            if new_class is None or new_class != class_id:
                before["current_class_id"], after["current_class_id"] = class_id, new_class
            guardian = guardians.get(pk)
            if row[R_G_NAME]:
                old_g = (guardian[1], guardian[2]) if guardian else (None, None)
                if old_g != (row[R_G_NAME], row[R_G_PHONE]):
                    before["guardian"], after["guardian"] = list(old_g), [row[R_G_NAME], row[R_G_PHONE]]
            if before:
                plan.changed.append((row, pk, before, guardian[0] if guardian else None))
            else:
                result.unchanged += 1
        done += len(chunk)
        ctx.progress("checking", done, len(rows))
    rows.clear()  # only new and changed rows are needed from here on
    result.new = len(plan.new)
    result.changed = len(plan.changed)
    # Classes are created only for rows that are written.
    needed = {row[R_CLASS] for row in plan.new} | {c[0][R_CLASS] for c in plan.changed}
    for key in [k for k, v in plan.classes.items() if v is None and k not in needed]:
        del plan.classes[key]


# --- Writing ------------------------------------------------------------------------------------


def write(ctx: ImportContext, plan: Plan, result: ImportResult) -> None:
    """Everything in one transaction: a failure or a killed process leaves no row of the import behind.
    The rows go through the students' bulk write path (services.student_bulk), audited one line per row."""
    if not plan.new and not plan.changed:
        return
    total = len(plan.new) + len(plan.changed)
    ctx.progress("writing", 0, total)
    note = _status_note(ctx)
    with transaction.atomic():
        constraints_at_each_statement()
        _create_classes(plan)
        created = student_bulk_create(
            actor=ctx.actor,
            rows=(_new_student(row, plan) for row in plan.new),
            year=plan.year,
            start_date=ctx.today,
            units=plan.school_units,
            note=note,
            progress=lambda done: ctx.progress("writing", done, total),
        )
        student_bulk_update(
            actor=ctx.actor,
            changes=[
                StudentChange(pk, _new_student(row, plan), gid, "guardian" in before)
                for row, pk, before, gid in plan.changed
            ],
            befores=[before for _row, _pk, before, _gid in plan.changed],
            year=plan.year,
            start_date=ctx.today,
            units=plan.school_units,
            note=(_("Cập nhật khi nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255],
            progress=lambda done: ctx.progress("writing", created + done, total),
        )
        _audit_file(ctx, plan)
    result.written = True
    ctx.progress("writing", total, total)


def _create_classes(plan: Plan) -> None:
    missing = [key for key, pk in plan.classes.items() if pk is None]
    if not missing:
        return
    SchoolClass.objects.bulk_create(
        [SchoolClass(school_id=s, year=plan.year, grade=plan.grades[(s, n)], name=n) for s, n in missing]
    )
    for school_id, name, pk in SchoolClass.objects.filter(
        year=plan.year, school_id__in={s for s, _n in missing}
    ).values_list("school_id", "name", "pk"):
        plan.classes[(school_id, name)] = pk


def _new_student(row: tuple[Any, ...], plan: Plan) -> NewStudent:
    return NewStudent(
        school_id=row[R_SCHOOL],
        personal_id=row[R_PID],
        full_name=row[R_NAME],
        date_of_birth=row[R_DOB],
        sex=row[R_SEX],
        class_id=plan.classes[row[R_CLASS]],
        ethnicity=row[R_ETHNICITY],
        address=row[R_ADDRESS],
        ward_id=row[R_WARD],
        ward_name=row[R_WARD_NAME],
        guardian_name=row[R_G_NAME],
        guardian_phone=row[R_G_PHONE],
        **{name: row[R_MINISTRY + i] for i, name in enumerate(ministry_cells.FIELDS)},
    )


def _status_note(ctx: ImportContext) -> str:
    return (_("Nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255]


def _audit_file(ctx: ImportContext, plan: Plan) -> None:
    """Beside the line of each new row: one line for the file, with its fingerprint."""
    if plan.new:
        units = {plan.school_units[row[R_SCHOOL]].path for row in plan.new}
        audit.record(
            actor=ctx.actor,
            action=AuditAction.CREATE,
            object_type=Student._meta.label_lower,
            object_repr=(
                _("Nhập %(count)d học sinh mới từ tệp %(file)s")
                % {"count": len(plan.new), "file": ctx.file_name}
            ),
            unit=common_unit(sorted(units)),
            changes={"count": len(plan.new), "file": ctx.file_name, "sha256": ctx.sha256},
            note=_("Nhập học sinh từ tệp"),
        )
