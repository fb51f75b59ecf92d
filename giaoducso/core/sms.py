"""The SMS adapter. A deployment names its provider's backend in the SMS_BACKEND setting; the default one
only writes to the log, so that development and tests never send a real message."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Providers cut longer texts into several paid segments; a notification needs no more than this.
SMS_MAX_LENGTH = 480
_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"^0\d{9}$")


class InvalidPhoneNumber(ValidationError):
    pass


def normalize_phone(phone: str) -> str:
    """A Vietnamese number in its 10-digit national form (0xxxxxxxxx), from "0…" or "+84…" input.

    Spaces, dots, dashes and brackets are tolerated, as people write them; anything else is refused.
    """
    raw = _SEPARATORS.sub("", str(phone or ""))
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    if not _NATIONAL.match(raw):
        raise InvalidPhoneNumber(
            _(
                "Số điện thoại “%(phone)s” không hợp lệ: cần 10 chữ số bắt đầu bằng 0 "
                "(ví dụ 0901234567), hoặc +84 và 9 chữ số (ví dụ +84901234567)."
            )
            % {"phone": str(phone or "")[:30]},
            code="invalid_phone",
        )
    return raw


def mask_phone(phone: str) -> str:
    """Enough of a number to tell messages apart in a log, not enough to call the person."""
    return phone[:3] + "*" * max(0, len(phone) - 5) + phone[-2:] if len(phone) > 5 else "***"


class BaseSmsBackend:
    """Subclasses implement `deliver()`; `send()` validates first, so no provider sees a bad number."""

    def send(self, phone: str, text: str) -> str:
        number = normalize_phone(phone)
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("Tin nhắn không có nội dung."), code="empty_sms")
        return self.deliver(number, text[:SMS_MAX_LENGTH])

    def deliver(self, phone: str, text: str) -> str:
        """Hands one message to the provider; returns the provider's message id."""
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Development backend: logs the message and keeps nothing else."""

    def deliver(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        logger.info(
            "SMS %s to %s: %s",
            message_id,
            mask_phone(phone),
            text,
            extra={"sms_id": message_id, "sms_to": mask_phone(phone)},
        )
        return message_id


def get_sms_backend() -> BaseSmsBackend:
    path = getattr(settings, "SMS_BACKEND", "giaoducso.core.sms.LoggingSmsBackend")
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not a BaseSmsBackend")
    return backend_class()
