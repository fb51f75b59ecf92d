"""manage.py check_sites: check every registered school website's certificate and answer now."""

from typing import Any

from django.core.management.base import BaseCommand

from giaoducso.reporting.services.sitechecks import check_sites


class Command(BaseCommand):
    help = (
        "Kiểm tra chứng chỉ TLS và phản hồi của mọi website trường đã đăng ký; cảnh báo trước 30 và 7 ngày."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = check_sites()
        self.stdout.write(
            "Đã kiểm tra {checked} website: {valid} hợp lệ, {invalid} có vấn đề, {warned} cảnh báo đã gửi.".format(
                **summary
            )
        )
