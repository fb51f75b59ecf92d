"""Issues an API token for a user and prints its secret, the one time it can be seen."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from giaoducso.core.models import User
from giaoducso.core.tokens import SCOPES, api_token_create


class Command(BaseCommand):
    help = "Tạo khóa API cho một người dùng và in mã bí mật (chỉ hiện một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="Tên gợi nhớ của khóa, ví dụ 'Đồng bộ CSDL Bộ'.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            default=[],
            help=f"Phạm vi (lặp lại được): {', '.join(sorted(SCOPES))}.",
        )
        parser.add_argument(
            "--allow-ip",
            action="append",
            dest="allowed_ips",
            default=[],
            metavar="CIDR",
            help="Chỉ nhận khóa từ địa chỉ/dải này (lặp lại được), ví dụ 10.1.2.0/24; bỏ trống = mọi nơi.",
        )
        parser.add_argument(
            "--days", type=int, default=90, help="Số ngày có hiệu lực (mặc định 90; 0 = không hết hạn)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"Không có người dùng '{options['username']}'.") from exc
        days: int = options["days"]
        if days < 0 or days > 3650:
            raise CommandError("--days phải từ 0 đến 3650.")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            token, secret = api_token_create(
                actor=None,
                user=user,
                name=options["name"],
                scopes=options["scopes"],
                expires_at=expires_at,
                allowed_ips=options["allowed_ips"],
            )
        except ValidationError as exc:
            messages = [f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items()]
            raise CommandError("\n".join(messages)) from exc
        expiry = (
            timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M") if token.expires_at else "không"
        )
        self.stdout.write(
            f"Đã tạo khóa API '{token.name}' cho {user.username} (phạm vi: {', '.join(token.scopes)})."
        )
        self.stdout.write(f"Hết hạn: {expiry}")
        self.stdout.write(f"Địa chỉ được phép: {', '.join(token.allowed_ips) or 'mọi nơi'}")
        self.stdout.write("Mã bí mật — chỉ hiện lần này, hãy lưu lại ngay:")
        self.stdout.write(secret)
