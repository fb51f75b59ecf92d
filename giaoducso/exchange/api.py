"""Open data in the JSON API: the same tables as /open-data/<dataset>.json, public, no token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import Code

from . import open_data

router = Router(tags=["open-data"])


class ColumnOut(Schema):
    key: str
    label: str


class DatasetUnitOut(Schema):
    code: str
    name: str


class DatasetOut(Schema):
    dataset: str
    title: str
    description: str
    unit: DatasetUnitOut | None
    licence: str
    threshold: int = Field(description="Ô từ 1 đến threshold−1 được ghi “<threshold”.")
    note: str
    generated_at: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(
        description="Mỗi dòng theo khóa của columns; số nguyên, “<5”, hoặc null (ô ẩn bổ sung)."
    )


class DatasetListItem(Schema):
    dataset: str
    title: str
    description: str


class UnitFilter(Schema):
    unit: Code | None = Field(None, description="Mã đơn vị (phòng, phường/xã hoặc trường) để lọc.")


@router.get(
    "/open-data", response={200: list[DatasetListItem], **ERRORS}, auth=None, summary="Các bộ dữ liệu mở"
)
def dataset_list(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"dataset": slug, "title": str(spec.title), "description": str(spec.description)}
        for slug, spec in open_data.DATASETS.items()
    ]


@router.get(
    "/open-data/{dataset}", response={200: DatasetOut, **ERRORS}, auth=None, summary="Một bộ dữ liệu mở"
)
def dataset_detail(request: HttpRequest, dataset: str, filters: Query[UnitFilter]) -> dict[str, Any]:
    unit = open_data.unit_for_code(filters.unit)
    return open_data.dataset_get(dataset[:64], unit=unit)
