"""The student import's check of one row, step by step: the cells, the person (common.PersonReader, shared
with the staff import), the school, the class, the guardian's phone, the ethnicity, the Ministry's cells, the
ward. Each step reads its cells, appends its problems and
returns what it read; `RowReader.read` runs them in order and builds the compact row the plan keeps.

A file repeats the same schools, classes, names and places thousands of times, so each step caches what it
derived from a distinct text: the work per row is a few dictionary look-ups once a file is under way.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.utils.translation import gettext as _

from rules import codelists, fields
from rules.students import LEVEL_GRADES, parse_class_name
from rules.text import name_columns, normalise_name

from ..models import SchoolYear
from ..services.codes import read_code, unknown_message
from . import ministry_cells
from .common import (
    ImportContext,
    PersonReader,
    WardIndex,
    cell_problems,
    field_problem,
    school_problem,
    unknown_ward,
)
from .report import Problem

ClassKey = tuple[int, str]  # (school id, class name)


class RowReader:
    """Checks rows of one file against the schools, the year and the code lists, with the caches a file
    needs. `grades` collects the grade of each class the rows name (the plan creates missing classes)."""

    def __init__(
        self,
        *,
        ctx: ImportContext,
        schools: dict[str, Any],
        school_years: dict[int, SchoolYear | None],
        year: SchoolYear,
        grades: dict[ClassKey, int],
        warnings: list[Problem],
        columns: tuple[str, ...],
        required: tuple[str, ...],
        limits: dict[str, int],
    ) -> None:
        self.schools = schools
        self.school_years = school_years
        self.year = year
        self.start_year = year.start_date.year
        self.grades = grades
        self.warnings = warnings
        self.columns, self.required, self.limits = columns, required, limits
        self.base_columns = len(columns)
        self.required_at = [columns.index(c) for c in required]
        self.shortest_limit = min(limits.values())
        self.person = PersonReader(ctx.today, warnings)
        self.wards = WardIndex()
        self.ethnic_groups = codelists.ethnic_groups()
        self.ministry = ministry_cells.Reader()
        self.school_units: dict[int, Any] = {}
        self._classes: dict[str, tuple[int, str] | None] = {}
        self._names: dict[str, tuple[str, str, str]] = {}  # raw → (stored name, search key, sort key)
        self._guardians: dict[str, str] = {}
        self._ethnicities: dict[str, str | None] = {}
        self._wards: dict[tuple[str, int], int | None] = {}

    # The steps -------------------------------------------------------------------------------------------

    def school(self, number: int, code: str, errors: list[Problem]) -> Any:
        """The school of the row, if it exists, the user may change it and it follows the file's calendar."""
        school = self.schools.get(code) if code else None
        problem = school_problem(number, code, school is not None, lambda: bool(school.allowed))
        if problem is None and school is not None and self.school_years[school.pk] != self.year:
            problem = Problem(
                number,
                "ma_truong",
                code,
                _(
                    "Trường %(code)s theo lịch năm học của Sở khác với các dòng trước; hãy nhập riêng tệp của mỗi Sở."
                )
                % {"code": code},
            )
        if problem is not None:
            errors.append(problem)
        return school

    def school_class(
        self,
        number: int,
        class_text: str,
        school: Any,
        dob: dt.date | None,
        dob_text: str,
        errors: list[Problem],
    ) -> ClassKey | None:
        """The class as (school, name): a well-formed name, a grade the school teaches, an age for the grade."""
        if not class_text:
            return None
        if class_text in self._classes:
            parsed = self._classes[class_text]
        else:
            parsed = self._classes[class_text] = parse_class_name(class_text)
        if parsed is None:
            errors.append(
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
            return None
        if school is None:
            return None
        grade, class_name = parsed
        if grade not in LEVEL_GRADES.get(school.level, frozenset()):
            errors.append(
                Problem(
                    number,
                    "lop",
                    class_text,
                    _("Trường %(code)s (%(level)s) không dạy khối %(grade)d.")
                    % {"code": school.unit.code, "level": school.unit.name, "grade": grade},
                )
            )
            return None
        key = (school.pk, sys.intern(class_name))
        self.grades.setdefault(key, grade)
        if dob is not None:
            age = field_problem(
                number,
                "ngay_sinh",
                dob_text,
                fields.student_age("date_of_birth", dob, grade, self.start_year),
            )
            if age is not None:
                errors.append(age)
        return key

    def guardian_phone(self, number: int, phone_text: str, guardian_name: str, errors: list[Problem]) -> str:
        """The phone as stored; a phone needs the name of the parent it belongs to."""
        if not phone_text:
            return ""
        phone, problem = fields.phone("dien_thoai", phone_text)
        bad = field_problem(number, "dien_thoai", phone_text, problem)
        if bad is not None:
            errors.append(bad)
        if not guardian_name:
            errors.append(
                Problem(number, "ho_ten_cha_me", "", _("Có số điện thoại nhưng chưa nhập họ tên cha mẹ."))
            )
        return phone

    def ethnicity(self, number: int, text: str, errors: list[Problem]) -> str | None:
        code = self._ethnicities.get(text)
        if code is None:
            code = self._ethnicities[text] = read_code(self.ethnic_groups, text)
        if code is None:
            errors.append(Problem(number, "dan_toc", text, unknown_message(text, _("dân tộc"))))
        return code

    def ward(self, number: int, ward_text: str, school: Any) -> tuple[int | None, str]:
        """The ward unit nearest the school, or the text kept as written (with a warning)."""
        if not ward_text:
            return None, ""
        key = (ward_text, school.pk)
        if key not in self._wards:
            self._wards[key] = self.wards.find(ward_text, school.unit.path)
        ward_id = self._wards[key]
        if ward_id is not None:
            return ward_id, ""
        self.warnings.append(unknown_ward(number, ward_text))
        return None, sys.intern(ward_text)

    def names(self, name: str, guardian_name: str) -> tuple[tuple[str, str, str], str]:
        columns = self._names.get(name)
        if columns is None:
            derived = name_columns(name)
            columns = self._names[name] = (derived["full_name"], derived["search_name"], derived["sort_key"])
        guardian = self._guardians.get(guardian_name)
        if guardian is None:
            guardian = self._guardians[guardian_name] = normalise_name(guardian_name)
        return columns, guardian

    # The row ------------------------------------------------------------------------------------------------

    def read(self, number: int, values: tuple[str, ...], errors: list[Problem]) -> tuple[Any, ...] | None:
        """The checked row (positions R_* of importing.students), or None with its problems in `errors`."""
        pid, name, dob_text, sex_text, ethnicity, code, class_text, address, ward_text, g_name, phone_text = (
            values[: self.base_columns]
        )
        row_errors: list[Problem] = []
        # Fast path: the cell-by-cell loop runs only for a row that is short of a value or too long.
        if not all(values[i] for i in self.required_at) or max(map(len, values)) > self.shortest_limit:
            row_errors += cell_problems(
                number, self.columns, values[: self.base_columns], self.required, self.limits
            )
        dob, sex = self.person.read(number, pid, dob_text, sex_text, row_errors)
        school = self.school(number, code, row_errors)
        class_key = self.school_class(number, class_text, school, dob, dob_text, row_errors)
        phone = self.guardian_phone(number, phone_text, g_name, row_errors)
        ethnicity_code = self.ethnicity(number, ethnicity, row_errors)
        ministry = self.ministry.read(number, values[self.base_columns :], dob, pid, row_errors)
        if row_errors:
            errors.extend(row_errors)
            return None
        assert school is not None and dob is not None and sex is not None and class_key is not None
        ward_id, ward_name = self.ward(number, ward_text, school)
        names, guardian_name = self.names(name, g_name)
        self.school_units[school.pk] = school.unit
        return (
            number,
            pid,
            names[0],
            names[1],
            dob,
            sex,
            sys.intern(ethnicity_code or ""),
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
