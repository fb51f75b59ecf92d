"""`python manage.py seed_demo`: a deterministic, realistic demo district, and its accounts.

The data comes from giaoducso.core.demo_data.build_plan (pure, seeded); this command only writes it:
units and accounts through the services (so they are audited like any other); the directory (school
records, years and terms, classes, staff, rooms and equipment, students with their guardians, enrolments
and status) in bulk, with one audit line per school and table; all in one transaction.
"""

from __future__ import annotations

import argparse
import base64
import time
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from giaoducso.core import audit, services
from giaoducso.core.demo_data import (
    DEMO_DEVICE_NAME,
    DEMO_PASSWORD,
    DISTRICT,
    STRUCTURES,
    SUPERUSER,
    DemoPlan,
    build_plan,
    current_school_year,
    parse_school_year,
)
from giaoducso.core.models import AuditAction, Unit, User
from giaoducso.core.roles import Role
from giaoducso.directory.models import (
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
from rules.text import fold

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


def school_year_arg(value: str) -> int:
    try:
        return parse_school_year(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"năm học «{value}» không hợp lệ; ghi 2026 hoặc 2026-2027") from None


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (Sở → Phòng GD&ĐT Quận 6 → các trường) và in các tài khoản dùng thử."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=45, help="số trường (mặc định 45)")
        parser.add_argument("--students", type=int, default=30_000, help="số học sinh (mặc định 30000)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
        parser.add_argument(
            "--structure",
            choices=STRUCTURES,
            default=DISTRICT,
            help="district: Sở → Phòng → trường (trước 2025); ward: Sở → phường → trường (sau 2025)",
        )
        parser.add_argument(
            "--school-year",
            type=school_year_arg,
            default=None,
            help="năm học hiện tại của dữ liệu mẫu, 2026 hoặc 2026-2027 (mặc định: năm học đang diễn ra)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="không làm gì nếu cơ sở dữ liệu đã có đơn vị"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write("seed_demo: cơ sở dữ liệu đã có đơn vị; không tạo dữ liệu mẫu.")
            return
        if options["schools"] < 1 or options["students"] < 0:
            raise CommandError("--schools phải ≥ 1 và --students phải ≥ 0.")
        school_year = options["school_year"] or current_school_year(timezone.localdate())
        started = time.monotonic()
        plan = build_plan(
            seed=options["seed"],
            schools=options["schools"],
            students=options["students"],
            structure=options["structure"],
            school_year=school_year,
        )
        taken = Unit.objects.filter(code__in=[u.code for u in plan.units]).values_list("code", flat=True)
        if taken:
            raise CommandError(
                f"Đã có đơn vị mang mã của dữ liệu mẫu ({', '.join(sorted(taken)[:5])}…). "
                "Dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu chưa có chúng; dùng --if-empty để bỏ qua."
            )
        with transaction.atomic():
            write_plan(plan)
        elapsed = time.monotonic() - started
        self.print_summary(plan, elapsed)

    def print_summary(self, plan: DemoPlan, elapsed: float) -> None:
        out = self.stdout.write
        out(
            f"Đã tạo dữ liệu mẫu ({plan.structure}, seed {plan.seed}, năm học "
            f"{plan.school_year}–{plan.school_year + 1}): {len(plan.units)} đơn vị, {len(plan.schools)} "
            f"trường, {len(plan.classes)} lớp, {len(plan.staff)} cán bộ, giáo viên, nhân viên, "
            f"{len(plan.students)} học sinh, {len(plan.rooms)} phòng, {len(plan.accounts)} tài khoản "
            f"trong {elapsed:.1f} giây."
        )
        out("")
        out(f"Mật khẩu của mọi tài khoản dùng thử: {DEMO_PASSWORD}")
        out("Tài khoản có mã TOTP cần xác thực hai lớp: thêm mã bí mật vào ứng dụng xác thực, hoặc lấy mã")
        out("hiện tại bằng: python manage.py demo_totp <tên đăng nhập>")
        out("")
        rows = [("Tên đăng nhập", "Vai trò", "Đơn vị", "Mã bí mật TOTP")]
        for account in plan.accounts:
            role = "Quản trị hệ thống" if account.role == SUPERUSER else str(Role(account.role).label)
            rows.append(
                (account.username, role, plan.unit_name(account.unit_code) or "—", account.totp_secret or "")
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for i, row in enumerate(rows):
            out("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
            if i == 0:
                out("  ".join("-" * w for w in widths))


def write_plan(plan: DemoPlan) -> None:
    units: dict[str, Unit] = {}
    for planned in plan.units:
        units[planned.code] = services.unit_create(
            actor=None,
            kind=planned.kind,
            code=planned.code,
            name=planned.name,
            short_name=planned.short_name,
            parent=units[planned.parent_code] if planned.parent_code else None,
        )
    current = _write_years(plan)
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
            sex=s.sex,
            date_of_birth=s.date_of_birth,
            position=s.position,
            employment_type=s.employment_type,
            qualification=s.qualification,
            subjects=s.subjects,
            phone=s.phone,
        )
        for s in plan.staff
    ]
    bulk(Staff, staff)
    _fill_pks(Staff, staff, units)
    staff_by_id = {s.personal_id: s for s in staff}
    assignments = [
        StaffAssignment(school=units[s.school_code], staff=staff_by_id[s.personal_id], position=s.position)
        for s in plan.staff
    ]
    assignments += [
        StaffAssignment(
            school=units[s.second_school_code],
            staff=staff_by_id[s.personal_id],
            position=s.position,
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
            date_of_birth=s.date_of_birth,
            sex=s.sex,
            ethnicity=s.ethnicity,
            place_of_birth=s.place_of_birth,
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
    by_id = {s.personal_id: s for s in students}
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

    # The demo password is public, so per-account salts protect nothing; hashing it once instead of
    # once per account saves most of a second per account with the production hasher.
    validate_password(DEMO_PASSWORD)
    password_hash = make_password(DEMO_PASSWORD)
    for account in plan.accounts:
        unit = units[account.unit_code] if account.unit_code else None
        user = services.user_create(
            actor=None,
            username=account.username,
            password=None,
            full_name=account.full_name,
            email=account.email,
            audit_unit=unit,
        )
        user.password = password_hash
        user.is_staff = user.is_superuser = account.role == SUPERUSER
        user.save(update_fields=["password", "is_staff", "is_superuser"])
        if unit is not None:
            services.membership_grant(
                actor=None, user=user, unit=unit, role=account.role, title=account.title
            )
        if account.student_personal_id:
            _link(user, by_id[account.student_personal_id], account.role)
        if account.staff_personal_id:
            Staff.objects.filter(pk=staff_by_id[account.staff_personal_id].pk).update(user=user)
        if account.totp_secret:
            TOTPDevice.objects.create(
                user=user,
                name=DEMO_DEVICE_NAME,
                key=base64.b32decode(account.totp_secret).hex(),
                confirmed=True,
            )


def _write_years(plan: DemoPlan) -> SchoolYear:
    """The plan's school years and terms (reused when they exist); returns the current one."""
    years: dict[str, SchoolYear] = {}
    someone_current = SchoolYear.objects.filter(is_current=True).exists()
    for year in plan.years:
        record, created = SchoolYear.objects.get_or_create(
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


def _link(user: User, student: Student, role: str) -> None:
    if role == Role.STUDENT:
        Student.objects.filter(pk=student.pk).update(user=user)
    elif role == Role.PARENT:
        Guardian.objects.filter(student=student).update(user=user)
