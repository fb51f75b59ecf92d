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
        from . import importing  # noqa: F401
