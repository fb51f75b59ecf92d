"""Open data: aggregate counts of the education database, safe to publish to anyone.

Every table goes through `rules.disclosure_control` (no count under 5, nothing recoverable from the
totals), and only ever aggregates: no name, identifier, date of birth or address leaves this module.
Each dataset is cached for ten minutes, per unit, so a popular file costs the database one query a while.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit, UnitKind
from giaoducso.directory.models import (
    Equipment,
    Room,
    RoomKind,
    SchoolLevel,
    Sex,
    Staff,
    StaffStatus,
    Student,
    StudentStatus,
)
from rules import codelists
from rules.disclosure_control import DEFAULT_THRESHOLD, Cell, suppress_1d, suppress_2d

CACHE_SECONDS = 600
THRESHOLD = DEFAULT_THRESHOLD
LICENCE = gettext_lazy("Giấy phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)")
# Counted as enrolled: who is on a school's roll today.
ENROLLED = (StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN, StudentStatus.RETURNED)
NOTE = gettext_lazy(
    "Ô có giá trị từ 1 đến 4 được ghi «<5»; ô ghi «x» (null trong JSON) được ẩn thêm để không thể suy ra "
    "ô nhỏ từ các tổng. Số 0 được công bố, trừ trong dòng có tổng «<5»."
)


@dataclass(frozen=True)
class DatasetSpec:
    slug: str
    title: Any
    description: Any
    build: Callable[[Q], dict[str, Any]]


# --- building blocks ---------------------------------------------------------------------------------


def _school_filter(unit: Unit | None, field: str) -> Q:
    """Rows whose school lies under `unit` (a ward also covers the schools located in it)."""
    if unit is None:
        return Q()
    condition = Q(**{f"{field}__path__startswith": unit.path})
    if unit.kind == UnitKind.WARD:
        condition |= Q(**{f"{field}__school_record__ward": unit})
    return condition


def _table_1d(
    label_title: str,
    value_title: str,
    pairs: Iterable[tuple[str, int]],
    *,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    items = sorted(pairs, key=lambda p: p[0])
    table = suppress_1d([n for _label, n in items], threshold=THRESHOLD)
    rows: list[dict[str, Cell]] = [
        {"label": label, "count": cell} for (label, _n), cell in zip(items, table.cells, strict=True)
    ]
    rows.append({"label": _("Tổng cộng"), "count": table.total})
    return {
        "columns": [{"key": "label", "label": label_title}, {"key": "count", "label": value_title}],
        "rows": rows,
        **(extra or {}),
    }


def _table_2d(
    row_title: str,
    row_labels: list[str],
    columns: list[tuple[str, str]],
    counts: dict[tuple[str, str], int],
    *,
    leading: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """rows × columns with totals; `leading` adds label columns (e.g. the school code) before the name."""
    matrix = [[counts.get((r, c), 0) for c, _t in columns] for r in row_labels]
    table = suppress_2d(matrix, threshold=THRESHOLD)
    rows: list[dict[str, Any]] = []
    for i, label in enumerate(row_labels):
        row: dict[str, Any] = dict(leading[i]) if leading else {}
        row["label"] = label
        for (key, _title), cell in zip(columns, table.cells[i], strict=True):
            row[key] = cell
        row["total"] = table.row_totals[i]
        rows.append(row)
    total_row: dict[str, Any] = dict.fromkeys(leading[0], "") if leading else {}
    total_row["label"] = _("Tổng cộng")
    for (key, _title), cell in zip(columns, table.column_totals, strict=True):
        total_row[key] = cell
    total_row["total"] = table.grand_total
    rows.append(total_row)
    leading_columns = [{"key": k, "label": _("Mã trường")} for k in (leading[0] if leading else {})]
    return {
        "columns": [
            *leading_columns,
            {"key": "label", "label": row_title},
            *({"key": key, "label": title} for key, title in columns),
            {"key": "total", "label": _("Tổng")},
        ],
        "rows": rows,
    }


def _students(scope: Q) -> Any:
    return Student.objects.filter(scope, status__in=ENROLLED)


def _grade_label(grade: int | None) -> str:
    if grade is None:
        return _("Chưa xếp lớp")
    if grade == 0:
        return _("Mầm non")
    return _("Khối %(grade)s") % {"grade": grade}


def _grade_key(grade: int | None) -> int:
    return 99 if grade is None else grade


_SEXES = [(Sex.MALE.value, str(Sex.MALE.label)), (Sex.FEMALE.value, str(Sex.FEMALE.label))]


# --- the datasets --------------------------------------------------------------------------------


def _by_level(scope: Q) -> dict[str, Any]:
    labels = dict(SchoolLevel.choices)
    rows = _students(scope).values("school__school_record__level").annotate(n=Count("id"))
    pairs: dict[str, int] = {}
    for r in rows:
        label = str(labels.get(r["school__school_record__level"], _("Chưa khai báo")))
        pairs[label] = pairs.get(label, 0) + r["n"]
    return _table_1d(_("Cấp học"), _("Số học sinh"), pairs.items())


def _by_grade(scope: Q) -> dict[str, Any]:
    rows = _students(scope).values("current_class__grade").annotate(n=Count("id"))
    ordered = sorted(rows, key=lambda r: _grade_key(r["current_class__grade"]))
    # Keep grade order (not alphabetical): label with a sortable prefix removed after.
    table = suppress_1d([r["n"] for r in ordered], threshold=THRESHOLD)
    out = [
        {"label": _grade_label(r["current_class__grade"]), "count": cell}
        for r, cell in zip(ordered, table.cells, strict=True)
    ]
    out.append({"label": _("Tổng cộng"), "count": table.total})
    return {
        "columns": [{"key": "label", "label": _("Khối lớp")}, {"key": "count", "label": _("Số học sinh")}],
        "rows": out,
    }


def _by_sex(scope: Q) -> dict[str, Any]:
    counts = {r["sex"]: r["n"] for r in _students(scope).values("sex").annotate(n=Count("id"))}
    return _table_1d(
        _("Giới tính"), _("Số học sinh"), [(label, counts.get(code, 0)) for code, label in _SEXES]
    )


def _by_ethnicity(scope: Q) -> dict[str, Any]:
    rows = _students(scope).values("ethnicity").annotate(n=Count("id"))
    pairs: dict[str, int] = {}
    for r in rows:
        # Stored as a code of the DAN_TOC list; published as its name.
        label = codelists.ethnic_groups().display((r["ethnicity"] or "").strip()) or _("Chưa khai báo")
        pairs[label] = pairs.get(label, 0) + r["n"]
    return _table_1d(_("Dân tộc"), _("Số học sinh"), pairs.items())


def _by_ward(scope: Q) -> dict[str, Any]:
    rows = _students(scope).values("ward__name", "ward_name").annotate(n=Count("id"))
    pairs: dict[str, int] = {}
    for r in rows:
        label = r["ward__name"] or (r["ward_name"] or "").strip() or _("Chưa rõ")
        pairs[label] = pairs.get(label, 0) + r["n"]
    return _table_1d(_("Phường/xã nơi cư trú"), _("Số học sinh"), pairs.items())


def _by_grade_sex(scope: Q) -> dict[str, Any]:
    rows = _students(scope).values("current_class__grade", "sex").annotate(n=Count("id"))
    grades = sorted({r["current_class__grade"] for r in rows}, key=_grade_key)
    counts = {(_grade_label(r["current_class__grade"]), r["sex"]): r["n"] for r in rows}
    return _table_2d(_("Khối lớp"), [_grade_label(g) for g in grades], _SEXES, counts)


def _by_school(scope: Q) -> dict[str, Any]:
    rows = _students(scope).values("school__code", "school__name", "sex").annotate(n=Count("id"))
    schools = sorted({(r["school__code"], r["school__name"]) for r in rows})
    counts = {(f"{code}", r_sex): 0 for code, _n in schools for r_sex, _l in _SEXES}
    for r in rows:
        counts[(r["school__code"], r["sex"])] = counts.get((r["school__code"], r["sex"]), 0) + r["n"]
    matrix_keys = [code for code, _name in schools]
    names = dict(schools)
    table = _table_2d(
        _("Trường"),
        matrix_keys,
        _SEXES,
        counts,
        leading=[{"school_code": code} for code in matrix_keys],
    )
    for row in table["rows"][:-1]:
        row["label"] = names[row["school_code"]]
    return table


def _staff_by_position(scope: Q) -> dict[str, Any]:
    rows = (
        Staff.objects.filter(scope, status__in=[StaffStatus.WORKING, StaffStatus.LEAVE])
        .values("position")
        .annotate(n=Count("id"))
    )
    pairs: dict[str, int] = {}
    for r in rows:
        label = codelists.staff_positions().display((r["position"] or "").strip()) or _("Chưa khai báo")
        pairs[label] = pairs.get(label, 0) + r["n"]
    return _table_1d(_("Vị trí việc làm"), _("Số người"), pairs.items())


def _rooms_by_kind(scope: Q) -> dict[str, Any]:
    labels = dict(RoomKind.choices)
    rows = list(Room.objects.filter(scope).values("kind").annotate(n=Count("id"), area=Sum("area_m2")))
    table = _table_1d(
        _("Loại phòng"), _("Số phòng"), [(str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]
    )
    areas = {str(labels.get(r["kind"], r["kind"])): r["area"] or Decimal(0) for r in rows}
    total_area = sum(areas.values(), Decimal(0))
    for row in table["rows"]:
        # An area beside a hidden count would hint at the count; it goes with it.
        if not isinstance(row["count"], int):
            row["area_m2"] = None
        elif row is table["rows"][-1]:
            row["area_m2"] = float(total_area) if _all_counts_public(table) else None
        else:
            row["area_m2"] = float(areas[row["label"]])
    table["columns"].append({"key": "area_m2", "label": _("Tổng diện tích (m²)")})
    return table


def _all_counts_public(table: dict[str, Any]) -> bool:
    return all(isinstance(row["count"], int) for row in table["rows"])


def _equipment_by_name(scope: Q) -> dict[str, Any]:
    rows = Equipment.objects.filter(scope).values("name").annotate(n=Sum("quantity"))
    pairs: dict[str, int] = {}
    for r in rows:
        label = (r["name"] or "").strip() or _("Chưa khai báo")
        pairs[label] = pairs.get(label, 0) + int(r["n"] or 0)
    return _table_1d(_("Thiết bị"), _("Số lượng"), pairs.items())


DATASETS: dict[str, DatasetSpec] = {
    spec.slug: spec
    for spec in [
        DatasetSpec(
            "students-by-level",
            gettext_lazy("Học sinh theo cấp học"),
            gettext_lazy("Số học sinh đang học theo cấp học của trường."),
            _by_level,
        ),
        DatasetSpec(
            "students-by-grade",
            gettext_lazy("Học sinh theo khối lớp"),
            gettext_lazy("Số học sinh đang học theo khối lớp trong năm học hiện tại."),
            _by_grade,
        ),
        DatasetSpec(
            "students-by-sex",
            gettext_lazy("Học sinh theo giới tính"),
            gettext_lazy("Số học sinh đang học theo giới tính."),
            _by_sex,
        ),
        DatasetSpec(
            "students-by-ethnicity",
            gettext_lazy("Học sinh theo dân tộc"),
            gettext_lazy("Số học sinh đang học theo dân tộc."),
            _by_ethnicity,
        ),
        DatasetSpec(
            "students-by-ward",
            gettext_lazy("Học sinh theo phường/xã cư trú"),
            gettext_lazy("Số học sinh đang học theo phường/xã nơi cư trú."),
            _by_ward,
        ),
        DatasetSpec(
            "students-by-grade-sex",
            gettext_lazy("Học sinh theo khối lớp và giới tính"),
            gettext_lazy("Bảng chéo khối lớp × giới tính, có tổng theo dòng và cột."),
            _by_grade_sex,
        ),
        DatasetSpec(
            "students-by-school",
            gettext_lazy("Học sinh theo trường"),
            gettext_lazy("Số học sinh đang học của từng trường, theo giới tính."),
            _by_school,
        ),
        DatasetSpec(
            "staff-by-position",
            gettext_lazy("Cán bộ, giáo viên, nhân viên theo vị trí việc làm"),
            gettext_lazy("Số cán bộ, giáo viên, nhân viên đang công tác theo vị trí việc làm."),
            _staff_by_position,
        ),
        DatasetSpec(
            "rooms-by-kind",
            gettext_lazy("Phòng học và phòng chức năng"),
            gettext_lazy("Số phòng và tổng diện tích theo loại phòng."),
            _rooms_by_kind,
        ),
        DatasetSpec(
            "equipment-by-name",
            gettext_lazy("Thiết bị"),
            gettext_lazy("Tổng số lượng thiết bị theo tên thiết bị."),
            _equipment_by_name,
        ),
    ]
}


def unit_for_code(code: str | None) -> Unit | None:
    """The unit named by ?unit=…, or None for everything; 404 for a code that names no unit."""
    if not code:
        return None
    unit = (
        Unit.objects.filter(code=code.strip()[:32], is_active=True)
        .exclude(kind=UnitKind.SCHOOL_GROUP)
        .first()
    )
    if unit is None:
        raise Http404(_("Không có đơn vị mã «%(code)s».") % {"code": code[:32]})
    return unit


def dataset_get(slug: str, *, unit: Unit | None = None) -> dict[str, Any]:
    """One dataset as plain JSON-ready data; Http404 for an unknown slug."""
    spec = DATASETS.get(slug)
    if spec is None:
        raise Http404(_("Không có bộ dữ liệu «%(slug)s».") % {"slug": slug[:64]})
    key = f"open-data:v1:{slug}:{unit.code if unit else '*'}:{get_language()}"
    data: dict[str, Any] | None = cache.get(key)
    if data is None:
        data = spec.build(_school_filter(unit, "school"))
        data = {
            "dataset": slug,
            "title": str(spec.title),
            "description": str(spec.description),
            "unit": {"code": unit.code, "name": unit.name} if unit else None,
            "licence": str(LICENCE),
            "threshold": THRESHOLD,
            "note": str(NOTE),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            **data,
        }
        cache.set(key, data, CACHE_SECONDS)
    return data
