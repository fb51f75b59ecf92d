"""What the office screens share: a refusal said in words."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def message_of(error: ValidationError | PermissionDenied) -> str:
    """The first message of a refusal, to show on the page."""
    if isinstance(error, PermissionDenied):
        return str(error) or _("Bạn không có quyền thực hiện thao tác này.")
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                return str(item.messages[0])
    return str(error.messages[0]) if error.messages else _("Dữ liệu không hợp lệ.")
