"""`python manage.py demo_totp USERNAME`: the current TOTP code of a demo account.

Only devices created by seed_demo answer, so this cannot produce codes for a real user's authenticator.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from giaoducso.core.demo import DEMO_DEVICE_NAME


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "In mã TOTP hiện tại của một tài khoản dùng thử (do seed_demo tạo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        device = (
            TOTPDevice.objects.filter(user__username__iexact=username, name=DEMO_DEVICE_NAME, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(
                f"Tài khoản «{username}» không có thiết bị TOTP của dữ liệu mẫu "
                "(chỉ tài khoản do seed_demo tạo và cần xác thực hai lớp mới có)."
            )
        self.stdout.write(current_code(device))
