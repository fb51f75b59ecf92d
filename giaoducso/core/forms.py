import re
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .auth_backends import SYSTEM_ACCOUNT_REFUSED

_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


class DayMonthYearField(forms.DateField):
    """A date typed dd/mm/yyyy. A well-formed date that is not in the calendar (31/02/2014) is told so,
    as the importers say it, rather than being sent back to the format it already follows."""

    input_formats = ["%d/%m/%Y"]
    default_error_messages = {
        "invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/09/2026."),
        "nonexistent": _("Ngày %(value)s không có thật."),
    }

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            if isinstance(value, str) and _DAY_MONTH_YEAR.match(value):
                raise forms.ValidationError(
                    self.error_messages["nonexistent"], code="nonexistent", params={"value": value.strip()}
                ) from None
            raise


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


# --- account administration (core/accounts.py holds the rule; these only collect the input) -----------


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, tên đăng nhập, thư điện tử"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Vai trò"), required=False)
    unit = forms.CharField(label=_("Mã đơn vị"), required=False, max_length=32)
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
    )
    locked = forms.ChoiceField(
        label=_("Đăng nhập"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang bị tạm khóa do nhập sai"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .roles import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Tất cả")), *Role.choices]


def _unit_field(units: Any) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=units, to_field_name="code", empty_label=_("— Chọn đơn vị —")
    )
    field.label_from_instance = lambda unit: f"{unit.name} ({unit.code})"  # type: ignore[method-assign]
    return field


class _RoleOnUnitForm(forms.Form):
    """A role on a unit that the actor may grant; the rule itself is accounts.can_grant."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from . import accounts
        from .roles import Role

        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"] = _unit_field(accounts.manageable_units(actor))
        offered = accounts.offered_roles(actor)
        self.fields["role"] = forms.ChoiceField(
            label=_("Vai trò"),
            choices=[("", _("— Chọn vai trò —"))] + [c for c in Role.choices if c[0] in offered],
        )
        self.fields["title"] = forms.CharField(label=_("Chức danh"), required=False, max_length=128)

    def clean(self) -> dict[str, Any]:
        from . import accounts

        data = super().clean() or {}
        unit, role = data.get("unit"), data.get("role")
        if unit is not None and role:
            if not accounts.role_fits_unit(role, unit):
                self.add_error("role", _("Vai trò này không dùng cho loại đơn vị đã chọn."))
            elif not accounts.can_grant(self.actor, role, unit):
                self.add_error("role", _("Bạn không được giao vai trò này tại đơn vị đã chọn."))
        return data


class AccountCreateForm(_RoleOnUnitForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        head = {
            "username": forms.RegexField(
                label=_("Tên đăng nhập"),
                max_length=150,
                regex=r"^[\w.@+-]+$",
                error_messages={"invalid": _("Chỉ dùng chữ, số và các ký tự . @ + - _ (không dấu cách).")},
            ),
            "full_name": forms.CharField(label=_("Họ và tên"), max_length=255),
            "email": forms.EmailField(label=_("Thư điện tử"), required=False),
            "phone": forms.CharField(label=_("Điện thoại"), required=False, max_length=20),
        }
        self.fields = {**head, **self.fields}  # type: ignore[assignment]

    def clean_username(self) -> str:
        from .models import User

        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username


class MembershipGrantForm(_RoleOnUnitForm):
    pass


class ContactForm(forms.Form):
    """A person's own e-mail and phone. Changing the e-mail (where password resets go) asks for the
    current password, so that a session left open cannot hand the account to someone else."""

    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.RegexField(
        label=_("Điện thoại"),
        required=False,
        max_length=20,
        regex=r"^[0-9+ .()-]*$",
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, dấu cách và + . ( ) -.")},
    )
    current_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        required=False,
        strip=False,
        help_text=_("Cần khi đổi thư điện tử."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("email") or "").strip()
        if email.lower() != (self.user.email or "").lower() and not self.user.check_password(
            data.get("current_password") or ""
        ):
            self.add_error("current_password", _("Mật khẩu hiện tại không đúng. Hãy nhập lại."))
        return data
