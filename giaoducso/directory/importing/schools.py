"""The school import: each row creates or updates a school's Unit (through the unit services) and its
School record (through the directory's services: the new records in one bulk write, the changed ones row by
row, a few thousand at most)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core import services as core_services
from giaoducso.core.models import AuditAction, Unit, UnitKind
from giaoducso.core.roles import Perm
from rules import fields as field_rules
from rules.text import fold

from .. import services
from ..models import Ownership, School, SchoolLevel
from .common import (
    ImportContext,
    WardIndex,
    cell_problems,
    common_unit,
    contact_problems,
    field_problem,
    unknown_ward,
)
from .readers import Table
from .report import ImportResult, Problem

COLUMNS = (
    "ma_truong",
    "ten_truong",
    "cap_hoc",
    "loai_hinh",
    "phuong_xa",
    "dia_chi",
    "dien_thoai",
    "email",
    "hieu_truong",
)
REQUIRED = COLUMNS
REQUIRED_VALUES = ("ma_truong", "ten_truong", "cap_hoc", "loai_hinh")
LIMITS = {"ten_truong": 255, "phuong_xa": 128, "dia_chi": 255, "hieu_truong": 255, "email": 254}

# cap_hoc as people write it, folded → SchoolLevel.
LEVELS = {
    "mam non": SchoolLevel.PRESCHOOL,
    "mn": SchoolLevel.PRESCHOOL,
    "tieu hoc": SchoolLevel.PRIMARY,
    "th": SchoolLevel.PRIMARY,
    "thcs": SchoolLevel.LOWER_SECONDARY,
    "trung hoc co so": SchoolLevel.LOWER_SECONDARY,
    "tieu hoc va thcs": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "tieu hoc va trung hoc co so": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "th va thcs": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "th&thcs": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "th & thcs": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "th-thcs": SchoolLevel.PRIMARY_LOWER_SECONDARY,
    "lien cap": SchoolLevel.MULTI,
    "lien cap (mam non, tieu hoc, thcs)": SchoolLevel.MULTI,
    "mn-th-thcs": SchoolLevel.MULTI,
}
OWNERSHIPS = {"cong lap": Ownership.PUBLIC, "tu thuc": Ownership.PRIVATE}


@dataclass
class Plan:
    # (row number, code, name, School field values, parent unit or None, existing unit or None)
    rows: list[tuple[int, str, str, dict[str, Any], Unit | None, Unit | None]] = field(default_factory=list)


def check(ctx: ImportContext, table: Table, result: ImportResult, total_estimate: int) -> Plan:
    """Every row checked step by step (_RowReader), then sorted into new, changed and unchanged schools."""
    plan = Plan()
    reader = _RowReader(ctx)
    count = 0
    for number, values in table.rows:
        count += 1
        row = reader.read(number, values, result)
        if row is not None:
            plan.rows.append(row)
        if count % 500 == 0:
            ctx.progress("reading", count, total_estimate)
    result.rows = count
    return plan


class _RowReader:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.wards = WardIndex()
        self.units = {u.code: u for u in Unit.objects.all()}
        self.records = {s.pk: s for s in School.objects.all()}
        self.seen: dict[str, int] = {}  # code → first row

    def code(self, number: int, code: str, errors: list[Problem]) -> None:
        """A well-formed school code, once in the file."""
        bad = field_problem(number, "ma_truong", code, field_rules.school_code("ma_truong", code))
        if bad is not None:
            errors.append(bad)
        if code in self.seen:
            errors.append(
                Problem(
                    number,
                    "ma_truong",
                    code,
                    _("Mã trường %(code)s trùng với dòng %(first)d trong cùng tệp.")
                    % {"code": code, "first": self.seen[code]},
                )
            )
        elif code:
            self.seen[code] = number

    @staticmethod
    def kinds(number: int, level_text: str, ownership_text: str, errors: list[Problem]) -> tuple[Any, Any]:
        """The level and the ownership, as people write them."""
        level = LEVELS.get(fold(level_text)) if level_text else None
        if level_text and level is None:
            errors.append(
                Problem(
                    number,
                    "cap_hoc",
                    level_text,
                    _("Cấp học phải là một trong: Mầm non, Tiểu học, THCS, Tiểu học và THCS, Liên cấp."),
                )
            )
        ownership = OWNERSHIPS.get(fold(ownership_text)) if ownership_text else None
        if ownership_text and ownership is None:
            errors.append(
                Problem(
                    number, "loai_hinh", ownership_text, _("Loại hình phải là “Công lập” hoặc “Tư thục”.")
                )
            )
        return level, ownership

    def placement(
        self, number: int, code: str, ward_id: int | None, errors: list[Problem]
    ) -> tuple[Unit | None, Unit | None]:
        """(existing unit, parent for a new one): an existing code must be a school the user may change; a
        new school goes under its ward when the tree has one, else under the import's unit."""
        ctx = self.ctx
        existing = self.units.get(code) if code else None

        def refuse(message: str) -> tuple[Unit | None, Unit | None]:
            errors.append(Problem(number, "ma_truong", code, message))
            return existing, None

        if existing is not None:
            if existing.kind != UnitKind.SCHOOL:
                return refuse(_("Mã %(code)s đã dùng cho một đơn vị không phải trường.") % {"code": code})
            if not ctx.may_change(existing, Perm.CHANGE_SCHOOL):
                return refuse(_("Bạn không có quyền nhập dữ liệu cho trường %(code)s.") % {"code": code})
            return existing, None
        if not code:
            return None, None
        ward = Unit.objects.get(pk=ward_id) if ward_id else None
        parent = ctx.parent
        if ward is not None and (
            parent is None or (ctx.scope_user is not None and ward.path.startswith(parent.path))
        ):
            parent = ward  # a deployment organised by ward: the school sits under its ward
        if parent is None:
            return refuse(
                _("Trường mới %(code)s chưa có đơn vị cấp trên: hãy chỉ định bằng --parent MÃ_ĐƠN_VỊ.")
                % {"code": code}
            )
        if parent.kind == UnitKind.SCHOOL or not ctx.may_change(parent, Perm.CHANGE_SCHOOL):
            return refuse(
                _("Bạn không có quyền tạo trường mới %(code)s dưới đơn vị %(parent)s.")
                % {"code": code, "parent": parent.name}
            )
        return None, parent

    def read(
        self, number: int, values: tuple[str, ...], result: ImportResult
    ) -> tuple[int, str, str, dict[str, Any], Unit | None, Unit | None] | None:
        code, name, level_text, ownership_text, ward_text, address, phone_text, email, principal = values
        errors = cell_problems(number, COLUMNS, values, REQUIRED_VALUES, LIMITS)
        self.code(number, code, errors)
        level, ownership = self.kinds(number, level_text, ownership_text, errors)
        phone, contact = contact_problems(number, phone_text, email)
        errors += contact
        ward_id = (
            self.wards.find(ward_text, self.ctx.parent.path if self.ctx.parent else "") if ward_text else None
        )
        existing, parent = self.placement(number, code, ward_id, errors)
        if errors:
            result.errors.extend(errors)
            return None
        if ward_text and ward_id is None:
            result.warnings.append(unknown_ward(number, ward_text))
        fields = {
            "level": level,
            "ownership": ownership,
            "ward_id": ward_id,
            "ward_name": "" if ward_id else ward_text,
            "address": address,
            "phone": phone,
            "email": email,
            "principal_name": principal,
        }
        record = self.records.get(existing.pk) if existing is not None else None
        if (
            existing is not None
            and record is not None
            and existing.name == name.strip()
            and all(getattr(record, key) == value for key, value in fields.items())
        ):
            result.unchanged += 1
            return None
        if existing is None:
            result.new += 1
        else:
            result.changed += 1
        return (number, code, name.strip(), fields, parent, existing)


def write(ctx: ImportContext, plan: Plan, result: ImportResult) -> None:
    if not plan.rows:
        return
    total = len(plan.rows)
    ctx.progress("writing", 0, total)
    note = (_("Nhập từ tệp %(file)s") % {"file": ctx.file_name})[:255]
    with transaction.atomic():
        records = School.objects.in_bulk([existing.pk for *_rest, existing in plan.rows if existing])
        new_records: list[tuple[Unit, dict[str, Any]]] = []
        for done, (_number, code, name, fields, parent, existing) in enumerate(plan.rows, start=1):
            if existing is None:
                unit = core_services.unit_create(
                    actor=ctx.actor, kind=UnitKind.SCHOOL, code=code, name=name, parent=parent
                )
            else:
                unit = existing
            record = records.get(unit.pk)
            if record is None and unit.name != name:
                unit = core_services.unit_update(actor=ctx.actor, unit=unit, name=name)
            if record is None:
                new_records.append((unit, fields))
            else:
                services.school_update(actor=ctx.actor, school=record, name=name, note=note, **fields)
            if done % 100 == 0:
                ctx.progress("writing", done, total)
        services.school_bulk_create(actor=ctx.actor, rows=new_records, note=note)
        audit.record(
            actor=ctx.actor,
            action=AuditAction.UPDATE,
            object_type=School._meta.label_lower,
            object_repr=_("Nhập %(count)d trường từ tệp %(file)s") % {"count": total, "file": ctx.file_name},
            unit=common_unit(sorted(u.path for u in Unit.objects.filter(code__in=[r[1] for r in plan.rows]))),
            changes={
                "new": result.new,
                "changed": result.changed,
                "file": ctx.file_name,
                "sha256": ctx.sha256,
            },
            note=_("Nhập trường từ tệp"),
        )
    result.written = True
    ctx.progress("writing", total, total)
