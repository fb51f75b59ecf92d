from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "giaoducso.exchange"
    label = "exchange"
    verbose_name = _("Trao đổi dữ liệu và dữ liệu mở")

    def ready(self) -> None:
        from giaoducso.core.features import register_feature

        register_feature(
            "exchange.open_data",
            title=_("Dữ liệu mở"),
            description=_(
                "Số liệu thống kê về trường, lớp và học sinh của địa bàn, công khai cho mọi người, "
                "tải về dạng CSV hoặc JSON."
            ),
            url_name="exchange:open_data_index",
            order=50,
        )
