"""The student import: check the whole file, then write new and changed students in one transaction.

Memory: a row is kept as one compact tuple (see `R_*`), strings shared where they repeat; the existing
students are read in chunks of CHUNK ids and only the new or changed rows survive the check. Writes on
PostgreSQL go through COPY into a temporary table and a handful of set-based statements; elsewhere through
bulk_create/bulk_update. Both give the same rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.models import AuditAction, Unit
from giaoducso.core.roles import Perm
from rules import codelists
from rules.students import LEVEL_GRADES, age_plausible, normalise_phone, parse_class_name
from rules.text import fold, name_sort_key, normalise_name

from .. import selectors
from ..models import (
    Enrolment,
    Guardian,
    School,
    SchoolClass,
    SchoolYear,
    Student,
    StudentStatus,
    StudentStatusEvent,
)
from ..services.codes import read_code, unknown_message
from . import ministry_cells
from .common import DateParser, ImportContext, WardIndex, common_unit, parse_sex, personal_id_problems
from .readers import Table
from .report import FileProblem, ImportResult, Problem

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
WRITE_BATCH = 2000
GUARDIAN_RELATION = "Cha/Mẹ"

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
    schools = _schools(ctx)
    year, school_years = _current_year_or_fail(schools, table)
    plan = Plan(year=year)
    wards = WardIndex()
    start_year = year.start_date.year
    for school_id, name, pk, grade in SchoolClass.objects.filter(year=year).values_list(
        "school_id", "name", "pk", "grade"
    ):
        plan.classes[(school_id, name)] = pk
        plan.grades[(school_id, name)] = grade
    parse_date = DateParser(ctx.today)
    errors = result.errors
    warnings = result.warnings
    seen: dict[str, int] = {}
    rows: list[tuple[Any, ...]] = []
    intern = sys.intern
    ward_cache: dict[tuple[str, int], int | None] = {}
    sex_cache: dict[str, str | None] = {}
    # Names, classes and guardians repeat across a file: each distinct text is normalised once.
    class_cache: dict[str, tuple[int, str] | None] = {}
    name_cache: dict[str, tuple[str, str]] = {}  # raw name → (stored name, search key)
    guardian_cache: dict[str, str] = {}
    ethnic_cache: dict[str, str | None] = {}
    ethnic_groups = codelists.ethnic_groups()
    ministry_reader = ministry_cells.Reader()
    keep_stored = [
        (R_MINISTRY + i, i) for i, column in enumerate(ministry_cells.COLUMNS) if column in table.absent
    ]
    required_positions = [COLUMNS.index(c) for c in REQUIRED_VALUES]
    shortest_limit = min(LIMITS.values())

    count = 0
    for number, values in table.rows:
        count += 1
        if count % 10_000 == 0:
            ctx.progress("reading", count, total_estimate)
        pid, name, dob_text, sex_text, ethnicity, code, class_text, address, ward_text, g_name, phone_text = (
            values[:BASE_COLUMNS]
        )
        row_errors: list[Problem] = []
        # Fast path: the detailed loop runs only for a row that is short of a value or too long.
        if not all(values[i] for i in required_positions) or max(map(len, values)) > shortest_limit:
            row_errors += _cell_problems(number, values[:BASE_COLUMNS])
        dob: dt.date | None = None
        if dob_text:
            parsed = parse_date(dob_text)
            if isinstance(parsed, str):
                row_errors.append(Problem(number, "ngay_sinh", dob_text, parsed))
            else:
                dob = parsed
        sex = None
        if sex_text:
            sex = sex_cache.get(sex_text)
            if sex is None:
                sex = sex_cache[sex_text] = parse_sex(sex_text)
            if sex is None:
                row_errors.append(
                    Problem(number, "gioi_tinh", sex_text, _("Giới tính phải là “Nam” hoặc “Nữ”."))
                )
        if pid:
            row_errors += personal_id_problems(number, pid, sex, dob.year if dob else None, warnings=warnings)
            first = seen.get(pid)
            if first is not None:
                row_errors.append(
                    Problem(
                        number,
                        "ma_dinh_danh",
                        pid,
                        _("Số định danh %(pid)s trùng với dòng %(first)d trong cùng tệp.")
                        % {"pid": pid, "first": first},
                    )
                )
            else:
                seen[pid] = number
        school = schools.get(code) if code else None
        if code and school is None:
            row_errors.append(
                Problem(
                    number,
                    "ma_truong",
                    code,
                    _("Không có trường mã «%(code)s» trong cơ sở dữ liệu.") % {"code": code},
                )
            )
        elif school is not None and not school.allowed:
            row_errors.append(
                Problem(
                    number,
                    "ma_truong",
                    code,
                    _("Bạn không có quyền nhập dữ liệu cho trường %(code)s.") % {"code": code},
                )
            )
        elif school is not None and school_years[school.pk] != year:
            row_errors.append(
                Problem(
                    number,
                    "ma_truong",
                    code,
                    _(
                        "Trường %(code)s theo lịch năm học của Sở khác với các dòng trước; hãy nhập riêng tệp của mỗi Sở."
                    )
                    % {"code": code},
                )
            )
        class_key = None
        if class_text:
            if class_text in class_cache:
                parsed_class = class_cache[class_text]
            else:
                parsed_class = class_cache[class_text] = parse_class_name(class_text)
            if parsed_class is None:
                row_errors.append(
                    Problem(
                        number,
                        "lop",
                        class_text,
                        _(
                            "Tên lớp «%(value)s» không đúng dạng khối/lớp, ví dụ 6/1 (mẫu giáo: Mầm 1, Chồi 2, Lá 3)."
                        )
                        % {"value": class_text},
                    )
                )
            elif school is not None:
                grade, class_name = parsed_class
                if grade not in LEVEL_GRADES.get(school.level, frozenset()):
                    row_errors.append(
                        Problem(
                            number,
                            "lop",
                            class_text,
                            _("Trường %(code)s (%(level)s) không dạy khối %(grade)d.")
                            % {"code": code, "level": school.unit.name, "grade": grade},
                        )
                    )
                else:
                    class_key = (school.pk, intern(class_name))
                    plan.grades.setdefault(class_key, grade)
                    if dob is not None and not age_plausible(dob, grade, start_year):
                        row_errors.append(
                            Problem(
                                number,
                                "ngay_sinh",
                                dob_text,
                                _(
                                    "Tuổi theo ngày sinh %(dob)s (%(age)d tuổi năm %(year)d) không phù hợp với khối %(grade)s."
                                )
                                % {
                                    "dob": dob_text,
                                    "age": start_year - dob.year,
                                    "year": start_year,
                                    "grade": grade if grade else _("mầm non"),
                                },
                            )
                        )
        phone = ""
        if phone_text:
            normalised = normalise_phone(phone_text)
            if normalised is None:
                row_errors.append(
                    Problem(
                        number,
                        "dien_thoai",
                        phone_text,
                        _("Số điện thoại «%(value)s» không hợp lệ (di động 10 số, ví dụ 0901234567).")
                        % {"value": phone_text},
                    )
                )
            else:
                phone = normalised
            if not g_name:
                row_errors.append(
                    Problem(number, "ho_ten_cha_me", "", _("Có số điện thoại nhưng chưa nhập họ tên cha mẹ."))
                )
        ethnicity_code = ethnic_cache.get(ethnicity)
        if ethnicity_code is None:
            ethnicity_code = ethnic_cache[ethnicity] = read_code(ethnic_groups, ethnicity)
        if ethnicity_code is None:
            row_errors.append(Problem(number, "dan_toc", ethnicity, unknown_message(ethnicity, _("dân tộc"))))
        ministry = ministry_reader.read(number, values[BASE_COLUMNS:], dob, pid, row_errors)
        if row_errors:
            errors.extend(row_errors)
            continue
        assert school is not None and dob is not None and sex is not None and class_key is not None
        ward_id = None
        ward_name = ""
        if ward_text:
            cache_key = (ward_text, school.pk)
            if cache_key not in ward_cache:
                ward_cache[cache_key] = wards.find(ward_text, school.unit.path)
            ward_id = ward_cache[cache_key]
            if ward_id is None:
                ward_name = intern(ward_text)
                warnings.append(
                    Problem(
                        number,
                        "phuong_xa",
                        ward_text,
                        _("Không tìm thấy phường/xã «%(value)s» trong cây đơn vị; đã giữ dạng văn bản.")
                        % {"value": ward_text},
                    )
                )
        names = name_cache.get(name)
        if names is None:
            full_name = normalise_name(name)
            names = name_cache[name] = (full_name, fold(full_name), name_sort_key(full_name))
        guardian_name = guardian_cache.get(g_name)
        if guardian_name is None:
            guardian_name = guardian_cache[g_name] = normalise_name(g_name)
        plan.school_units[school.pk] = school.unit
        rows.append(
            (
                number,
                pid,
                names[0],
                names[1],
                dob,
                sex,
                intern(ethnicity_code or ""),
                school.pk,
                class_key,
                address,
                ward_id,
                ward_name,
                guardian_name,
                phone,
                names[2],
                *ministry,
            )
        )
    result.rows = count
    ctx.progress("reading", count, count)
    if errors:
        return plan
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


def _cell_problems(number: int, values: tuple[str, ...]) -> list[Problem]:
    found = []
    for column, value in zip(REQUIRED, values, strict=True):
        if column in REQUIRED_VALUES and not value:
            found.append(Problem(number, column, "", _("Chưa nhập %(column)s.") % {"column": column}))
        limit = LIMITS.get(column)
        if limit and len(value) > limit:
            found.append(
                Problem(
                    number,
                    column,
                    value[:60],
                    _("Dài quá %(limit)d ký tự (đang có %(count)d).") % {"limit": limit, "count": len(value)},
                )
            )
    return found


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
    """Everything in one transaction: a failure or a killed process leaves no row of the import behind."""
    if not plan.new and not plan.changed:
        return
    total = len(plan.new) + len(plan.changed)
    ctx.progress("writing", 0, total)
    with transaction.atomic():
        _create_classes(plan)
        if connection.vendor == "postgresql":
            _write_postgresql(ctx, plan, total)
        else:
            _write_orm(ctx, plan, total)
        _audit(ctx, plan)
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


def _student_values(row: tuple[Any, ...], class_id: int) -> dict[str, Any]:
    return {
        "full_name": row[R_NAME],
        "search_name": row[R_SEARCH],
        "sort_key": row[R_SORT],
        "date_of_birth": row[R_DOB],
        "sex": row[R_SEX],
        "ethnicity": row[R_ETHNICITY],
        "address": row[R_ADDRESS],
        "ward_id": row[R_WARD],
        "ward_name": row[R_WARD_NAME],
        "current_class_id": class_id,
        **{name: row[R_MINISTRY + i] for i, name in enumerate(ministry_cells.FIELDS)},
    }


def _batches(items: list[Any], size: int = WRITE_BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _status_note(ctx: ImportContext) -> str:
    return (_("Nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255]


def _write_orm(ctx: ImportContext, plan: Plan, total: int) -> None:
    year, today, note = plan.year, ctx.today, _status_note(ctx)
    done = 0
    for batch in _batches(plan.new):
        students = [
            Student(
                school_id=row[R_SCHOOL],
                personal_id=row[R_PID],
                status=StudentStatus.STUDYING,
                **_student_values(row, plan.classes[row[R_CLASS]]),  # type: ignore[arg-type]
            )
            for row in batch
        ]
        Student.objects.bulk_create(students)
        if any(s.pk is None for s in students):  # a backend that does not return ids
            ids = dict(
                Student.objects.filter(personal_id__in=[s.personal_id for s in students]).values_list(
                    "personal_id", "pk"
                )
            )
            for s in students:
                s.pk = ids[s.personal_id]
        Guardian.objects.bulk_create(
            [
                Guardian(
                    school_id=s.school_id,
                    student_id=s.pk,
                    full_name=row[R_G_NAME],
                    phone=row[R_G_PHONE],
                    relation=GUARDIAN_RELATION,
                    is_primary=True,
                )
                for s, row in zip(students, batch, strict=True)
                if row[R_G_NAME]
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    school_id=s.school_id,
                    student_id=s.pk,
                    year=year,
                    school_class_id=s.current_class_id,
                    start_date=today,
                )
                for s in students
            ]
        )
        StudentStatusEvent.objects.bulk_create(
            [
                StudentStatusEvent(
                    school_id=s.school_id,
                    student_id=s.pk,
                    status=StudentStatus.STUDYING,
                    date=today,
                    note=note,
                )
                for s in students
            ]
        )
        done += len(batch)
        ctx.progress("writing", done, total)
    now = timezone.now()
    for batch in _batches(plan.changed):
        students = []
        for row, pk, _before, _gid in batch:
            student = Student(
                pk=pk,
                school_id=row[R_SCHOOL],
                updated_at=now,
                **_student_values(row, plan.classes[row[R_CLASS]]),
            )  # type: ignore[arg-type]
            students.append(student)
        Student.objects.bulk_update(
            students,
            [
                *(name for name, _p in STUDENT_FIELDS),
                "search_name",
                "sort_key",
                "current_class_id",
                "updated_at",
            ],
        )
        update_guardians = []
        new_guardians = []
        for row, pk, before, gid in batch:
            if "guardian" not in before:
                continue
            if gid is None:
                new_guardians.append(
                    Guardian(
                        school_id=row[R_SCHOOL],
                        student_id=pk,
                        full_name=row[R_G_NAME],
                        phone=row[R_G_PHONE],
                        relation=GUARDIAN_RELATION,
                        is_primary=True,
                    )
                )
            else:
                update_guardians.append(Guardian(pk=gid, full_name=row[R_G_NAME], phone=row[R_G_PHONE]))
        Guardian.objects.bulk_update(update_guardians, ["full_name", "phone"])
        Guardian.objects.bulk_create(new_guardians)
        enrolled = dict(
            Enrolment.objects.filter(year=year, student_id__in=[c[1] for c in batch]).values_list(
                "student_id", "pk"
            )
        )
        moved = []
        enrol = []
        for row, pk, _before, _gid in batch:
            class_id = plan.classes[row[R_CLASS]]
            if pk in enrolled:
                moved.append((enrolled[pk], class_id))
            else:
                enrol.append(
                    Enrolment(
                        school_id=row[R_SCHOOL],
                        student_id=pk,
                        year=year,
                        school_class_id=class_id,
                        start_date=today,
                    )
                )
        if moved:
            Enrolment.objects.bulk_update(
                [Enrolment(pk=e, school_class_id=c) for e, c in moved], ["school_class_id"]
            )
        Enrolment.objects.bulk_create(enrol)
        done += len(batch)
        ctx.progress("writing", done, total)


# Temporary table of the PostgreSQL path: one line per new or changed row.
_TEMP_TABLE = """
CREATE TEMP TABLE import_student (
    personal_id varchar(12) PRIMARY KEY, school_id bigint NOT NULL, full_name varchar(255) NOT NULL,
    search_name varchar(255) NOT NULL, sort_key varchar(255) NOT NULL, date_of_birth date NOT NULL, sex varchar(1) NOT NULL,
    ethnicity varchar(64) NOT NULL, address varchar(255) NOT NULL, ward_id bigint, ward_name varchar(128) NOT NULL,
    class_id bigint NOT NULL, guardian_name varchar(255) NOT NULL, guardian_phone varchar(20) NOT NULL,
    is_new boolean NOT NULL, guardian_changed boolean NOT NULL, student_id bigint,
    nationality varchar(64) NOT NULL, birth_province varchar(8) NOT NULL, birth_commune varchar(128) NOT NULL,
    father_name varchar(255) NOT NULL, father_birth_year smallint, mother_name varchar(255) NOT NULL,
    mother_birth_year smallint, other_document_kind varchar(16) NOT NULL,
    other_document_number varchar(32) NOT NULL
) ON COMMIT DROP
"""
# The Ministry's fields, in the temporary table and in directory_student under the same names.
_M_COLUMNS = ", ".join(ministry_cells.FIELDS)
_M_SET = ", ".join(f"{name} = t.{name}" for name in ministry_cells.FIELDS)


def _write_postgresql(ctx: ImportContext, plan: Plan, total: int) -> None:
    year, today, note = plan.year, ctx.today, _status_note(ctx)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_TEMP_TABLE)
        raw = cursor.connection  # psycopg 3 connection, for COPY
        done = 0
        with (
            raw.cursor() as pg,
            pg.copy(
                "COPY import_student (personal_id, school_id, full_name, search_name, sort_key, date_of_birth, sex,"
                " ethnicity, address, ward_id, ward_name, class_id, guardian_name, guardian_phone, is_new,"
                " guardian_changed, " + _M_COLUMNS + ") FROM STDIN"
            ) as copy,
        ):
            classes = plan.classes
            for row in plan.new:
                copy.write_row(
                    (
                        row[R_PID], row[R_SCHOOL], row[R_NAME], row[R_SEARCH], row[R_SORT], row[R_DOB], row[R_SEX],
                        row[R_ETHNICITY], row[R_ADDRESS], row[R_WARD], row[R_WARD_NAME], classes[row[R_CLASS]],
                        row[R_G_NAME], row[R_G_PHONE], True, bool(row[R_G_NAME]), *row[R_MINISTRY:],
                    )
                )  # fmt: skip
                done += 1
                if done % 10_000 == 0:
                    ctx.progress("writing", done // 2, total)
            for row, _pk, before, _gid in plan.changed:
                copy.write_row(
                    (
                        row[R_PID], row[R_SCHOOL], row[R_NAME], row[R_SEARCH], row[R_SORT], row[R_DOB], row[R_SEX],
                        row[R_ETHNICITY], row[R_ADDRESS], row[R_WARD], row[R_WARD_NAME], classes[row[R_CLASS]],
                        row[R_G_NAME], row[R_G_PHONE], False, "guardian" in before, *row[R_MINISTRY:],
                    )
                )  # fmt: skip
        ctx.progress("writing", total // 2, total)
        cursor.execute("ANALYZE import_student")
        cursor.execute(
            f"""
            INSERT INTO directory_student (school_id, personal_id, ministry_code, full_name, search_name,
                sort_key, date_of_birth, sex, ethnicity, place_of_birth, address, ward_id, ward_name,
                disability, policy_groups, status, current_class_id, created_at, updated_at, {_M_COLUMNS})
            SELECT school_id, personal_id, '', full_name, search_name, sort_key, date_of_birth, sex, ethnicity, '',
                address, ward_id, ward_name, '', '[]'::jsonb, %s, class_id, %s, %s, {_M_COLUMNS}
            FROM import_student WHERE is_new ORDER BY personal_id
            """,  # noqa: S608 — column names from ministry_cells.FIELDS, values as parameters
            [StudentStatus.STUDYING, now, now],
        )
        cursor.execute(
            f"""
            UPDATE directory_student s SET full_name = t.full_name, search_name = t.search_name,
                sort_key = t.sort_key,
                date_of_birth = t.date_of_birth, sex = t.sex, ethnicity = t.ethnicity, address = t.address,
                ward_id = t.ward_id, ward_name = t.ward_name, current_class_id = t.class_id, updated_at = %s,
                {_M_SET}
            FROM import_student t WHERE s.personal_id = t.personal_id AND NOT t.is_new
            """,  # noqa: S608 — column names from ministry_cells.FIELDS, values as parameters
            [now],
        )
        cursor.execute(
            "UPDATE import_student t SET student_id = s.id FROM directory_student s WHERE s.personal_id = t.personal_id"
        )
        ctx.progress("writing", total * 3 // 4, total)
        # The first (lowest id) primary guardian is the one the file's columns describe.
        cursor.execute(
            """
            UPDATE directory_guardian g SET full_name = t.guardian_name, phone = t.guardian_phone
            FROM import_student t
            WHERE t.guardian_changed AND NOT t.is_new AND g.id = (
                SELECT min(p.id) FROM directory_guardian p WHERE p.student_id = t.student_id AND p.is_primary)
            """
        )
        cursor.execute(
            """
            INSERT INTO directory_guardian (school_id, student_id, full_name, relation, phone, is_primary)
            SELECT t.school_id, t.student_id, t.guardian_name, %s, t.guardian_phone, true
            FROM import_student t
            WHERE t.guardian_changed AND NOT EXISTS (
                SELECT 1 FROM directory_guardian p WHERE p.student_id = t.student_id AND p.is_primary)
            ORDER BY t.student_id
            """,
            [GUARDIAN_RELATION],
        )
        cursor.execute(
            """
            UPDATE directory_enrolment e SET school_class_id = t.class_id
            FROM import_student t
            WHERE NOT t.is_new AND e.student_id = t.student_id AND e.year_id = %s AND e.school_class_id <> t.class_id
            """,
            [year.pk],
        )
        cursor.execute(
            """
            INSERT INTO directory_enrolment (school_id, student_id, year_id, school_class_id, start_date)
            SELECT t.school_id, t.student_id, %s, t.class_id, %s FROM import_student t
            WHERE NOT EXISTS (
                SELECT 1 FROM directory_enrolment e WHERE e.student_id = t.student_id AND e.year_id = %s)
            ORDER BY t.student_id
            """,
            [year.pk, today, year.pk],
        )
        cursor.execute(
            """
            INSERT INTO directory_studentstatusevent
                (school_id, student_id, status, date, note, created_at, correction_reason)
            SELECT school_id, student_id, %s, %s, %s, %s, '' FROM import_student WHERE is_new ORDER BY student_id
            """,
            [StudentStatus.STUDYING, today, note, now],
        )
        cursor.execute("DROP TABLE import_student")


def _audit(ctx: ImportContext, plan: Plan) -> None:
    """One line per changed student (old → new); one line for all new students of the file."""
    for row, pk, before, _gid in plan.changed:
        student = Student(pk=pk, full_name=row[R_NAME], school=plan.school_units[row[R_SCHOOL]])
        after = {key: _after_value(row, key, plan) for key in before}
        audit.record(
            actor=ctx.actor,
            action=AuditAction.UPDATE,
            obj=student,
            changes=audit.diff(before, after),
            note=(_("Cập nhật khi nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255],
        )
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


def _after_value(row: tuple[Any, ...], key: str, plan: Plan) -> Any:
    if key == "current_class_id":
        return plan.classes[row[R_CLASS]]
    if key == "guardian":
        return [row[R_G_NAME], row[R_G_PHONE]]
    return row[dict(STUDENT_FIELDS)[key]]
