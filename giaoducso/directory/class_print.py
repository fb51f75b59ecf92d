"""The printable class list ("Danh sách lớp"), as PDF (core.pdf) and as XLSX, from one description.

The layout of an administrative list: the governing unit and the school on the left, the national title on
the right, the list's title with the class and the school year, one row per pupil in name order (STT, full
name, date of birth dd/mm/yyyy, sex), then the place and date and the signatures of the homeroom teacher
and the principal. Only the basic fields (privacy rule): whoever may see the class's pupils may print it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from giaoducso.core import pdf
from giaoducso.core.exports import _cell_value

from .models import School, SchoolClass

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TEMPLATE = "directory/class_print.html"


@dataclass(frozen=True)
class PupilRow:
    number: int
    full_name: str
    date_of_birth: str
    sex: str


@dataclass(frozen=True)
class ClassSheet:
    governing_unit: str
    school_name: str
    class_name: str
    year_name: str
    homeroom_teacher: str
    principal: str
    date_line: str
    rows: list[PupilRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("DANH SÁCH LỚP %(name)s") % {"name": self.class_name}

    @property
    def subtitle(self) -> str:
        return _("Năm học %(year)s") % {"year": self.year_name}

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() else "-" for c in self.class_name)
        return f"danh-sach-lop-{safe}"


def _date_line(today: dt.date) -> str:
    return _("Ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": today.day, "m": today.month, "y": today.year}


def class_sheet(school_class: SchoolClass, students: Any, today: dt.date | None = None) -> ClassSheet:
    """The list of `school_class` with `students` (already scoped, in name order)."""
    school = school_class.school
    parent = school.parent
    record = School.objects.filter(unit=school).only("principal_name").first()
    rows = [
        PupilRow(number, s.full_name, s.date_of_birth.strftime("%d/%m/%Y"), str(s.get_sex_display()))
        for number, s in enumerate(students, start=1)
    ]
    teacher = school_class.homeroom_teacher
    return ClassSheet(
        governing_unit=(parent.name if parent else "").upper(),
        school_name=school.name.upper(),
        class_name=school_class.name,
        year_name=school_class.year.name,
        homeroom_teacher=teacher.full_name if teacher else "",
        principal=record.principal_name if record else "",
        date_line=_date_line(today or timezone.localdate()),
        rows=rows,
    )


def class_list_pdf(sheet: ClassSheet) -> bytes:
    return pdf.render_pdf(TEMPLATE, {"sheet": sheet, "nation": NATION, "motto": MOTTO})


def class_list_html(sheet: ClassSheet) -> str:
    return pdf.render_html(TEMPLATE, {"sheet": sheet, "nation": NATION, "motto": MOTTO})


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def class_list_xlsx(sheet: ClassSheet) -> bytes:
    """The same list as a worksheet ready to print on A4: heading rows merged over the table's width."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Danh sách lớp")[:31]
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    for column, width in zip("ABCD", (7, 36, 16, 12), strict=True):
        ws.column_dimensions[column].width = width
    bold = Font(bold=True)

    def put(row: int, left: str, right: str, *, bold_left: bool = True, bold_right: bool = True) -> None:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
        ws.cell(row, 1, left).font = Font(bold=bold_left)
        ws.cell(row, 3, right).font = Font(bold=bold_right)
        ws.cell(row, 1).alignment = ws.cell(row, 3).alignment = _CENTRE

    put(1, sheet.governing_unit, NATION, bold_left=False)
    put(2, sheet.school_name, MOTTO)
    for row, text in ((4, sheet.title), (5, sheet.subtitle)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.cell(row, 1, text).font = Font(bold=True, size=14 if row == 4 else 12)
        ws.cell(row, 1).alignment = _CENTRE
    header = 7
    for column, label in enumerate((_("STT"), _("Họ và tên"), _("Ngày sinh"), _("Giới tính")), start=1):
        cell = ws.cell(header, column, label)
        cell.font, cell.border, cell.alignment = bold, _BOX, _CENTRE
    for offset, pupil in enumerate(sheet.rows, start=1):
        values = (pupil.number, _cell_value(pupil.full_name), pupil.date_of_birth, pupil.sex)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(header + offset, column, value)
            cell.border = _BOX
            if column != 2:
                cell.alignment = _CENTRE
    ws.print_title_rows = f"{header}:{header}"
    row = header + len(sheet.rows) + 2
    put(row, "", sheet.date_line, bold_right=False)
    put(row + 1, _("GIÁO VIÊN CHỦ NHIỆM"), _("HIỆU TRƯỞNG"))
    put(row + 2, _("(Ký, ghi rõ họ tên)"), _("(Ký tên, đóng dấu)"), bold_left=False, bold_right=False)
    put(row + 6, sheet.homeroom_teacher, sheet.principal)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pupils_of(school_class: SchoolClass, user: Any) -> Any:
    """The class's pupils the user may both see and export, in name order."""
    from giaoducso.core.roles import Perm
    from giaoducso.core.scoping import scoped

    from .selectors.homeroom import class_students

    students = scoped(class_students(school_class=school_class), user, Perm.VIEW_STUDENT)
    return list(scoped(students, user, Perm.EXPORT_DATA))
