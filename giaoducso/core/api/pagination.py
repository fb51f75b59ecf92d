"""Page-number pagination: ?page=1&page_size=50 → {"items", "count", "page", "page_size"}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

# Far beyond any real list, low enough that page × page_size stays inside a 64-bit SQL OFFSET.
MAX_PAGE = 10_000_000


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, bắt đầu từ 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description=f"Số dòng một trang (mặc định {settings.API_PAGE_SIZE}).",
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size or settings.API_PAGE_SIZE
        offset = (pagination.page - 1) * size
        return {
            "items": queryset[offset : offset + size],
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
        }
