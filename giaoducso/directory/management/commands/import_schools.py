from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit
from giaoducso.directory.importing.command import ImportCommand


class Command(ImportCommand):
    help = "Import schools from a CSV or XLSX file: all rows or none (exit 1 with a row-by-row report)."
    kind = "schools"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--parent", default="", help="code of the unit new schools go under")

    def import_options(self, options: dict[str, Any]) -> dict[str, Any]:
        code = options.get("parent") or ""
        if not code:
            return {}
        parent = Unit.objects.filter(code=code).first()
        if parent is None:
            raise CommandError(_("Không có đơn vị mã %(code)s.") % {"code": code})
        return {"parent": parent}
