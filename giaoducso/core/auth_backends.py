from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from .roles import SYSTEM_ROLES

# Set on the request when a system account gave its right password: the login form then says why.
SYSTEM_ACCOUNT_REFUSED = "system_account_refused"


def _system_memberships() -> Any:
    from .models import Membership

    return Membership.objects.filter(user=OuterRef("pk"), is_active=True, role__in=SYSTEM_ROLES)


def is_system_account(user: Any) -> bool:
    """An account of another system (see SYSTEM_ROLES): it may use API tokens and nothing else."""
    if not getattr(user, "is_authenticated", False):
        return False
    flag = getattr(user, "_is_system_account", None)
    if flag is None:
        flag = user.memberships.filter(is_active=True, role__in=SYSTEM_ROLES).exists()
        user._is_system_account = flag
    return bool(flag)


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with either the username or the e-mail address (case-insensitive).

    System accounts are refused: they have no second factor, and a session would let them past the
    scopes of their tokens."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        user_model = get_user_model()
        field = "email__iexact" if "@" in username else "username__iexact"
        try:
            user = user_model._default_manager.get(**{field: username.strip()})
        except (user_model.DoesNotExist, user_model.MultipleObjectsReturned):
            # Same cost as a real check, so that timing does not reveal which accounts exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if is_system_account(user):
                if request is not None:
                    setattr(request, SYSTEM_ACCOUNT_REFUSED, True)
                # PermissionDenied stops the other backends too, and Django reports a failed login
                # (audited by signals_auth, counted by axes).
                raise PermissionDenied("system account")
            return user
        return None

    def get_user(self, user_id: Any) -> Any:
        """The session's user, unless it has become a system account: one query, as before."""
        user_model = get_user_model()
        user = (
            user_model._default_manager.annotate(_is_system_account=Exists(_system_memberships()))
            .filter(pk=user_id)
            .first()
        )
        if user is None or user._is_system_account or not self.user_can_authenticate(user):
            return None
        return user
