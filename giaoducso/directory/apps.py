from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "giaoducso.directory"
    label = "directory"
    verbose_name = _("Cơ sở dữ liệu ngành")

    def ready(self) -> None:
        from giaoducso.core import demo, periodic

        from . import exports, features, parent_accounts, widgets  # noqa: F401  (parent_accounts registers its job kind)
        from .demo import DirectoryDemo
        from .services.changes import scheduled_changes_apply_due

        demo.register(DirectoryDemo())
        exports.register()
        widgets.register()
        features.register()
        periodic.register_periodic(
            "directory.scheduled_changes",
            _("Thực hiện các thay đổi đã lên lịch"),
            scheduled_changes_apply_due,
        )
