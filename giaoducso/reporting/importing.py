"""A school's IT asset inventory from an XLSX sheet, one kind per sheet: computers, cameras, the network
and its IT staff, websites, e-mail domains. All rows or none, with a row-by-row report.

Every kind goes through one reader: the upload checked by `core.uploads` (content, size), the sheet read by
the directory's import readers (headers matched without case or accents, in any order; rows streamed, never
wider than their column bound), problems worded by the directory's import report. Each row is written by
the same service as the screen's form, inside one transaction that is rolled back when any row is refused.
The columns are those of the matching export (`exporting.INVENTORY`), so an exported sheet comes back in;
`ma_truong` and `ten_truong` are accepted, and `ma_truong`, when given, must be the school's.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.uploads import check_upload
from giaoducso.directory.importing.readers import TooManyRows, open_table
from giaoducso.directory.importing.report import FileProblem, Problem, ProblemList
from rules.text import fold

from .models import AssetCondition, ComputerKind
from .services.assets import (
    asset_profile_save,
    camera_add,
    computer_add,
    mail_domain_add,
    website_add,
)

# Read at each call (the upload budget tests lower them).
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 50
SCHOOL_COLUMNS = ("ma_truong", "ten_truong")

Row = dict[str, str]


@dataclass(frozen=True)
class Sheet:
    """One kind of the inventory as a sheet: its columns and how a row is written."""

    title: Promise
    columns: tuple[str, ...]  # read, in the export's order
    required: tuple[str, ...]
    write: Callable[[Actor, Unit, Row], Any]
    # A service's error field → the sheet's column, so that the report names the column to fix.
    fields: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()  # export-only columns (figures the platform computes)
    one_row: bool = False


def _code(value: str, choices: type[ComputerKind] | type[AssetCondition]) -> str:
    text = fold(value)
    for code, label in choices.choices:
        if text in (code, fold(str(label))):
            return code
    return value


_YES = {"co", "x", "1", "yes", "true", "dung"}
_NO = {"", "khong", "0", "no", "false", "sai"}


def _yes_no(value: str, column: str, label: str) -> bool:
    text = fold(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError({column: _("«%(label)s» ghi Có hoặc Không.") % {"label": label}})


def _computer(actor: Actor, school: Unit, row: Row) -> Any:
    return computer_add(
        actor=actor,
        school=school,
        kind=_code(row["loai_may"], ComputerKind),
        condition=_code(row["tinh_trang"], AssetCondition),
        specification=row.get("cau_hinh", ""),
        year=row.get("nam", ""),
        room=row.get("phong", ""),
        quantity=row.get("so_luong") or 1,
        today_year=dt.date.today().year + 1,
    )


def _camera(actor: Actor, school: Unit, row: Row) -> Any:
    return camera_add(
        actor=actor,
        school=school,
        location=row["vi_tri"],
        count=row["so_camera"],
        resolution_mp=row["do_phan_giai_mp"],
        storage_days=row["so_ngay_luu_tru"],
    )


NETWORK_FIELDS = {
    "nha_cung_cap": "network_provider",
    "cap_quang": "has_fibre",
    "bang_thong_mbps": "bandwidth_mbps",
    "lanh_dao_cntt": "it_leader_name",
    "nhan_vien_cntt": "it_staff_name",
}


def _network(actor: Actor, school: Unit, row: Row) -> Any:
    # A column the sheet lacks leaves that part of the profile as it is.
    values: dict[str, Any] = {NETWORK_FIELDS[c]: v for c, v in row.items() if c in NETWORK_FIELDS}
    if "has_fibre" in values:
        values["has_fibre"] = _yes_no(values["has_fibre"], "has_fibre", _("Cáp quang"))
    return asset_profile_save(actor=actor, school=school, values=values)


def _website(actor: Actor, school: Unit, row: Row) -> Any:
    return website_add(actor=actor, school=school, url=row["dia_chi"])


def _mail_domain(actor: Actor, school: Unit, row: Row) -> Any:
    return mail_domain_add(actor=actor, school=school, domain=row["ten_mien"])


SHEETS: dict[str, Sheet] = {
    "computers": Sheet(
        gettext_lazy("Máy tính"),
        ("loai_may", "cau_hinh", "nam", "tinh_trang", "phong", "so_luong"),
        ("loai_may", "tinh_trang"),
        _computer,
        {"kind": "loai_may", "condition": "tinh_trang", "year": "nam", "quantity": "so_luong"},
    ),
    "cameras": Sheet(
        gettext_lazy("Camera"),
        ("vi_tri", "so_camera", "do_phan_giai_mp", "so_ngay_luu_tru"),
        ("vi_tri", "so_camera", "do_phan_giai_mp", "so_ngay_luu_tru"),
        _camera,
        {
            "location": "vi_tri",
            "count": "so_camera",
            "resolution_mp": "do_phan_giai_mp",
            "storage_days": "so_ngay_luu_tru",
        },
        ignored=("dat_chuan",),
    ),
    "network": Sheet(
        gettext_lazy("Kết nối mạng và người phụ trách CNTT"),
        tuple(NETWORK_FIELDS),
        (),
        _network,
        {v: k for k, v in NETWORK_FIELDS.items()},
        one_row=True,
    ),
    "websites": Sheet(
        gettext_lazy("Website"),
        ("dia_chi",),
        ("dia_chi",),
        _website,
        {"url": "dia_chi"},
        ignored=("ten_mien_nganh", "chung_chi_hop_le", "so_ngay_con_lai", "loi", "kiem_tra_luc"),
    ),
    "domains": Sheet(
        gettext_lazy("Tên miền thư điện tử"),
        ("ten_mien",),
        ("ten_mien",),
        _mail_domain,
        {"domain": "ten_mien"},
        ignored=("ten_mien_nganh",),
    ),
}


@dataclass
class InventoryImport:
    kind: str
    added: int = 0
    already: int = 0  # websites and domains the inventory already had


@contextmanager
def _on_disk(upload: UploadedFile) -> Iterator[Path]:
    """The readers take a path: the upload's own temporary file, or a copy of the one held in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        upload.seek(0)
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def _duplicate(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and all(
        e.code == "duplicate" for errors in error.error_dict.values() for e in errors
    )


def inventory_import(*, actor: Actor, school: Unit, kind: str, upload: UploadedFile) -> InventoryImport:
    """Writes every row of the sheet, or nothing: ValidationError with each refused row and column."""
    sheet = SHEETS.get(kind)
    if sheet is None:
        raise ValidationError(_("Loại danh mục không hợp lệ."))
    check_upload(upload, kinds={"xlsx"}, max_bytes=MAX_BYTES)
    result = InventoryImport(kind=kind)
    problems: ProblemList[Problem] = ProblemList(MAX_PROBLEMS)
    limit = MAX_ROWS
    with _on_disk(upload) as path, transaction.atomic():
        try:
            table = open_table(
                path, "tep.xlsx", (*SCHOOL_COLUMNS, *sheet.columns, *sheet.ignored), sheet.required
            )
            rows = 0
            for number, values in table.rows:
                if number - 1 > limit:
                    raise TooManyRows(limit)
                rows += 1
                row = {c: v for c, v in zip(table.columns, values, strict=True) if c not in table.absent}
                if sheet.one_row and rows > 1:
                    problems.append(
                        Problem(
                            number,
                            "",
                            "",
                            _("Mỗi trường chỉ có một dòng «%(what)s».") % {"what": sheet.title},
                        )
                    )
                    continue
                code = row.get("ma_truong", "")
                if code and code != school.code:
                    message = _("Dòng của trường %(code)s, không phải của %(school)s.") % {
                        "code": code,
                        "school": school.code,
                    }
                    problems.append(Problem(number, "ma_truong", code, message))
                    continue
                # Each service validates before it writes (or writes in its own transaction), so a refused
                # row leaves nothing behind and the rows after it are still checked.
                try:
                    sheet.write(actor, school, row)
                    result.added += 1
                except ValidationError as error:
                    if _duplicate(error):
                        result.already += 1
                        continue
                    for name, messages in error.message_dict.items():
                        column = sheet.fields.get(name, "" if name == "__all__" else name)
                        for message in messages:
                            problems.append(Problem(number, column, row.get(column, ""), message))
            if not rows:
                raise FileProblem(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        except FileProblem as exc:
            transaction.set_rollback(True)
            raise ValidationError(str(exc)) from None
        if problems:
            transaction.set_rollback(True)
    if problems:
        lines = [p.text() for p in problems]
        if problems.omitted:
            lines.append(_("… và %(n)s lỗi khác.") % {"n": problems.omitted})
        raise ValidationError(lines)
    return result


def computers_import(*, actor: Actor, school: Unit, upload: UploadedFile) -> int:
    """The computers sheet (kept for callers of the first version): the number of lines added."""
    return inventory_import(actor=actor, school=school, kind="computers", upload=upload).added
