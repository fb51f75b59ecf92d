"""The file to fill in for each import ("tệp mẫu"), generated from the importer's own definitions.

One generator for every kind in `service.KINDS`: the header row is the importer's `COLUMNS` (the names its
reader matches), the required columns are its `REQUIRED_VALUES`, and the allowed values of a coded column
are the labels the importer's own parser accepts (a label it would refuse is left out, so the list cannot
promise what the check refuses). What a kind adds here is only what no definition holds: an example row
and the reference lists. `tests/test_import_templates.py` runs each template's example row, and each listed
value in it, through the importer's check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from types import ModuleType
from typing import Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from giaoducso.core.models import Unit
from giaoducso.core.scoping import units_for
from rules.identifiers import make_personal_id
from rules.students import DEFAULT_AGE_RULE, LEVEL_GRADES
from rules.text import fold

from .. import selectors
from ..models import Ownership, School, SchoolLevel, Sex
from . import schools, service
from .common import parse_sex
from .jobs import PERMS

EXAMPLE_PROVINCE = "079"  # any province code the identifier check knows; the example's, not the user's


@dataclass(frozen=True)
class Example:
    """What an example row may depend on: the school the user imports into, and today."""

    school: Unit | None
    level: str
    year_start: int
    today: dt.date


@dataclass(frozen=True)
class Coded:
    """A column whose value is one of a list: the labels of `choices` that `accepts` takes."""

    choices: type[Choices]
    accepts: Callable[[str], bool]

    def values(self) -> list[str]:
        return [str(label) for label in self.choices.labels if self.accepts(str(label))]


@dataclass(frozen=True)
class TemplateSpec:
    example: Callable[[Example], dict[str, str]]
    coded: dict[str, Coded] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)  # column → how to write it
    lists_schools: bool = True  # ma_truong refers to an existing school the user may import into


def _grade_and_class(level: str) -> tuple[int, str]:
    grade = min(LEVEL_GRADES.get(level) or {6})
    return grade, (f"{grade}/1" if grade else "Lá 1")


def _student_example(ex: Example) -> dict[str, str]:
    grade, class_name = _grade_and_class(ex.level)
    low, high = DEFAULT_AGE_RULE.age_range(grade)
    born = dt.date(ex.year_start - (low + high) // 2, 3, 15)
    return {
        "ma_dinh_danh": make_personal_id(EXAMPLE_PROVINCE, Sex.FEMALE, born.year, 1),
        "ho_ten": "Nguyễn Thị Mẫu",
        "ngay_sinh": born.strftime("%d/%m/%Y"),
        "gioi_tinh": str(Sex.FEMALE.label),
        "dan_toc": "Kinh",
        "ma_truong": ex.school.code if ex.school else "",
        "lop": class_name,
        "dia_chi": "12 Đường Mẫu",
        "phuong_xa": "",
        "ho_ten_cha_me": "Nguyễn Văn Mẫu",
        "dien_thoai": "0901234567",
    }


def _staff_example(ex: Example) -> dict[str, str]:
    born = dt.date(ex.today.year - 35, 3, 2)
    return {
        "ma_dinh_danh": make_personal_id(EXAMPLE_PROVINCE, Sex.FEMALE, born.year, 2),
        "ho_ten": "Trần Thị Mẫu",
        "ngay_sinh": born.strftime("%d/%m/%Y"),
        "gioi_tinh": str(Sex.FEMALE.label),
        "ma_truong": ex.school.code if ex.school else "",
        "vi_tri_viec_lam": "Giáo viên",
        "loai_hop_dong": "Viên chức",
        "trinh_do": "Đại học",
        "mon_day": "Toán",
        "dien_thoai": "0901234568",
        "email": "mau@example.edu.vn",
    }


def _school_example(ex: Example) -> dict[str, str]:
    return {
        # A new code: importing the example unchanged adds a school, it never overwrites a real one.
        "ma_truong": "MAU0001",
        "ten_truong": "Trường THCS Mẫu",
        "cap_hoc": str(SchoolLevel.LOWER_SECONDARY.label),
        "loai_hinh": str(Ownership.PUBLIC.label),
        "phuong_xa": "",
        "dia_chi": "1 Đường Mẫu",
        "dien_thoai": "02838123456",
        "email": "thcs.mau@example.edu.vn",
        "hieu_truong": "Lê Văn Mẫu",
    }


SEX = Coded(Sex, lambda label: parse_sex(label) is not None)
DATE_HINT = gettext_lazy("Ngày dạng dd/mm/yyyy, ví dụ 05/09/2014.")
SPECS: dict[str, TemplateSpec] = {
    "students": TemplateSpec(
        _student_example,
        coded={"gioi_tinh": SEX},
        hints={
            "ngay_sinh": DATE_HINT,
            "lop": gettext_lazy("Khối/lớp, ví dụ 6/1; mẫu giáo: Mầm 1, Chồi 2, Lá 3."),
            "ma_dinh_danh": gettext_lazy("12 chữ số, khớp giới tính và năm sinh."),
        },
    ),
    "staff": TemplateSpec(
        _staff_example,
        coded={"gioi_tinh": SEX},
        hints={
            "ngay_sinh": DATE_HINT,
            "ma_dinh_danh": gettext_lazy("12 chữ số, khớp giới tính và năm sinh."),
        },
    ),
    "schools": TemplateSpec(
        _school_example,
        coded={
            "cap_hoc": Coded(SchoolLevel, lambda label: fold(label) in schools.LEVELS),
            "loai_hinh": Coded(Ownership, lambda label: fold(label) in schools.OWNERSHIPS),
        },
        hints={"ma_truong": gettext_lazy("Chữ và số, tối đa 12 ký tự; mã đã có thì cập nhật trường đó.")},
        lists_schools=False,
    ),
}
FILENAMES = {"students": "mau-nhap-hoc-sinh", "staff": "mau-nhap-can-bo", "schools": "mau-nhap-truong"}


def import_schools_of(user: Any, kind: str) -> list[Unit]:
    """The schools whose data `user` may import with this kind (the reference list of ma_truong)."""
    units = units_for(user, PERMS[kind]).filter(kind="school", school_record__isnull=False)
    return list(units.order_by("code")[:5000])


def _example_context(school: Unit | None) -> Example:
    today = timezone.localdate()
    year = selectors.current_year_for(school) if school is not None else None
    record = School.objects.filter(unit=school).only("level").first() if school is not None else None
    return Example(
        school=school,
        level=record.level if record else SchoolLevel.LOWER_SECONDARY,
        year_start=year.start_date.year if year else today.year,
        today=today,
    )


def template_xlsx(kind: str, *, user: Any) -> bytes:
    """The template of `kind` for `user`: their own schools in the example and the reference list."""
    module: ModuleType = service.KINDS[kind]
    spec = SPECS[kind]
    school_units = import_schools_of(user, kind) if spec.lists_schools else []
    example = spec.example(_example_context(school_units[0] if school_units else None))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dữ liệu")
    bold = Font(bold=True)
    for index, column in enumerate(module.COLUMNS, start=1):
        cell = sheet.cell(1, index, column)
        cell.font = bold
        note = spec.hints.get(column)
        required = column in module.REQUIRED_VALUES
        text = " ".join(t for t in (_("Bắt buộc.") if required else "", str(note or "")) if t)
        if text:
            cell.comment = Comment(text, "Giáo Dục Số")
        value = sheet.cell(2, index, example.get(column, ""))
        value.number_format = "@"  # text: identifiers keep their leading zeros, dates stay dd/mm/yyyy
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column) + 4)
    _reference_sheet(workbook, module, spec, school_units)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _reference_sheet(
    workbook: Workbook, module: ModuleType, spec: TemplateSpec, units: Iterable[Unit]
) -> None:
    sheet = workbook.create_sheet(_("Giá trị hợp lệ"))
    sheet.append([_("Cột"), _("Giá trị"), _("Ghi chú")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in module.COLUMNS:
        if column in spec.coded:
            for value in spec.coded[column].values():
                sheet.append([column, value, ""])
        elif column == "ma_truong" and spec.lists_schools:
            for unit in units:
                sheet.append([column, unit.code, unit.name])
        elif column in spec.hints or column in module.REQUIRED_VALUES:
            required = _("Bắt buộc.") if column in module.REQUIRED_VALUES else ""
            sheet.append([column, "", " ".join(t for t in (required, str(spec.hints.get(column, ""))) if t)])
    for letter, width in (("A", 18), ("B", 40), ("C", 60)):
        sheet.column_dimensions[letter].width = width
