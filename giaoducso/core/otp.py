"""TOTP second factor on top of django-otp, and the audit lines of credential changes."""

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditAction


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled; kept across page loads so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def verify_and_login(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Checks the code (django-otp refuses a code used before and throttles repeated failures)."""
    user = request.user
    if not device.verify_token(token):
        audit.record(actor=user, action=AuditAction.LOGIN_FAILED, obj=user, note="mã xác thực hai lớp sai")
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=user, action=AuditAction.UPDATE, obj=user, note="bật xác thực hai lớp")
    otp_login(request, device)
    return True


def record_password_change(user: Any) -> None:
    # No values: the hash is a secret, and "it changed, when, from where" is what an auditor needs.
    audit.record(actor=user, action=AuditAction.UPDATE, obj=user, note="đổi mật khẩu")


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as inline SVG: drawn here, so the secret never goes to a QR web service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # An XML declaration is not valid inside an HTML document.
    return svg[svg.index("<svg") :]
