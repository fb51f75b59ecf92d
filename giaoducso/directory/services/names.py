"""A person's name and the columns derived from it, set the same way on every write path."""

from typing import Any

from rules.text import name_columns


def set_name_columns(record: Any, raw_name: str) -> None:
    """The name and every column derived from it (rules.text.name_columns), on a student or staff record."""
    for column, value in name_columns(raw_name or "").items():
        setattr(record, column, value)
