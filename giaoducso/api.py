"""The versioned JSON API (/api/v1/): assembled here, the one module allowed to import every app.

Routes are thin: parse → one selector → schema. Auth: `Authorization: Bearer gds_…` for systems (the
route's scope must be on the token), the browser session for people (CSRF on unsafe methods).
Errors have one shape everywhere: {"error": {"code", "message", "fields"}}.
"""

from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.operation import Operation

from giaoducso.core.api import errors
from giaoducso.core.api.docs import LocalSwagger
from giaoducso.core.api.routes import router as core_router
from giaoducso.directory.api import router as directory_router
from giaoducso.exchange.api import router as exchange_router
from giaoducso.records.api import router as records_router

# Modules split out of an older single module keep that module's operation ids
# (`giaoducso_directory_api_student_list`), so clients generated from the document do not change.
FORMER_MODULE = {
    f"giaoducso.directory.api.{area}": "giaoducso.directory.api"
    for area in ("schools", "classes", "students", "staff", "facilities")
}


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        module = FORMER_MODULE.get(module, module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name in ("openapi-json", "openapi-view"):
                pattern.callback = errors.read_only(pattern.callback)
            else:
                pattern.callback = errors.shape_method_not_allowed(pattern.callback)
        return patterns


api = Api(
    title="Giáo Dục Số API",
    version="1",
    description=(
        "API JSON của Giáo Dục Số. Hệ thống khác dùng khóa API (`Authorization: Bearer gds_…`) với phạm vi "
        "phù hợp; trình duyệt dùng phiên đăng nhập. Lỗi luôn có dạng "
        '`{"error": {"code", "message", "fields"}}`. Dữ liệu ngoài phạm vi của bạn trả về 404.'
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
)
errors.install(api)
api.add_router("", core_router)


# --- directory: schools, years, classes, students, staff, facilities, quality---------------------------
api.add_router("", directory_router)

# --- exchange: open data (public) -----------------------------------------------------------------
api.add_router("", exchange_router)

# --- records: grade books, results, attendance ------------------------------------------------------
api.add_router("", records_router)
