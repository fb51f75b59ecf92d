from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "giaoducso.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from . import signals_auth

        signals_auth.connect()
