from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "giaoducso.records"
    label = "records"
    verbose_name = _("Hồ sơ điện tử")

    def ready(self) -> None:
        from giaoducso.core import demo

        from . import transcripts, widgets  # noqa: F401  (transcripts registers its job kind)
        from .demo import RecordsDemo

        demo.register(RecordsDemo())
        widgets.register()

        # The grade-book import's job kinds, known to every process (web and worker) from the start.
        # The contact book's notification kinds (issue 10): each one a person may switch off.
        from giaoducso.core.notifications import register_kind

        from . import importing  # noqa: F401

        register_kind("records_results", _("Kết quả học kì của con đã công bố"))
        register_kind("records_message", _("Tin nhắn sổ liên lạc"))
        register_kind("records_leave", _("Đơn xin nghỉ học"))
        register_kind("records_announcement", _("Thông báo của lớp"))
