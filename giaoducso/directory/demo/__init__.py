"""The directory's part of the demo district: its plan (`plan.build_plan`, pure and seeded) and its
writer — school records, years and terms, classes, staff, rooms and equipment, students with their
guardians, enrolments and status — in bulk, with one audit line per school and table."""

from __future__ import annotations

import functools
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import models

from giaoducso.core import audit
from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import AuditAction, Unit, User
from rules import codelists

from ..models import (
    Equipment,
    Guardian,
    Room,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffAssignment,
    Student,
    Term,
)
from ..services.schools import school_bulk_create
from ..services.staff_bulk import NewStaff, staff_bulk_create
from ..services.student_bulk import NewStudent, student_bulk_create
from .plan import CHILD_RECORD, PROVINCE_CODE, STAFF_RECORD, STUDENT_RECORD, DemoPlan, build_plan

BATCH_SIZE = 2000
DEMO_NOTE = "Dữ liệu mẫu"
# How the bulk-load audit lines name each table.
TABLE_LABELS = {
    "directory.school": "hồ sơ trường",
    "directory.staff": "cán bộ, giáo viên, nhân viên",
    "directory.staffassignment": "phân công nơi làm việc",
    "directory.room": "phòng",
    "directory.equipment": "thiết bị",
    "directory.schoolclass": "lớp",
    "directory.student": "học sinh",
    "directory.guardian": "cha mẹ học sinh",
    "directory.enrolment": "xếp lớp",
    "directory.studentstatusevent": "trạng thái học sinh",
}


class DirectoryDemo:
    name = "directory"

    def plan(self, options: DemoOptions) -> DemoPlan:
        return build_plan(
            seed=options.seed,
            schools=options.schools,
            students=options.students,
            structure=options.structure,
            school_year=options.school_year,
        )

    def units(self, plan: DemoPlan) -> list[UnitPlan]:
        return plan.units

    def accounts(self, plan: DemoPlan) -> list[AccountPlan]:
        return plan.accounts

    def write(self, plan: DemoPlan, written: Written) -> None:
        write_plan(plan, written.units)

    def link_accounts(self, plan: DemoPlan, written: Written) -> None:
        for account in plan.accounts:
            if account.record is not None:
                _link(written.users[account.username], *account.record)

    def summary(self, plan: DemoPlan) -> str:
        return (
            f"{len(plan.schools)} trường, {len(plan.classes)} lớp, {len(plan.staff)} cán bộ, giáo viên, "
            f"nhân viên, {len(plan.students)} học sinh, {len(plan.rooms)} phòng"
        )


def write_plan(plan: DemoPlan, units: dict[str, Unit]) -> None:
    current = _write_years(plan, units)
    # Rows loaded per school (unit pk) and table, for the audit lines.
    loaded: dict[int, Counter[str]] = {units[school.code].pk: Counter() for school in plan.schools}

    def bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        label = model._meta.label_lower
        for row in rows:
            loaded[row.school_id][label] += 1
        return rows

    school_bulk_create(
        actor=None,
        rows=[
            (
                units[s.code],
                {
                    "level": s.directory_level,
                    "ownership": s.ownership,
                    "ward": units[s.ward_code],
                    "ward_name": s.ward_name,
                    "address": s.address,
                    "phone": s.phone,
                    "email": s.email,
                    "principal_name": s.principal_name,
                    "it_leader_name": s.it_leader_name,
                    "has_it_staff_position": s.has_it_staff_position,
                },
            )
            for s in plan.schools
        ],
    )
    school_units = {unit.pk: unit for unit in units.values()}
    staff = staff_bulk_create(
        actor=None,
        rows=[
            NewStaff(
                school_id=units[s.school_code].pk,
                personal_id=s.personal_id,
                full_name=s.full_name,
                sex=s.sex,
                date_of_birth=s.date_of_birth,
                # The plan speaks in names; the record keeps the codes of rules/codelists.
                position=_code(codelists.staff_positions(), s.position),
                employment_type=_code(codelists.employment_kinds(), s.employment_type),
                qualification=_code(codelists.qualifications(), s.qualification),
                subjects=s.subjects,
                phone=s.phone,
            )
            for s in plan.staff
        ],
        units=school_units,
        note=DEMO_NOTE,
    )
    staff_by_id = {s.personal_id: s for s in staff}
    assignments = [
        StaffAssignment(
            school=units[s.second_school_code],
            staff=staff_by_id[s.personal_id],
            position=_code(codelists.staff_positions(), s.position),
            is_main=False,
        )
        for s in plan.staff
        if s.second_school_code
    ]
    bulk(StaffAssignment, assignments)

    rooms = [
        Room(
            school=units[r.school_code],
            kind=r.kind,
            name=r.name,
            area_m2=Decimal(r.area_m2),
            condition=r.condition,
        )
        for r in plan.rooms
    ]
    bulk(Room, rooms)
    if any(r.pk is None for r in rooms):
        pks = {
            (school_id, name): pk
            for school_id, name, pk in Room.objects.filter(school__in=units.values()).values_list(
                "school_id", "name", "pk"
            )
        }
        for r in rooms:
            r.pk = pks[(r.school_id, r.name)]
    room_by_name = {(r.school.code, r.name): r for r in rooms}
    bulk(
        Equipment,
        [
            Equipment(
                school=units[e.school_code],
                room=room_by_name[(e.school_code, e.room_name)] if e.room_name else None,
                name=e.name,
                quantity=e.quantity,
                condition=e.condition,
            )
            for e in plan.equipment
        ],
    )
    classes = [
        SchoolClass(
            school=units[c.school_code],
            year=current,
            grade=c.grade,
            name=c.name,
            homeroom_teacher=staff_by_id[c.homeroom_personal_id],
            room=room_by_name[(c.school_code, c.room_name)],
        )
        for c in plan.classes
    ]
    bulk(SchoolClass, classes)
    if any(c.pk is None for c in classes):
        pks = {
            (school_id, name): pk
            for school_id, name, pk in SchoolClass.objects.filter(year=current).values_list(
                "school_id", "name", "pk"
            )
        }
        for c in classes:
            c.pk = pks[(c.school_id, c.name)]
    # Ids rather than instances for the per-student rows: setting a related instance costs more than
    # the insert itself at this size.
    class_ids = {(c.school.code, c.name): c.pk for c in classes}

    student_bulk_create(
        actor=None,
        rows=(
            NewStudent(
                school_id=units[s.school_code].pk,
                personal_id=s.personal_id,
                full_name=s.full_name,
                date_of_birth=s.date_of_birth,
                sex=s.sex,
                class_id=class_ids[(s.school_code, s.class_name)],
                ethnicity=_code(codelists.ethnic_groups(), s.ethnicity),
                address=s.address,
                ward_id=units[s.ward_code].pk if s.ward_code else None,
                ward_name=s.ward_name,
                place_of_birth=s.place_of_birth,
                birth_province=_code(codelists.provinces(), s.place_of_birth),
                birth_commune=s.birth_commune,
                father_name=s.father_name,
                father_birth_year=s.father_birth_year,
                mother_name=s.mother_name,
                mother_birth_year=s.mother_birth_year,
                disability=s.disability,
                policy_groups=s.policy_groups,
                guardian_name=s.guardian_name,
                guardian_phone=s.guardian_phone,
                guardian_relation=s.guardian_relation,
            )
            for s in plan.students
        ),
        year=current,
        start_date=current.start_date,
        units=school_units,
        note=DEMO_NOTE,
    )

    # Students and staff are audited a line per row by their bulk paths; the other tables, loaded here,
    # one line per school and table records what was loaded and why.
    for school in plan.schools:
        school_unit = units[school.code]
        for label, count in sorted(loaded[school_unit.pk].items()):
            audit.record(
                actor=None,
                action=AuditAction.CREATE,
                object_type=label,
                object_repr=f"Dữ liệu mẫu: {count} dòng {TABLE_LABELS.get(label, label)}",
                unit=school_unit,
                changes={"rows": count, "seed": plan.seed},
                note="seed_demo",
            )


def _write_years(plan: DemoPlan, units: dict[str, Unit]) -> SchoolYear:
    """The plan's school years and terms on the demo's Sở, whose calendar its schools follow (reused
    when they exist); returns the current one."""
    province = units[PROVINCE_CODE]
    years: dict[str, SchoolYear] = {}
    someone_current = SchoolYear.objects.filter(unit=province, is_current=True).exists()
    for year in plan.years:
        record, created = SchoolYear.objects.get_or_create(
            unit=province,
            name=year.name,
            defaults={
                "start_date": year.start_date,
                "end_date": year.end_date,
                # A deployment's own current year wins over the demo's.
                "is_current": year.is_current and not someone_current,
            },
        )
        if created:
            Term.objects.bulk_create(
                Term(year=record, number=t.number, start_date=t.start_date, end_date=t.end_date)
                for t in year.terms
            )
        years[year.name] = record
    return years[plan.current_year.name]


def _link(user: User, kind: str, personal_id: str) -> None:
    if kind == STUDENT_RECORD:
        Student.objects.filter(personal_id=personal_id).update(user=user)
    elif kind == CHILD_RECORD:
        Guardian.objects.filter(student__personal_id=personal_id).update(user=user)
    elif kind == STAFF_RECORD:
        Staff.objects.filter(personal_id=personal_id).update(user=user)


@functools.cache
def _code_of(codes: codelists.CodeList, name: str) -> str:
    return codes.lookup(name) or name


def _code(codes: codelists.CodeList, name: str) -> str:
    """The code of a name of the plan (a few hundred distinct names for tens of thousands of rows)."""
    return _code_of(codes, name) if name else ""
