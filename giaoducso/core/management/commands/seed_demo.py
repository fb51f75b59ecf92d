"""`python manage.py seed_demo`: a deterministic, realistic demo district, and its accounts.

Every app contributes its part through core's registry (`giaoducso.core.demo`): each plans its data
(pure, seeded), core writes the units and accounts through its audited services, each app writes its
records (the directory in bulk, with one audit line per school and table), all in one transaction.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from giaoducso.core import demo
from giaoducso.core.demo import DEMO_PASSWORD, DISTRICT, STRUCTURES, SUPERUSER, DemoOptions
from giaoducso.core.models import Unit
from giaoducso.core.roles import Role


def school_year_arg(value: str) -> int:
    try:
        return demo.parse_school_year(value)
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
        wanted = DemoOptions(
            seed=options["seed"],
            schools=options["schools"],
            students=options["students"],
            structure=options["structure"],
            school_year=options["school_year"] or demo.current_school_year(timezone.localdate()),
        )
        started = time.monotonic()
        plans = list(demo.planned(wanted))
        codes = [u.code for part, plan in plans for u in part.units(plan)]
        taken = Unit.objects.filter(code__in=codes).values_list("code", flat=True)
        if taken:
            raise CommandError(
                f"Đã có đơn vị mang mã của dữ liệu mẫu ({', '.join(sorted(taken)[:5])}…). "
                "Dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu chưa có chúng; dùng --if-empty để bỏ qua."
            )
        with transaction.atomic():
            demo.write_planned(plans)
        elapsed = time.monotonic() - started
        self.print_summary(wanted, plans, elapsed)

    def print_summary(
        self, options: DemoOptions, plans: list[tuple[demo.DemoPart, Any]], elapsed: float
    ) -> None:
        out = self.stdout.write
        units = {u.code: u.name for part, plan in plans for u in part.units(plan)}
        accounts = [a for part, plan in plans for a in part.accounts(plan)]
        parts = ", ".join(part.summary(plan) for part, plan in plans)
        out(
            f"Đã tạo dữ liệu mẫu ({options.structure}, seed {options.seed}, năm học "
            f"{options.school_year}–{options.school_year + 1}): {len(units)} đơn vị, {parts}, "
            f"{len(accounts)} tài khoản trong {elapsed:.1f} giây."
        )
        out("")
        out(f"Mật khẩu của mọi tài khoản dùng thử: {DEMO_PASSWORD}")
        out("Tài khoản có mã TOTP cần xác thực hai lớp: thêm mã bí mật vào ứng dụng xác thực, hoặc lấy mã")
        out("hiện tại bằng: python manage.py demo_totp <tên đăng nhập>")
        out("")
        rows = [("Tên đăng nhập", "Vai trò", "Đơn vị", "Mã bí mật TOTP")]
        for account in accounts:
            role = "Quản trị hệ thống" if account.role == SUPERUSER else str(Role(account.role).label)
            rows.append(
                (
                    account.username,
                    role,
                    units.get(account.unit_code or "", "") or "—",
                    account.totp_secret or "",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for i, row in enumerate(rows):
            out("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
            if i == 0:
                out("  ".join("-" * w for w in widths))
