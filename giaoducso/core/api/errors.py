"""Every error under /api/ has one shape (DESIGN §4): {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("giaoducso.api")

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _pydantic_message(error: dict[str, Any]) -> str:
    """pydantic's messages are English; the common ones are said again in Vietnamese."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages: dict[str, Callable[[], str]] = {
        "missing": lambda: _("Mục này là bắt buộc."),
        "int_parsing": lambda: _("Phải là một số nguyên."),
        "int_type": lambda: _("Phải là một số nguyên."),
        "int_from_float": lambda: _("Phải là một số nguyên."),
        "float_parsing": lambda: _("Phải là một số."),
        "bool_parsing": lambda: _("Phải là true hoặc false."),
        "greater_than_equal": lambda: _("Phải lớn hơn hoặc bằng %(v)s.") % {"v": ctx.get("ge")},
        "greater_than": lambda: _("Phải lớn hơn %(v)s.") % {"v": ctx.get("gt")},
        "less_than_equal": lambda: _("Phải nhỏ hơn hoặc bằng %(v)s.") % {"v": ctx.get("le")},
        "less_than": lambda: _("Phải nhỏ hơn %(v)s.") % {"v": ctx.get("lt")},
        "string_too_long": lambda: _("Dài tối đa %(v)s ký tự.") % {"v": ctx.get("max_length")},
        "string_too_short": lambda: _("Cần ít nhất %(v)s ký tự.") % {"v": ctx.get("min_length")},
        "date_parsing": lambda: _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "date_from_datetime_parsing": lambda: _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "date_from_datetime_inexact": lambda: _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "uuid_parsing": lambda: _("Mã không hợp lệ."),
        "uuid_type": lambda: _("Mã không hợp lệ."),
        "enum": lambda: (
            _("Giá trị không được chấp nhận. Các giá trị hợp lệ: %(v)s.") % {"v": ctx.get("expected")}
        ),
        "literal_error": lambda: (
            _("Giá trị không được chấp nhận. Các giá trị hợp lệ: %(v)s.") % {"v": ctx.get("expected")}
        ),
        "json_invalid": lambda: _("Nội dung JSON không hợp lệ."),
        "extra_forbidden": lambda: _("Trường này không có trong dữ liệu được chấp nhận."),
        "string_type": lambda: _("Phải là một chuỗi ký tự."),
        # A lone surrogate (\ud800 in JSON): no database could store it.
        "string_unicode": lambda: _("Chứa ký tự không hợp lệ."),
        "null_forbidden": lambda: _("Không được để trống (null)."),
        "string_pattern_mismatch": lambda: _("Giá trị không đúng định dạng."),
        "decimal_parsing": lambda: _("Phải là một số."),
        "decimal_max_digits": lambda: _("Số quá lớn."),
        "decimal_max_places": lambda: _("Quá nhiều chữ số thập phân."),
        "value_error": lambda: str(ctx.get("error") or _("Giá trị không hợp lệ.")),
    }
    make = messages.get(kind)
    return make() if make else _("Giá trị không hợp lệ.")


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc if isinstance(loc, list | tuple) else [loc])]
    # ("query", "page") → "page": the source is known from the route; keep it only when alone.
    if len(parts) > 1 and parts[0] in {"query", "path", "body", "header", "cookie", "form", "file"}:
        # ("body", "body", "sex") → "sex": a body's fields are named as the services name them.
        parts = parts[2:] if parts[0] == "body" and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        if "loc" in error:
            name, message = _field_name(error["loc"]), _pydantic_message(error)
        else:  # ninja's own errors, e.g. {"cursor": "Invalid Cursor"}
            name, message = next(iter(error), "__all__"), _("Giá trị không hợp lệ.")
        fields.setdefault(name, []).append(message)
    return fields


def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), validation_fields(exc.errors))


def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else ""
    response = error_response(
        401,
        "unauthenticated",
        message or _("Cần đăng nhập, hoặc gửi khóa API hợp lệ (Authorization: Bearer …)."),
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# ninja raises these with English text; everything we raise ourselves is already Vietnamese.
def _ninja_messages() -> dict[str, tuple[str, str]]:
    return {
        "CSRF check Failed": ("csrf_failed", _("Thiếu hoặc sai mã CSRF. Tải lại trang rồi thử lại.")),
        "Forbidden": ("forbidden", _("Bạn không có quyền thực hiện thao tác này.")),
        "Too many requests.": ("throttled", _("Quá nhiều yêu cầu. Xin thử lại sau.")),
    }


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _STATUS_CODES.get(exc.status_code, "error")
    message = str(exc.message)
    known = _ninja_messages().get(message)
    if known is not None:
        code, message = known
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("Không đọc được nội dung yêu cầu (JSON không hợp lệ).")
    return error_response(exc.status_code, code, message)


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", _("Không tìm thấy dữ liệu bạn yêu cầu."))


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if exc.args else _("Bạn không có quyền thực hiện thao tác này.")
    return error_response(403, "forbidden", message)


def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    else:
        fields = {"__all__": [str(m) for m in exc.messages]}
    return error_response(422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), fields)


def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # The guard middleware refuses a declared Content-Length over the limit; this catches a body that
    # grew past it without declaring one (chunked), which ninja would otherwise report as a 500.
    from ..views.errors import payload_too_large

    return payload_too_large(request)


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The details go to the log (with the request id), never to the caller.
    logger.exception("Unhandled error in API %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Hệ thống gặp lỗi. Xin thử lại sau ít phút."))


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(RequestDataTooBig, on_too_large)
    api.add_exception_handler(Exception, on_unexpected)


def shape_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a wrong method with a bare text 405; callers get our JSON shape instead."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            shaped = error_response(
                405,
                "method_not_allowed",
                _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.") % {"method": request.method},
            )
            shaped["Allow"] = response["Allow"]
            return shaped
        return response

    return wrapper


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the schema and docs views, which ninja serves to any method."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            shaped = error_response(
                405,
                "method_not_allowed",
                _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.") % {"method": request.method},
            )
            shaped["Allow"] = "GET, HEAD"
            return shaped
        return view(request, *args, **kwargs)

    # Nothing here changes state, and a POST must meet the 405 above, not Django's HTML CSRF page.
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper
