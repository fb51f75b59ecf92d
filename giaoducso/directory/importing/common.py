"""What every import shares: the run's context, cell parsers with Vietnamese messages, reference maps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.scoping import has_perm
from rules import fields, identifiers
from rules.fields import FieldProblem
from rules.text import fold

from .. import checks
from .report import Problem

# progress(phase, done, total): phase is "reading", "checking" or "writing".
Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportContext:
    actor: Any  # the user, or a label such as "import_students (dòng lệnh)" for commands
    file_name: str
    sha256: str
    dry_run: bool = False
    # The signed-in user whose scope limits the rows (UI); None for commands run by the operator.
    scope_user: Any = None
    # The unit new schools go under (schools import): --parent, or the user's active unit.
    parent: Unit | None = None
    progress: Progress = no_progress
    today: dt.date = field(default_factory=dt.date.today)

    def may_change(self, unit: Unit, perm: str) -> bool:
        return self.scope_user is None or has_perm(self.scope_user, perm, unit)


_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class DateParser:
    """dd/mm/yyyy into a real date of birth (rules.fields.birth_date); cached, since a file has few distinct birth dates."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._cache: dict[str, dt.date | str] = {}

    def __call__(self, text: str) -> dt.date | str:
        """The date, or the Vietnamese message saying what is wrong."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        match = _DATE.match(text)
        result: dt.date | str
        if match is None:
            result = _("Ngày «%(value)s» không đúng dạng dd/mm/yyyy (ví dụ 05/09/2014).") % {"value": text}
        else:
            day, month, year = (int(g) for g in match.groups())
            try:
                result = dt.date(year, month, day)
            except ValueError:
                result = _("Ngày %(value)s không có thật.") % {"value": text}
            else:
                problem = fields.birth_date("date", result, self.today)
                if problem is not None:
                    result = checks.message(problem)
        if len(self._cache) < 100_000:
            self._cache[text] = result
        return result


SEX_VALUES = {"nam": "M", "nu": "F"}


def parse_sex(text: str) -> str | None:
    return SEX_VALUES.get(fold(text))


ID_COLUMNS = {
    identifiers.FIELD_PERSONAL_ID: "ma_dinh_danh",
    identifiers.FIELD_SEX: "gioi_tinh",
    identifiers.FIELD_DATE_OF_BIRTH: "ngay_sinh",
}


def personal_id_problems(
    row: int,
    pid: str,
    sex: str | None,
    birth_year: int | None,
    id_column: str = "ma_dinh_danh",
    warnings: list[Problem] | None = None,
) -> list[Problem]:
    """The row's identifier errors; its warnings (an unknown province or country code, which never refuse
    a row: a birth registered abroad carries a country code) go to `warnings` when given."""
    found = identifiers.check_personal_id(pid, sex=sex, birth_year=birth_year)
    columns = {**ID_COLUMNS, identifiers.FIELD_PERSONAL_ID: id_column}
    errors = []
    for p in found:
        problem = Problem(
            row,
            columns.get(p.field, id_column),
            pid if p.field == identifiers.FIELD_PERSONAL_ID else "",
            p.message,
        )
        if not p.is_warning:
            errors.append(problem)
        elif warnings is not None:
            warnings.append(problem)
    return errors


_WARD_PREFIX = re.compile(r"^(phuong|xa|thi tran|p\.|x\.)\s*")


def ward_key(name: str) -> str:
    """ "Phường Tân Định", "P. Tân Định", "tan dinh" → "tan dinh"; numbered wards keep their number."""
    return _WARD_PREFIX.sub("", fold(name)).strip()


class WardIndex:
    """Wards of the organisation tree by folded name; the one nearest the school wins a tie."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[tuple[int, str]]] = {}
        for pk, name, path in Unit.objects.filter(kind=UnitKind.WARD).values_list("pk", "name", "path"):
            self._by_key.setdefault(ward_key(name), []).append((pk, path))

    def find(self, name: str, near_path: str = "") -> int | None:
        candidates = self._by_key.get(ward_key(name))
        if not candidates:
            return None
        if len(candidates) == 1 or not near_path:
            return candidates[0][0]

        def shared(path: str) -> int:
            count = 0
            for a, b in zip(path, near_path, strict=False):
                if a != b:
                    break
                count += 1
            return count

        return max(candidates, key=lambda c: shared(c[1]))[0]

    def unit(self, pk: int) -> Unit:
        return Unit.objects.get(pk=pk)


def field_problem(row: int, column: str, value: str, problem: FieldProblem | None) -> Problem | None:
    """A problem of the shared field checks (directory.checks), named by its row and column."""
    if problem is None:
        return None
    return Problem(row, column, value[:60], checks.message(problem))


def contact_problems(row: int, phone_text: str, email: str) -> tuple[str, list[Problem]]:
    """The phone as stored and the problems of the dien_thoai and email cells (staff and school imports)."""
    phone, problem = fields.phone("dien_thoai", phone_text)
    found = [
        field_problem(row, "dien_thoai", phone_text, problem),
        field_problem(row, "email", email, checks.email("email", email)),
    ]
    return phone, [p for p in found if p is not None]


def too_long(row: int, column: str, value: str, limit: int) -> Problem | None:
    if len(value) > limit:
        return Problem(
            row,
            column,
            value[:60],
            _("Dài quá %(limit)d ký tự (đang có %(count)d).") % {"limit": limit, "count": len(value)},
        )
    return None


def cell_problems(
    row: int,
    columns: Sequence[str],
    values: Sequence[str],
    required: Collection[str],
    limits: Mapping[str, int],
) -> list[Problem]:
    """The first step of every import's row: required cells left empty, cells over their length."""
    found = []
    for column, value in zip(columns, values, strict=True):
        if column in required and not value:
            found.append(Problem(row, column, "", _("Chưa nhập %(column)s.") % {"column": column}))
        limit = limits.get(column)
        if limit:
            long = too_long(row, column, value, limit)
            if long is not None:
                found.append(long)
    return found


def unknown_ward(row: int, text: str) -> Problem:
    """The warning of a ward the tree does not know: the row is kept with the text as written."""
    return Problem(
        row,
        "phuong_xa",
        text,
        _("Không tìm thấy phường/xã «%(value)s» trong cây đơn vị; đã giữ dạng văn bản.") % {"value": text},
    )


def school_problem(row: int, code: str, found: bool, allowed: Callable[[], bool]) -> Problem | None:
    """A row's school code names a school of the database that the user may change (`allowed` is asked
    only for a school that exists)."""
    if not code:
        return None
    if not found:
        message = _("Không có trường mã «%(code)s» trong cơ sở dữ liệu.")
    elif not allowed():
        message = _("Bạn không có quyền nhập dữ liệu cho trường %(code)s.")
    else:
        return None
    return Problem(row, "ma_truong", code, message % {"code": code})


class PersonReader:
    """A person's cells (students, staff): date of birth, sex, and the personal identifier that must agree
    with both and appear once in the file. Caches what a file repeats (dates, the words for sex)."""

    def __init__(self, today: dt.date, warnings: list[Problem]) -> None:
        self.parse_date = DateParser(today)
        self.warnings = warnings
        self.seen: dict[str, int] = {}  # personal id → first row
        self._sexes: dict[str, str | None] = {}

    def read(
        self, row: int, pid: str, dob_text: str, sex_text: str, errors: list[Problem]
    ) -> tuple[dt.date | None, str | None]:
        dob: dt.date | None = None
        if dob_text:
            parsed = self.parse_date(dob_text)
            if isinstance(parsed, str):
                errors.append(Problem(row, "ngay_sinh", dob_text, parsed))
            else:
                dob = parsed
        sex = None
        if sex_text:
            sex = self._sexes.get(sex_text)
            if sex is None:
                sex = self._sexes[sex_text] = parse_sex(sex_text)
            if sex is None:
                errors.append(Problem(row, "gioi_tinh", sex_text, _("Giới tính phải là “Nam” hoặc “Nữ”.")))
        if pid:
            errors += personal_id_problems(row, pid, sex, dob.year if dob else None, warnings=self.warnings)
            first = self.seen.get(pid)
            if first is not None:
                errors.append(
                    Problem(
                        row,
                        "ma_dinh_danh",
                        pid,
                        _("Số định danh %(pid)s trùng với dòng %(first)d trong cùng tệp.")
                        % {"pid": pid, "first": first},
                    )
                )
            else:
                self.seen[pid] = row
        return dob, sex


def common_unit(paths: list[str]) -> Unit | None:
    """The lowest unit above every given path, so an import's audit line is seen where its rows are."""
    if not paths:
        return None
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
            if not prefix:
                return None
    return Unit.objects.filter(path=prefix).first()
