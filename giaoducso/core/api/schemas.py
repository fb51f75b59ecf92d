"""Shared input types and output schemas of the API."""

from __future__ import annotations

from ninja import Schema

from .types import Code, SearchText

__all__ = ["Code", "ErrorDetail", "ErrorOut", "SearchText", "UnitRef"]


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
