"""The shared body of the import_* management commands."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from .service import run_import

PHASES = {
    "reading": "Đang đọc và kiểm tra",
    "checking": "Đang đối chiếu dữ liệu có sẵn",
    "writing": "Đang ghi dữ liệu",
}


class ImportCommand(BaseCommand):
    kind = ""
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file with a header row")
        parser.add_argument("--dry-run", action="store_true", help="check and report without writing")

    def import_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {}

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        started = time.monotonic()
        last: dict[str, float] = {}

        def progress(phase: str, done: int, total: int) -> None:
            # At most a line a second per phase, plus the first and the last, so logs stay readable.
            now = time.monotonic()
            if done not in (0, total) and now - last.get(phase, 0.0) < 1.0:
                return
            last[phase] = now
            label = PHASES.get(phase, phase)
            shown = f"{done}/{total}" if total else str(done)
            self.stderr.write(f"[{now - started:6.1f}s] {label} ({phase}): {shown}")
            self.stderr.flush()

        result = run_import(
            kind=self.kind,
            path=path,
            actor=f"{self.kind} (dòng lệnh)",
            dry_run=options["dry_run"],
            progress=progress,
            **self.import_options(options),
        )
        if not result.ok:
            self.stdout.write(result.error_report())
            raise SystemExit(1)
        self.stdout.write(result.summary())
