"""`python manage.py seed_demo`: a deterministic, realistic demo district, and its accounts.

The data comes from giaoducso.core.demo_data.build_plan (pure, seeded); this command only writes it:
units and accounts through the services (so they are audited like any other), students and guardians
in bulk, all in one transaction.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
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
)
from giaoducso.core.models import AuditAction, Unit, User
from giaoducso.core.roles import Role
from giaoducso.directory.models import Guardian, Student

BATCH_SIZE = 2000


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
            type=int,
            default=None,
            help="năm bắt đầu của năm học, để tính tuổi học sinh (mặc định: năm học hiện tại)",
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
            f"trường, {len(plan.students)} học sinh, {len(plan.accounts)} tài khoản trong {elapsed:.1f} giây."
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
    for unit in plan.units:
        units[unit.code] = services.unit_create(
            actor=None,
            kind=unit.kind,
            code=unit.code,
            name=unit.name,
            short_name=unit.short_name,
            parent=units[unit.parent_code] if unit.parent_code else None,
        )

    # Bulk inserts skip the per-row audit; one line per school records what was loaded and why.
    students = [
        Student(
            school=units[s.school_code],
            personal_id=s.personal_id,
            full_name=s.full_name,
            date_of_birth=s.date_of_birth,
            sex=s.sex,
            ethnicity=s.ethnicity,
            address=s.address,
        )
        for s in plan.students
    ]
    Student.objects.bulk_create(students, batch_size=BATCH_SIZE)
    by_id = {s.personal_id: s for s in students}
    if any(s.pk is None for s in students):
        # Backends that do not return ids from a bulk insert: fetch them once.
        pks = dict(Student.objects.filter(school__code__in=units).values_list("personal_id", "pk"))
        for student in students:
            student.pk = pks[student.personal_id]
    Guardian.objects.bulk_create(
        [
            Guardian(
                school=units[s.school_code],
                student=by_id[s.personal_id],
                full_name=s.guardian_name,
                relation=s.guardian_relation,
                phone=s.guardian_phone,
            )
            for s in plan.students
        ],
        batch_size=BATCH_SIZE,
    )
    for school in plan.schools:
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="directory.student",
            object_repr=f"Dữ liệu mẫu: {school.students} học sinh và cha mẹ học sinh",
            unit=units[school.code],
            changes={"students": school.students, "seed": plan.seed},
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
        if account.totp_secret:
            TOTPDevice.objects.create(
                user=user,
                name=DEMO_DEVICE_NAME,
                key=base64.b32decode(account.totp_secret).hex(),
                confirmed=True,
            )


def _link(user: User, student: Student, role: str) -> None:
    if role == Role.STUDENT:
        Student.objects.filter(pk=student.pk).update(user=user)
    elif role == Role.PARENT:
        Guardian.objects.filter(student=student).update(user=user)
