"""The staff import: upsert by personal identification number, with the main school assignment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.bulk import constraints_at_each_statement
from giaoducso.core.models import AuditAction, Unit
from giaoducso.core.roles import Perm
from rules import fields
from rules.text import normalise_name

from ..models import School, Staff
from ..services.codes import STAFF_CODE_FIELDS, read_code, unknown_message
from ..services.staff_bulk import FIELDS as BULK_FIELDS
from ..services.staff_bulk import NewStaff, staff_bulk_create, staff_bulk_update
from .common import (
    ImportContext,
    PersonReader,
    cell_problems,
    common_unit,
    contact_problems,
    field_problem,
    school_problem,
)
from .readers import Table
from .report import ImportResult, Problem

COLUMNS = (
    "ma_dinh_danh",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "ma_truong",
    "vi_tri_viec_lam",
    "loai_hop_dong",
    "trinh_do",
    "mon_day",
    "dien_thoai",
    "email",
)
REQUIRED = COLUMNS
REQUIRED_VALUES = ("ma_dinh_danh", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_truong")
LIMITS = {
    "ho_ten": 255,
    "vi_tri_viec_lam": 128,
    "loai_hop_dong": 64,
    "trinh_do": 128,
    "mon_day": 255,
    "email": 254,
}
FIELDS = ("full_name", *BULK_FIELDS)  # compared with the stored record to find changed rows
BATCH = 1000


@dataclass
class Plan:
    new: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(
        default_factory=list
    )  # id, values, before
    units: dict[int, Unit] = field(default_factory=dict)


def check(ctx: ImportContext, table: Table, result: ImportResult, total_estimate: int) -> Plan:
    """Every row checked step by step (_read_row), then the good rows sorted into new, changed and
    unchanged staff against the database (_classify)."""
    plan = Plan()
    reader = _RowReader(ctx, result)
    rows: list[tuple[int, dict[str, Any]]] = []
    count = 0
    for number, values in table.rows:
        count += 1
        row = reader.read(number, values)
        if row is not None:
            rows.append(row)
        if count % 1000 == 0:
            ctx.progress("reading", count, total_estimate)
    result.rows = count
    if result.errors:
        return plan
    plan.units.update(reader.units)
    _classify(plan, rows, result)
    return plan


class _RowReader:
    def __init__(self, ctx: ImportContext, result: ImportResult) -> None:
        self.ctx, self.errors = ctx, result.errors
        self.schools = {s.unit.code: s.unit for s in School.objects.select_related("unit")}
        self.allowed: dict[str, bool] = {}
        self.person = PersonReader(ctx.today, result.warnings)
        self.units: dict[int, Unit] = {}

    def may_change(self, code: str) -> bool:
        if code not in self.allowed:
            self.allowed[code] = self.ctx.may_change(self.schools[code], Perm.CHANGE_STAFF)
        return self.allowed[code]

    def working_age(self, number: int, dob: dt.date | None, dob_text: str, errors: list[Problem]) -> None:
        if dob is not None:
            problem = field_problem(
                number, "ngay_sinh", dob_text, fields.working_age("date_of_birth", dob, self.ctx.today)
            )
            if problem is not None:
                errors.append(problem)

    @staticmethod
    def coded(number: int, values: tuple[str, str, str], errors: list[Problem]) -> dict[str, str]:
        """Position, qualification and contract kind: a code or a name of their list, stored as the code."""
        coded = {}
        for column, value, (model_field, (codes, what)) in zip(
            ("vi_tri_viec_lam", "trinh_do", "loai_hop_dong"), values, STAFF_CODE_FIELDS.items(), strict=True
        ):
            code = read_code(codes(), value)
            if code is None:
                errors.append(Problem(number, column, value, unknown_message(value, what)))
            coded[model_field] = code or ""
        return coded

    def read(self, number: int, values: tuple[str, ...]) -> tuple[int, dict[str, Any]] | None:
        (
            pid,
            name,
            dob_text,
            sex_text,
            code,
            position,
            employment,
            qualification,
            subjects,
            phone_text,
            email,
        ) = values
        errors = cell_problems(number, COLUMNS, values, REQUIRED_VALUES, LIMITS)
        dob, sex = self.person.read(number, pid, dob_text, sex_text, errors)
        self.working_age(number, dob, dob_text, errors)
        unit = self.schools.get(code) if code else None
        problem = school_problem(number, code, unit is not None, lambda: self.may_change(code))
        if problem is not None:
            errors.append(problem)
        phone, contact = contact_problems(number, phone_text, email)
        errors += contact
        coded = self.coded(number, (position, qualification, employment), errors)
        if errors:
            self.errors.extend(errors)
            return None
        assert unit is not None
        self.units[unit.pk] = unit
        return (
            number,
            {
                "personal_id": pid,
                "school_id": unit.pk,
                "full_name": normalise_name(name),
                "date_of_birth": dob,
                "sex": sex,
                **coded,
                "subjects": subjects,
                "phone": phone,
                "email": email,
            },
        )


def _classify(plan: Plan, rows: list[tuple[int, dict[str, Any]]], result: ImportResult) -> None:
    """New, changed or unchanged, against the stored staff read in chunks; a person kept by another school
    is refused (a move goes through a transfer, not an import)."""
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        existing = {
            s["personal_id"]: s
            for s in Staff.objects.filter(personal_id__in=[v["personal_id"] for _n, v in chunk]).values(
                "pk", "personal_id", "school_id", *FIELDS
            )
        }
        for number, values in chunk:
            old = existing.get(values["personal_id"])
            if old is None:
                plan.new.append((number, values))
            elif old["school_id"] != values["school_id"]:
                result.errors.append(
                    Problem(
                        number,
                        "ma_truong",
                        plan.units[values["school_id"]].code,
                        _("Người có số định danh %(pid)s đang thuộc một trường khác.")
                        % {"pid": values["personal_id"]},
                    )
                )
            else:
                before = {k: old[k] for k in FIELDS if old[k] != values[k]}
                if before:
                    plan.changed.append((old["pk"], values, before))
                else:
                    result.unchanged += 1
    result.new, result.changed = len(plan.new), len(plan.changed)


def write(ctx: ImportContext, plan: Plan, result: ImportResult) -> None:
    """In one transaction, through the staff's bulk write path (services.staff_bulk), one audit line a row."""
    if not plan.new and not plan.changed:
        return
    total = len(plan.new) + len(plan.changed)
    ctx.progress("writing", 0, total)
    note = (_("Nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255]
    with transaction.atomic():
        constraints_at_each_statement()
        for start in range(0, len(plan.new), BATCH):
            batch = plan.new[start : start + BATCH]
            staff_bulk_create(
                actor=ctx.actor,
                rows=[NewStaff(**values) for _n, values in batch],
                units=plan.units,
                note=note,
            )
            ctx.progress("writing", start + len(batch), total)
        staff_bulk_update(
            actor=ctx.actor,
            changes=[(pk, NewStaff(**values), before) for pk, values, before in plan.changed],
            units=plan.units,
            note=note,
        )
        if plan.new:
            audit.record(
                actor=ctx.actor,
                action=AuditAction.CREATE,
                object_type=Staff._meta.label_lower,
                object_repr=_("Nhập %(count)d cán bộ mới từ tệp %(file)s")
                % {"count": len(plan.new), "file": ctx.file_name},
                unit=common_unit(sorted({plan.units[v["school_id"]].path for _n, v in plan.new})),
                changes={"count": len(plan.new), "file": ctx.file_name, "sha256": ctx.sha256},
                note=_("Nhập cán bộ từ tệp"),
            )
    result.written = True
    ctx.progress("writing", total, total)
