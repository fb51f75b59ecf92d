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
from rules.text import fold, name_sort_key

from ..models import (
    Enrolment,
    Equipment,
    Guardian,
    Room,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffAssignment,
    Student,
    StudentStatus,
    StudentStatusEvent,
    Term,
)
from .plan import CHILD_RECORD, PROVINCE_CODE, STAFF_RECORD, STUDENT_RECORD, DemoPlan, build_plan

BATCH_SIZE = 2000
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
            loaded[row.unit_id if isinstance(row, School) else row.school_id][label] += 1
        return rows

    bulk(
        School,
        [
            School(
                unit=units[s.code],
                level=s.directory_level,
                ownership=s.ownership,
                ward=units[s.ward_code],
                ward_name=s.ward_name,
                address=s.address,
                phone=s.phone,
                email=s.email,
                principal_name=s.principal_name,
                it_leader_name=s.it_leader_name,
                has_it_staff_position=s.has_it_staff_position,
            )
            for s in plan.schools
        ],
    )
    staff = [
        Staff(
            school=units[s.school_code],
            personal_id=s.personal_id,
            full_name=s.full_name,
            search_name=fold(s.full_name),
            sort_key=name_sort_key(s.full_name),
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
    ]
    bulk(Staff, staff)
    _fill_pks(Staff, staff, units)
    staff_by_id = {s.personal_id: s for s in staff}
    assignments = [
        StaffAssignment(
            school=units[s.school_code],
            staff=staff_by_id[s.personal_id],
            position=_code(codelists.staff_positions(), s.position),
        )
        for s in plan.staff
    ]
    assignments += [
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

    students = [
        Student(
            school_id=units[s.school_code].pk,
            personal_id=s.personal_id,
            full_name=s.full_name,
            search_name=fold(s.full_name),
            sort_key=name_sort_key(s.full_name),
            date_of_birth=s.date_of_birth,
            sex=s.sex,
            ethnicity=_code(codelists.ethnic_groups(), s.ethnicity),
            place_of_birth=s.place_of_birth,
            birth_province=_code(codelists.provinces(), s.place_of_birth),
            birth_commune=s.birth_commune,
            father_name=s.father_name,
            father_birth_year=s.father_birth_year,
            mother_name=s.mother_name,
            mother_birth_year=s.mother_birth_year,
            address=s.address,
            ward_id=units[s.ward_code].pk if s.ward_code else None,
            ward_name=s.ward_name,
            disability=s.disability,
            policy_groups=list(s.policy_groups),
            status=StudentStatus.STUDYING,
            current_class_id=class_ids[(s.school_code, s.class_name)],
        )
        for s in plan.students
    ]
    bulk(Student, students)
    _fill_pks(Student, students, units)
    bulk(
        Guardian,
        [
            Guardian(
                school_id=student.school_id,
                student_id=student.pk,
                full_name=s.guardian_name,
                relation=s.guardian_relation,
                phone=s.guardian_phone,
            )
            for s, student in zip(plan.students, students, strict=True)
        ],
    )
    bulk(
        Enrolment,
        [
            Enrolment(
                school_id=student.school_id,
                student_id=student.pk,
                year_id=current.pk,
                school_class_id=student.current_class_id,
                start_date=current.start_date,
            )
            for student in students
        ],
    )
    bulk(
        StudentStatusEvent,
        [
            StudentStatusEvent(
                school_id=student.school_id,
                student_id=student.pk,
                status=StudentStatus.STUDYING,
                date=current.start_date,
                note="Dữ liệu mẫu",
            )
            for student in students
        ],
    )

    # Bulk inserts skip the per-row audit; one line per school and table records what was loaded and why.
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


def _fill_pks(model: type[Staff] | type[Student], rows: list[Any], units: dict[str, Unit]) -> None:
    if any(row.pk is None for row in rows):
        # Backends that do not return ids from a bulk insert: fetch them once.
        pks = dict(model.objects.filter(school__code__in=units).values_list("personal_id", "pk"))
        for row in rows:
            row.pk = pks[row.personal_id]


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
