"""The student import's columns of the Ministry's student sheet: nationality, place of birth, the parents,
the document held instead of a personal identifier. Optional in the header: a file without them leaves
those fields of an existing student as they are (see students._classify)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from rules import codelists
from rules.identity import check_parent_birth_year
from rules.text import fold, normalise_name

from ..models import OtherDocument
from ..services.codes import read_code, unknown_message
from .common import too_long
from .report import Problem

# (column, model field)
CELLS = (
    ("quoc_tich", "nationality"),
    ("noi_sinh_tinh", "birth_province"),
    ("noi_sinh_xa", "birth_commune"),
    ("ho_ten_cha", "father_name"),
    ("nam_sinh_cha", "father_birth_year"),
    ("ho_ten_me", "mother_name"),
    ("nam_sinh_me", "mother_birth_year"),
    ("loai_giay_to", "other_document_kind"),
    ("so_giay_to", "other_document_number"),
)
COLUMNS = tuple(column for column, _field in CELLS)
FIELDS = tuple(field for _column, field in CELLS)
# What a new student gets when the file has no such column or leaves the cell empty.
DEFAULTS: dict[str, Any] = dict.fromkeys(FIELDS, "") | {
    "nationality": codelists.VIETNAM,
    "father_birth_year": None,
    "mother_birth_year": None,
}
LIMITS = {"noi_sinh_xa": 128, "ho_ten_cha": 255, "ho_ten_me": 255, "so_giay_to": 32}
_DOCUMENTS = {fold(str(label)): value for value, label in OtherDocument.choices} | {
    value: value for value in OtherDocument.values
}

_FIELD_OF = dict(CELLS)


class Reader:
    """Reads the cells of one row; caches what repeats (nationalities, provinces, names)."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], str | None] = {}
        # Built once per file, not once per row: the lists and the words of the messages.
        self._places = (
            ("quoc_tich", "nationality", codelists.nationalities(), _("quốc tịch")),
            ("noi_sinh_tinh", "birth_province", codelists.provinces(), _("tỉnh/thành phố")),
        )
        self._parents = (("ho_ten_cha", "nam_sinh_cha", _("cha")), ("ho_ten_me", "nam_sinh_me", _("mẹ")))

    def _code(self, codes: codelists.CodeList, value: str) -> str | None:
        key = (codes.name, value)
        if key not in self._codes:
            self._codes[key] = read_code(codes, value)
        return self._codes[key]

    def read(
        self, number: int, cells: tuple[str, ...], dob: dt.date | None, pid: str, errors: list[Problem]
    ) -> tuple[Any, ...]:
        """The row's values in FIELDS order; problems go to `errors`."""
        values = dict(zip(COLUMNS, cells, strict=True))
        out: dict[str, Any] = {}
        for column, limit in LIMITS.items():
            long = too_long(number, column, values[column], limit)
            if long is not None:
                errors.append(long)
        for column, field, codes, what in self._places:
            code = self._code(codes, values[column])
            if code is None:
                errors.append(Problem(number, column, values[column], unknown_message(values[column], what)))
            out[field] = code or DEFAULTS[field]
        out["birth_commune"] = normalise_name(values["noi_sinh_xa"])
        if out["birth_commune"] and not values["noi_sinh_tinh"]:
            errors.append(
                Problem(number, "noi_sinh_tinh", "", _("Hãy ghi tỉnh/thành phố của xã/phường nơi sinh."))
            )
        for name_column, year_column, parent in self._parents:
            out[_FIELD_OF[name_column]] = normalise_name(values[name_column])
            text = values[year_column]
            year = None
            if text:
                if not text.isdigit() or len(text) != 4:
                    errors.append(Problem(number, year_column, text, _("Năm sinh là 4 chữ số, ví dụ 1985.")))
                else:
                    year = int(text)
                    message = check_parent_birth_year(year, dob.year if dob else None, parent=str(parent))
                    if message:
                        errors.append(Problem(number, year_column, text, message))
            out[_FIELD_OF[year_column]] = year
        kind_text, doc = values["loai_giay_to"], values["so_giay_to"]
        kind = _DOCUMENTS.get(fold(kind_text), None) if kind_text else ""
        if kind is None:
            errors.append(
                Problem(
                    number,
                    "loai_giay_to",
                    kind_text,
                    _("Loại giấy tờ phải là một trong: %(kinds)s.")
                    % {"kinds": ", ".join(str(label) for _v, label in OtherDocument.choices)},
                )
            )
        elif bool(kind) != bool(doc):
            column = "so_giay_to" if kind else "loai_giay_to"
            errors.append(Problem(number, column, "", _("Hãy ghi cả loại và số giấy tờ.")))
        out["other_document_kind"] = kind or ""
        out["other_document_number"] = doc
        return tuple(out[field] for field in FIELDS)
