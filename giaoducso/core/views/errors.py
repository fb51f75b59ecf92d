"""Error pages in Vietnamese; API paths get the JSON error shape of DESIGN §4 instead."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _respond(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 400, "bad_request", _("Yêu cầu không hợp lệ."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Không tìm thấy trang hoặc dữ liệu bạn yêu cầu."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500, "server_error", _("Hệ thống gặp lỗi. Xin thử lại sau ít phút."))
