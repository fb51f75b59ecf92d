import logging
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import context
from .roles import TWO_FACTOR_ROLES

logger = logging.getLogger("giaoducso.request")

ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy, PROXY_COUNT says how many trusted hops appended to X-Forwarded-For.
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def nul_fields(request: HttpRequest) -> list[str] | None:
    """None when the request carries no NUL; else the query parameters that do ("" for the path)."""
    found = [""] if "\x00" in request.path or "\x00" in request.path_info else []
    found += [
        key.replace("\x00", "") or "?"
        for key, values in request.GET.lists()
        if "\x00" in key or any("\x00" in v for v in values)
    ]
    return found or None


def _over_size_limit(request: HttpRequest) -> bool:
    """A non-multipart body longer than DATA_UPLOAD_MAX_MEMORY_SIZE: Django would refuse to read it later,
    deep in a view or the API, where it became a 500. Multipart bodies may carry large files (imports);
    Django limits their plain fields itself while parsing, and handler400 turns that into a 413."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit


class RequestGuardMiddleware:
    """Refuses, before any view or the database sees them, requests that can only end in an error:

    - a NUL character in the path or the query string (raw or as %00): PostgreSQL cannot store it in a
      text value, so psycopg raised DataError (a 500) in whichever view passed the value to a query.
      One guard here instead of a check in every view; form fields already refuse NUL on their own.
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 instead of a 500 when the API reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Imported here: the error views import templates and translations this module must not need.
        from .views import errors

        fields = nul_fields(request)
        if fields is not None:
            return errors.invalid_characters(request, [f for f in fields if f])
        if _over_size_limit(request):
            return errors.payload_too_large(request)
        return self.get_response(request)


class RequestContextMiddleware:
    """Binds request id, IP and user agent for the audit log and the logs; logs one line a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A proxy's id is kept so that its logs and ours join up; anything odd is replaced, since the
        # value is echoed in a response header and written to every log line of the request.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        token = context.bind(
            context.RequestContext(
                request_id=request_id,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            )
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status_code": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": getattr(getattr(request, "user", None), "pk", None),
                },
            )
            return response
        finally:
            context.reset(token)


class ActiveMembershipMiddleware:
    """Applies the unit switcher: the membership chosen in the session becomes the user's active one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership_id = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            active = None
            if membership_id is not None:
                active = (
                    user.memberships.filter(pk=membership_id, is_active=True).select_related("unit").first()
                )
                if active is None:
                    request.session.pop(ACTIVE_MEMBERSHIP_SESSION_KEY, None)
            user.active_membership = active
        return self.get_response(request)


def requires_two_factor(user: object) -> bool:
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.memberships.filter(is_active=True, role__in=TWO_FACTOR_ROLES).exists()  # type: ignore[attr-defined]


class TwoFactorRequiredMiddleware:
    """Users whose roles demand a second factor reach nothing but the 2FA pages until they pass it."""

    # Only the steps of signing in (and out); the password page waits for the second factor too.
    ALLOWED_PATHS = ("/accounts/login/", "/accounts/logout/", "/accounts/two-factor/")
    ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and request.path not in self.ALLOWED_PATHS
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and requires_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                # A browser session half-way through signing in must not reach data through the API
                # either; token-authenticated systems carry no session user and are not affected.
                message = _("Cần hoàn tất xác thực hai lớp trước khi dùng API.")
                return JsonResponse(
                    {"error": {"code": "two_factor_required", "message": message, "fields": {}}},
                    status=403,
                )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('core:two_factor')}?{query}")
        return self.get_response(request)


class MustChangePasswordMiddleware:
    """An account whose password someone else chose (a reset by IT, a parent's letter) reaches nothing but
    the password page until its owner has chosen their own. After the second factor, which comes first."""

    ALLOWED_PATHS = ("/accounts/password/", "/accounts/logout/", "/accounts/two-factor/")
    ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.path not in self.ALLOWED_PATHS
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                message = _("Cần đổi mật khẩu trước khi dùng API.")
                return JsonResponse(
                    {"error": {"code": "password_change_required", "message": message, "fields": {}}},
                    status=403,
                )
            return redirect(reverse("core:password_change"))
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose otherwise: the language cookie (the switcher in the header),
    else the signed-in user's saved language, else LANGUAGE_CODE.

    The browser's Accept-Language is ignored on purpose: most officers' browsers are set to English by
    default, and a public-sector site speaks the country's language until asked not to.
    """

    def process_request(self, request: HttpRequest) -> None:
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in supported:
            user = getattr(request, "user", None)
            language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
