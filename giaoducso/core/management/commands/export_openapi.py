"""Writes the API's OpenAPI document to docs/openapi.json (or checks that the committed one is current)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from giaoducso.core.api.document import DOCUMENT_PATH, REGENERATE, render_document


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to docs/openapi.json, deterministically (sorted keys)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="write nothing; exit 1 if docs/openapi.json is out of date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_document()
        current = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(f"{DOCUMENT_PATH.name} is out of date; run: {REGENERATE}")
            self.stdout.write(f"{DOCUMENT_PATH} is up to date.")
            return
        if current == text:
            self.stdout.write(f"{DOCUMENT_PATH} unchanged.")
            return
        DOCUMENT_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOCUMENT_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOCUMENT_PATH}.")
