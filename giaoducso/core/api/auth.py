"""Who is calling the API: a system with a bearer token, or a person with a browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from ..auth_backends import is_system_account
from ..middleware import client_ip, requires_two_factor
from ..models import ApiToken
from ..tokens import api_token_authenticate, token_has_scope


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gds_…`. A route's `scope` must be among the token's scopes."""

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = api_token_authenticate(token, ip=client_ip(request))
        if api_token is None:
            # A caller that sent a token meant to use it: falling through to the session would hide
            # why it failed.
            raise AuthenticationError(
                401,
                _("Khóa API không hợp lệ, đã hết hạn, đã bị thu hồi hoặc không được dùng từ địa chỉ này."),
            )
        if self.scope is not None and not token_has_scope(api_token, self.scope):
            # 403, not 404: the missing scope is a fact about the token, and reveals nothing about data.
            raise AuthorizationError(
                403, _("Khóa API không có phạm vi “%(scope)s” mà thao tác này cần.") % {"scope": self.scope}
            )
        request.user = api_token.user
        return api_token


class SessionOrTwoFactorAuth(SessionAuth):
    """Django's session; unsafe methods need the CSRF token, as in the HTML pages."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if is_system_account(user):
            # Its tokens' scopes are what limits a system; a session would bypass them.
            raise AuthenticationError(
                401, _("Tài khoản hệ thống tích hợp chỉ gọi API bằng khóa API (Authorization: Bearer …).")
            )
        if requires_two_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            raise AuthenticationError(401, _("Cần hoàn tất xác thực hai lớp trước khi dùng API."))
        return user


def auth_for(scope: str | None = None) -> list[Any]:
    """The authenticators of a route: a token with `scope` first, then the browser session."""
    return [TokenAuth(scope), SessionOrTwoFactorAuth()]


def token_of(request: HttpRequest) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
