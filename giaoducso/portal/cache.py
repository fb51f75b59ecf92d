"""The public pages' cache: whole anonymous pages, keyed by one generation number that every publication
bumps. Publishing anywhere invalidates every cached page (the department's home gathers the schools'
news, so a school's publication changes it too); publications are rare next to reads, so that is cheap.
A scheduled item appears within PORTAL_CACHE_SECONDS of its moment."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

GENERATION_KEY = "portal:generation"
CACHED_PARAMETERS = frozenset({"trang", "chuyen-muc"})


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return int(value)


def invalidate() -> None:
    """Every public page is rebuilt on its next request."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _seconds() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 60))


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serves a cached copy to anonymous GETs; signed-in readers (who see links to their workspace and
    their messages) always get a fresh page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated or set(request.GET) - CACHED_PARAMETERS:
            # Only the parameters the pages read: random query strings must not fill the cache.
            return view(request, *args, **kwargs)
        path = request.get_full_path()[:500]
        key = f"portal:page:{generation()}:{translation.get_language()}:{request.get_host()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), _seconds())
        return response

    return wrapped
