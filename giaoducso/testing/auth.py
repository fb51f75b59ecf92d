"""Signing a test client in as a user, second factor included when the user's roles demand it."""

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from giaoducso.core.middleware import requires_two_factor


def sign_in(client: Client, user: Any, *, verified: bool | None = None) -> Client:
    """Signs in; `verified` forces the second factor on or off (default: what the user's roles need)."""
    client.force_login(user)
    if verified is None:
        verified = requires_two_factor(user)
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
