"""`manage.py setup_unit`: the first run of a real deployment (see directory/setup.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from giaoducso.directory.setup import DATE_FORMAT, SETUP_KINDS, unit_setup


def _date(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), DATE_FORMAT).date()
    except ValueError:
        raise CommandError(
            _("Ngày %(value)s không hợp lệ; hãy viết dạng dd/mm/yyyy, ví dụ 05/09/2026.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Create the department or ward unit of a real deployment, its current school year and optionally "
        "its first department IT account. The school year goes on the province department (Sở) above the "
        "unit, whose calendar its schools follow, or on the unit itself when no Sở is above it. Safe to run "
        "again: what exists is kept. Exit 1 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked by the service, not by argparse, so that a wrong kind is explained in Vietnamese.
        parser.add_argument("--kind", required=True, help=" | ".join(k.value for k in SETUP_KINDS))
        parser.add_argument("--code", required=True, help="unit code, e.g. PGD06")
        parser.add_argument("--name", required=True, help="unit name, e.g. “Phòng GD&ĐT Quận 6”")
        parser.add_argument("--parent-code", default="", help="code of the parent Sở (created if missing)")
        parser.add_argument(
            "--parent-name", default="", help="name of the parent Sở, when it must be created"
        )
        parser.add_argument(
            "--school-year", default="", help="e.g. 2026-2027 (default: the school year running today)"
        )
        parser.add_argument("--start-date", default="", help="dd/mm/yyyy (default: 5 September)")
        parser.add_argument("--end-date", default="", help="dd/mm/yyyy (default: 31 May)")
        parser.add_argument("--admin-username", default="", help="first department IT account")
        parser.add_argument("--admin-email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = unit_setup(
                actor=None,
                kind=options["kind"],
                code=options["code"],
                name=options["name"],
                parent_code=options["parent_code"],
                parent_name=options["parent_name"],
                school_year=options["school_year"],
                start_date=_date(options["start_date"]) if options["start_date"] else None,
                end_date=_date(options["end_date"]) if options["end_date"] else None,
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result.created:
            self.stdout.write(_("Đã tạo: %(items)s.") % {"items": "; ".join(result.created)})
        else:
            self.stdout.write(_("Không có gì thay đổi: đơn vị và năm học đã có sẵn."))
        self.stdout.write(
            _(
                "Đơn vị: %(name)s (%(code)s). Năm học hiện tại: %(year)s (%(start)s – %(end)s), lịch của %(owner)s."
            )
            % {
                "name": result.unit.name,
                "code": result.unit.code,
                "owner": result.year.unit.code if result.year.unit else "—",
                "year": result.year.name,
                "start": f"{result.year.start_date:%d/%m/%Y}",
                "end": f"{result.year.end_date:%d/%m/%Y}",
            }
        )
        if result.admin is not None and not result.admin.has_usable_password():
            self.stdout.write(
                _("Đặt mật khẩu cho tài khoản: python manage.py changepassword %(username)s")
                % {"username": result.admin.username}
            )
