"""The versioned JSON API (/api/v1/): assembled here, the one module allowed to import every app.

Routes are thin: parse → one selector → schema. Auth: `Authorization: Bearer gds_…` for systems (the
route's scope must be on the token), the browser session for people (CSRF on unsafe methods).
Errors have one shape everywhere: {"error": {"code", "message", "fields"}}.
"""

from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.operation import Operation

from giaoducso.admissions.api import router as admissions_router
from giaoducso.core.api import errors
from giaoducso.core.api.docs import LocalSwagger
from giaoducso.core.api.routes import router as core_router
from giaoducso.directory.api import router as directory_router
from giaoducso.exchange.api import router as exchange_router
from giaoducso.office.api import router as office_router
from giaoducso.records.api import router as records_router
from giaoducso.reporting.api import router as reporting_router

# Modules split out of an older single module keep that module's operation ids
# (`giaoducso_directory_api_student_list`), so clients generated from the document do not change.
FORMER_MODULE = {
    f"giaoducso.directory.api.{area}": "giaoducso.directory.api"
    for area in ("schools", "classes", "students", "staff", "facilities")
}


# The document is read by people too (/api/v1/docs): its groups and summaries in Vietnamese, like the rest
# of the interface. A route may give its own `summary=`; one that does not gets its summary here, keyed
# by operation id (test_openapi_document checks that none is left in ninja's English default).
TAG_NAMES = {
    "units": "Đơn vị",
    "me": "Tài khoản",
    "audit": "Nhật ký hệ thống",
    "jobs": "Công việc nền",
    "schools": "Trường học",
    "school-years": "Năm học",
    "classes": "Lớp học",
    "students": "Học sinh",
    "staff": "Cán bộ, giáo viên",
    "facilities": "Cơ sở vật chất",
    "quality": "Chất lượng dữ liệu",
    "open-data": "Dữ liệu mở",
    "records": "Sổ điểm, hồ sơ điện tử",
    "office": "Văn bản điện tử",
    "admissions": "Tuyển sinh đầu cấp",
    # reporting
    "reporting": "Báo cáo",
    "assets": "Thiết bị CNTT, website",
}
SUMMARIES = {
    "giaoducso_core_api_routes_audit_list": "Các dòng nhật ký hệ thống",
    "giaoducso_core_api_routes_job_detail": "Một công việc nền và tiến độ của nó",
    "giaoducso_core_api_routes_unit_list": "Danh sách đơn vị",
    "giaoducso_core_api_routes_unit_detail": "Một đơn vị",
    "giaoducso_directory_api_class_list": "Danh sách lớp học",
    "giaoducso_directory_api_class_create": "Tạo lớp học",
    "giaoducso_directory_api_class_detail": "Một lớp học",
    "giaoducso_directory_api_class_patch": "Sửa lớp học",
    "giaoducso_directory_api_equipment_list": "Danh sách thiết bị",
    "giaoducso_directory_api_equipment_create": "Thêm thiết bị",
    "giaoducso_directory_api_equipment_patch": "Sửa thiết bị",
    "giaoducso_directory_api_room_list": "Danh sách phòng",
    "giaoducso_directory_api_room_create": "Thêm phòng",
    "giaoducso_directory_api_room_patch": "Sửa phòng",
    "giaoducso_directory_api_school_year_list": "Danh sách năm học",
    "giaoducso_directory_api_school_list": "Danh sách trường học",
    "giaoducso_directory_api_school_detail": "Một trường học",
    "giaoducso_directory_api_school_patch": "Sửa thông tin trường",
    "giaoducso_directory_api_staff_list": "Danh sách cán bộ, giáo viên",
    "giaoducso_directory_api_staff_create": "Thêm cán bộ, giáo viên",
    "giaoducso_directory_api_staff_detail": "Một cán bộ, giáo viên",
    "giaoducso_directory_api_staff_patch": "Sửa thông tin cán bộ, giáo viên",
    "giaoducso_directory_api_student_list": "Danh sách học sinh",
    "giaoducso_directory_api_student_create": "Thêm học sinh",
    "giaoducso_directory_api_student_detail": "Một học sinh",
    "giaoducso_directory_api_student_patch": "Sửa thông tin học sinh",
    "giaoducso_directory_api_guardian_list": "Cha mẹ/người giám hộ của học sinh",
    "giaoducso_directory_api_guardian_add": "Thêm cha mẹ/người giám hộ",
    "giaoducso_directory_api_guardian_delete": "Gỡ cha mẹ/người giám hộ",
    "giaoducso_directory_api_guardian_patch": "Sửa thông tin cha mẹ/người giám hộ",
}


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["tags"] = [TAG_NAMES.get(tag, tag) for tag in operation.get("tags", [])]
                if operation["operationId"] in SUMMARIES:
                    operation["summary"] = SUMMARIES[operation["operationId"]]
        return schema

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

# --- office: outgoing and incoming official documents (Decree 30/2020) --------------------------------
api.add_router("", office_router)
# --- admissions: campaigns, applications, results -----------------------------------------------------
api.add_router("", admissions_router)
# --- reporting: campaigns, submissions, the IT asset inventory ------------------------------------------
api.add_router("", reporting_router)
