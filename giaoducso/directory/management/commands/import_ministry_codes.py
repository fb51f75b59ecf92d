from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit, UnitKind
from giaoducso.directory.ministry import ministry_codes_import


class Command(BaseCommand):
    help = (
        "Fill in Ministry student codes from the C1-HocSinh XLSX returned by the Ministry, matched by personal "
        "identification number: all rows or none (exit 1 with a row-by-row report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the C1-HocSinh XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and report without writing")
        parser.add_argument("--school", default="", help="only students of the school with this code")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        school = None
        if options["school"]:
            school = Unit.objects.filter(code=options["school"], kind=UnitKind.SCHOOL).first()
            if school is None:
                raise CommandError(_("Không có trường mã %(code)s.") % {"code": options["school"]})
        with open(path, "rb") as upload:
            result = ministry_codes_import(
                actor="import_ministry_codes (dòng lệnh)",
                upload=upload,
                school=school,
                dry_run=options["dry_run"],
            )
        if not result.ok:
            self.stdout.write(result.report())
            raise SystemExit(1)
        self.stdout.write(result.summary())
