from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "giaoducso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from . import checks, exports, home_widgets, signals_auth  # noqa: F401  (checks registers itself)
        from .views.accounts import ACCOUNTS_TABLE, account_table

        signals_auth.connect()
        home_widgets.register()
        exports.register_table(ACCOUNTS_TABLE, account_table)
