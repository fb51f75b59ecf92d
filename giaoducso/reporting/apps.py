from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "giaoducso.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo, chuyển đổi số, thiết bị CNTT")

    def ready(self) -> None:
        from giaoducso.core import demo, notifications
        from giaoducso.core.periodic import register_periodic

        from . import widgets
        from .demo import ReportingDemo

        demo.register(ReportingDemo())
        from .services import reminders, sitechecks

        widgets.register()

        notifications.register_kind(reminders.KIND, _("Nhắc hạn nộp báo cáo"))
        notifications.register_kind(sitechecks.KIND, _("Chứng chỉ website sắp hết hạn"))
        register_periodic(
            "reporting.reminders", _("Nhắc hạn và báo quá hạn các đợt báo cáo"), reminders.send_reminders
        )
        register_periodic(
            "reporting.site_checks",
            _("Kiểm tra website và chứng chỉ TLS của các trường"),
            sitechecks.run_daily,
        )
