"""The scheduler's loop (core.periodic): every so often, runs each slot that is due and not yet run.

`make run` starts it beside the worker; in a deployment it runs as a service, or from cron with `--once`
(every few minutes: `*/5 * * * * … manage.py run_schedule --once`). Several of them at once are safe: each
slot is claimed once in the database."""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from giaoducso.core import periodic


class Command(BaseCommand):
    help = (
        "Chạy các việc định kỳ theo khung giờ (giờ Việt Nam) và các việc hằng ngày; mỗi khung giờ chỉ chạy "
        "một lần dù có nhiều tiến trình lập lịch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Chạy các khung giờ đến hạn một lần rồi thoát (cho cron)."
        )
        parser.add_argument(
            "--interval", type=int, default=30, help="Số giây giữa hai lần kiểm tra (mặc định 30)."
        )
        parser.add_argument("--list", action="store_true", help="Liệt kê các việc theo khung giờ đã đăng ký.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name, entry in sorted(periodic.SCHEDULES.items()):
                times = ", ".join(t.strftime("%H:%M") for t in entry.times)
                self.stdout.write(f"{name}\t{times}\t{entry.label}")
            for name, daily in sorted(periodic.PERIODIC.items()):
                self.stdout.write(f"daily:{name}\t{periodic.DAILY_AT:%H:%M}\t{daily.label}")
            return
        interval = max(5, options["interval"])
        while True:
            close_old_connections()
            results = periodic.run_due()
            if results:
                self.stdout.write(json.dumps(results, ensure_ascii=False, default=str))
            if options["once"]:
                return
            time.sleep(interval)
