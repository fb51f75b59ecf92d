from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "giaoducso.admissions"
    label = "admissions"
    verbose_name = _("Tuyển sinh đầu cấp")

    def ready(self) -> None:
        from giaoducso.core import demo
        from giaoducso.core.features import register_feature

        from . import jobs  # noqa: F401  (registers the job kinds in every process, web and worker)
        from .demo import AdmissionsDemo

        demo.register(AdmissionsDemo())
        from . import widgets

        widgets.register()
        register_feature(
            "admissions.online",
            title=_("Tuyển sinh đầu cấp trực tuyến"),
            description=_(
                "Đăng kí vào lớp 1, lớp 6 và mầm non bằng số định danh và ngày sinh của trẻ, tra cứu kết quả "
                "và xác nhận nhập học trực tuyến; phân tuyến công khai, ai cũng chạy lại được."
            ),
            url_name="admissions:public_index",
            order=50,
        )
