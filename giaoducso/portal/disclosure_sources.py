"""The figures a disclosure item reads from the live database at the moment of publication.

Each source returns a small JSON-able table: {"columns": [...], "rows": [[...], ...], "notes": [...]}.
The version stores it as it is; the public page shows the stored copy, never a recomputation, so what was
published stays what it was when the database changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from giaoducso.core.models import Unit
from giaoducso.directory.models import (
    Condition,
    Equipment,
    Room,
    RoomKind,
    School,
    SchoolClass,
    Staff,
    StaffStatus,
    Student,
    StudentStatus,
)
from rules import codelists

IN_SCHOOL = (StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN, StudentStatus.RETURNED)
NOT_GIVEN = "Chưa ghi"

Table = dict[str, Any]


def _students(school: Unit) -> Any:
    return Student.objects.filter(school=school, status__in=IN_SCHOOL)


def staff(school: Unit, parameters: dict[str, Any]) -> Table:
    """Working staff by job position and qualification (Art. 8)."""
    positions_list, qualifications_list = codelists.staff_positions(), codelists.qualifications()
    counts = Counter(
        (
            positions_list.display(row["position"]) if row["position"] else NOT_GIVEN,
            qualifications_list.display(row["qualification"]) if row["qualification"] else NOT_GIVEN,
        )
        for row in Staff.objects.filter(school=school, status=StaffStatus.WORKING).values(
            "position", "qualification"
        )
    )
    qualifications = sorted({q for _p, q in counts})
    positions = sorted({p for p, _q in counts})
    rows = [[p, *[counts.get((p, q), 0) for q in qualifications], sum(counts.get((p, q), 0) for q in qualifications)]
            for p in positions]  # fmt: skip
    total = [
        "Tổng số",
        *[sum(counts.get((p, q), 0) for p in positions) for q in qualifications],
        sum(counts.values()),
    ]
    return {"columns": ["Vị trí việc làm", *qualifications, "Tổng"], "rows": [*rows, total], "notes": []}


def classes(school: Unit, parameters: dict[str, Any]) -> Table:
    """Classes and pupils by grade in the current school year (Art. 8, Art. 9)."""
    by_grade = dict(
        SchoolClass.objects.filter(school=school, year__is_current=True)
        .values_list("grade")
        .annotate(n=Count("pk"))
    )
    pupils = dict(
        _students(school)
        .filter(current_class__year__is_current=True)
        .values_list("current_class__grade")
        .annotate(n=Count("pk"))
    )
    grades = sorted(set(by_grade) | set(pupils))
    rows = [[f"Khối {g}" if g else "Nhóm/lớp mầm non", by_grade.get(g, 0), pupils.get(g, 0)] for g in grades]
    rows.append(["Tổng số", sum(by_grade.values()), sum(pupils.values())])
    return {"columns": ["Khối", "Số lớp", "Số học sinh"], "rows": rows, "notes": []}


def facilities(school: Unit, parameters: dict[str, Any]) -> Table:
    """Rooms by kind with their area, and m² of rooms per pupil against the minimum (Art. 8)."""
    rows_by_kind = (
        Room.objects.filter(school=school)
        .values("kind")
        .annotate(n=Count("pk"), area=Sum("area_m2"))
        .order_by("kind")
    )
    labels = dict(RoomKind.choices)
    rows = [[str(labels.get(r["kind"], r["kind"])), r["n"], float(r["area"] or 0)] for r in rows_by_kind]
    total_area = sum((r["area"] or Decimal(0) for r in rows_by_kind), Decimal(0))
    pupils = _students(school).count()
    rows.append(["Tổng số", sum(r[1] for r in rows), float(total_area)])
    per_pupil = round(float(total_area) / pupils, 2) if pupils else None
    level = School.objects.filter(unit=school).values_list("level", flat=True).first() or ""
    minimum = (parameters.get("min_m2_per_pupil") or {}).get(level)
    notes = [
        f"Số học sinh: {pupils}.",
        f"Diện tích phòng bình quân: {per_pupil if per_pupil is not None else '—'} m²/học sinh.",
    ]
    if minimum is not None and per_pupil is not None:
        verdict = "đạt" if per_pupil >= float(minimum) else "chưa đạt"
        notes.append(f"Mức tối thiểu: {minimum} m²/học sinh — {verdict}.")
    return {"columns": ["Loại phòng", "Số phòng", "Diện tích (m²)"], "rows": rows, "notes": notes}


def equipment(school: Unit, parameters: dict[str, Any]) -> Table:
    """Teaching equipment by name and condition (Art. 8)."""
    labels = dict(Condition.choices)
    found = (
        Equipment.objects.filter(school=school)
        .values("name", "condition")
        .annotate(quantity=Sum("quantity"))
        .order_by("name", "condition")
    )
    rows = [[r["name"], str(labels.get(r["condition"], r["condition"])), r["quantity"] or 0] for r in found]
    rows.append(["Tổng số", "", sum(r[2] for r in rows)])
    return {"columns": ["Thiết bị", "Tình trạng", "Số lượng"], "rows": rows, "notes": []}


def results(school: Unit, parameters: dict[str, Any]) -> Table:
    """Last year's results by grade: until the records keep year results, the school writes them in the
    item's text; the table says so rather than publishing an empty one as if it were a result."""
    return {"columns": [], "rows": [], "notes": ["Chưa có kết quả năm học trước trong hồ sơ điện tử."]}


SOURCES: dict[str, Callable[[Unit, dict[str, Any]], Table]] = {
    "staff": staff,
    "classes": classes,
    "facilities": facilities,
    "equipment": equipment,
    "results": results,
}


def read(source: str, school: Unit, parameters: dict[str, Any]) -> Table:
    return SOURCES[source](school, parameters or {})
