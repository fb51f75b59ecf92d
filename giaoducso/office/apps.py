from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "giaoducso.office"
    label = "office"
    verbose_name = _("Văn bản điện tử")

    def ready(self) -> None:
        from giaoducso.core import demo, notifications, periodic
        from giaoducso.core.services import unit_moved

        from . import digest, widgets
        from .demo import OfficeDemo
        from .services.documents import follow_unit_move
        from .services.incoming import staged_pdfs_clean

        demo.register(OfficeDemo())

        notifications.register_kind("office_urgent", _("Văn bản khẩn, văn bản bị thu hồi"))
        notifications.register_kind("office_review", _("Văn bản chờ duyệt, chờ phát hành"))
        notifications.register_kind("office_assigned", _("Văn bản được giao xử lý"))
        notifications.register_kind("office_digest", _("Tổng hợp văn bản đầu giờ sáng và chiều"))
        widgets.register()
        unit_moved.connect(follow_unit_move, dispatch_uid="office.follow_unit_move")
        periodic.register_schedule(
            "office.digest", _("Tổng hợp văn bản đầu giờ sáng và chiều"), digest.send_digest, digest.TIMES
        )
        periodic.register_periodic(
            "office.staged_pdfs", _("Xóa tệp PDF đã đọc nhưng không vào sổ"), staged_pdfs_clean
        )
