from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "giaoducso.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from giaoducso.core import demo

        from . import widgets
        from .demo import PortalDemo

        demo.register(PortalDemo())
        widgets.register()
