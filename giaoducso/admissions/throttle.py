"""Rate limits for the public (no-account) pages, counted in the shared cache (Redis in production), so
they hold across processes and machines: a client over its limit gets a 429 page, the others nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from giaoducso.core import ratelimit
from giaoducso.core.middleware import client_ip

# action → (requests, seconds) per client address.
LIMITS: dict[str, tuple[int, int]] = {
    "identify": (20, 600),  # identifier + date of birth: guessing is what this stops
    "apply": (20, 600),
    "lookup": (30, 60),
    "confirm": (10, 600),
    "page": (120, 60),
}


def allow(action: str, client: str) -> bool:
    limit, seconds = LIMITS[action]
    return ratelimit.allow(f"admissions:{action}", client, limit=limit, seconds=seconds)


def throttled(action: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable[..., Any]:
    """Counts the view's requests of `methods` against the action's limit; over it, a 429 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and not allow(action, client_ip(request) or "?"):
                response = render(
                    request,
                    "admissions/public/rate_limited.html",
                    {"message": _("Bạn đã thử quá nhiều lần. Hãy đợi ít phút rồi thử lại.")},
                    status=429,
                )
                response["Retry-After"] = str(LIMITS[action][1])
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
