from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .auth_backends import SYSTEM_ACCOUNT_REFUSED


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc thư điện tử"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập/thư điện tử hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        # Only after the right password: the account's kind is no secret to whoever knows it.
        if getattr(self.request, SYSTEM_ACCOUNT_REFUSED, False):
            return forms.ValidationError(
                _(
                    "Đây là tài khoản hệ thống tích hợp: tài khoản này chỉ dùng khóa API, không đăng nhập trực tiếp."
                ),
                code="system_account",
            )
        return super().get_invalid_login_error()


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("Mã xác thực 6 chữ số"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Mã xác thực gồm đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with our wording; the strength rules are AUTH_PASSWORD_VALIDATORS in settings."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Mật khẩu hiện tại không đúng. Hãy nhập lại."),
        "password_mismatch": _("Hai lần nhập mật khẩu mới không giống nhau."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")


class SwitchUnitForm(forms.Form):
    membership = forms.IntegerField(min_value=1)
