"""Runs the day's periodic work (core.periodic): from cron once a day, or by hand to catch up."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from giaoducso.core import periodic


class Command(BaseCommand):
    help = (
        "Chạy các việc định kỳ hằng ngày (ví dụ: thực hiện các thay đổi đã lên lịch đến ngày). "
        "Chạy lại trong cùng ngày không làm thay đổi gì thêm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--only", action="append", default=[], help="Chỉ chạy việc có tên này.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Giao cho tiến trình nền (django-tasks) thay vì chạy ngay."
        )
        parser.add_argument("--list", action="store_true", help="Liệt kê các việc định kỳ đã đăng ký.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name, entry in sorted(periodic.PERIODIC.items()):
                self.stdout.write(f"{name}\t{entry.label}")
            return
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Ngày phải có dạng YYYY-MM-DD.") from exc
        names = options["only"] or None
        try:
            if options["enqueue"]:
                queued = periodic.enqueue_all(today, names)
                self.stdout.write(f"Đã giao {len(queued)} việc cho tiến trình nền: {', '.join(queued)}")
                return
            results = periodic.run_all(today, names)
        except KeyError as exc:
            raise CommandError(f"Không có việc định kỳ tên {exc}.") from exc
        self.stdout.write(json.dumps(results, ensure_ascii=False, default=str))
        if any(r.get("error") for r in results.values()):
            raise CommandError("Có việc định kỳ bị lỗi; xem nhật ký ứng dụng.")
