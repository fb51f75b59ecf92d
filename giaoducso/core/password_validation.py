"""Password rules whose Django wording has no Vietnamese translation yet."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    # Django 5.2 changed this message's msgid ("%d" for "%(min_length)d") and the Vietnamese catalogue
    # still carries the old one, so the stock validator answers in English.
    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}
