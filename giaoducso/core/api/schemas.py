"""Shared input types and output schemas of the API."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, StringConstraints


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL inside text: without this check such a query string would be a 500.
    if "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value.strip()


# Every free-text query parameter: bounded, and safe to hand to any database.
SearchText = Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_nul)]
Code = Annotated[str, StringConstraints(max_length=32), AfterValidator(_no_nul)]


class UnitRef(Schema):
    code: str
    name: str
    kind: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error shape of the API (DESIGN §4)."""

    error: ErrorDetail
