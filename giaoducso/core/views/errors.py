"""Error pages in Vietnamese; API paths get the JSON error shape of DESIGN §4 instead."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _


def _respond(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return JsonResponse(body, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    # Django sends an over-long body here (a SuspiciousOperation); it is a size problem, not a bad request.
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request)
    return _respond(request, 400, "bad_request", _("Yêu cầu không hợp lệ."))


def _early_language() -> Any:
    """Requests refused before the locale middleware ran get the site's language, not a leftover one."""
    return translation.override(settings.LANGUAGE_CODE)


def invalid_characters(request: HttpRequest, parameters: list[str] | None = None) -> HttpResponse:
    """A NUL in the path or in the named query parameters (the API names them in `fields`)."""
    with _early_language():
        message = _("Địa chỉ hoặc tham số chứa ký tự không hợp lệ (ký tự NUL). Hãy kiểm tra lại đường dẫn.")
        fields = {name: [_("Không được chứa ký tự NUL.")] for name in parameters or []}
        return _respond(request, 400, "bad_request", message, fields)


def payload_too_large(request: HttpRequest) -> HttpResponse:
    with _early_language():
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        return _respond(
            request,
            413,
            "too_large",
            _("Nội dung gửi lên quá lớn (tối đa %(limit)s, không kể tệp đính kèm).") % {"limit": limit},
        )


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Không tìm thấy trang hoặc dữ liệu bạn yêu cầu."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500, "server_error", _("Hệ thống gặp lỗi. Xin thử lại sau ít phút."))
