"""Pages of a list that keep the list's filters on their links."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    # get_page() turns any bad ?page= into the nearest real page instead of an error.
    page = Paginator(items, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query_base = params.urlencode()  # type: ignore[attr-defined]  # read by core/_pagination.html
    return page
