"""Account administration: who may manage whom and grant what (one rule, here), and the actions.

The rule (Wagtail's check() beside execute()):

- A role can be granted on a unit by an actor holding, on that unit or above it, a membership whose role
  lists it in `GRANTABLE` (the department's IT grants every role but the integration role; a principal
  grants the school's roles below principal; the school's IT grants the school's roles below the
  leaders, including school IT). Department roles sit on units that are not schools; school roles (and
  parent, student) sit on schools. Superusers grant every role anywhere.
- An actor may manage an account (reset its password, deactivate it, unlock it, change its details)
  when every active role of that account is one the actor could grant: school IT cannot reset the
  principal's password, nor that of a department officer who also teaches at the school, nor that of a
  teacher of two schools when only one is theirs. Nobody manages a superuser or staff account but a
  superuser, and nobody deactivates themselves.
- An account with no active role is managed by whoever could grant one of its former roles.

Everything here is audited; every read of an account goes through scoping (404 outside scope).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, services
from .audit import Actor
from .models import AuditAction, Membership, Unit, UnitKind, User
from .roles import Perm, Role
from .scoping import memberships_for, scoped
from .text_match import name_matches

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT})
SCHOOL_ROLES = frozenset(
    {
        Role.PRINCIPAL,
        Role.VICE_PRINCIPAL,
        Role.SCHOOL_OFFICE,
        Role.SCHOOL_IT,
        Role.TEACHER,
        Role.HOMEROOM_TEACHER,
        Role.PARENT,
        Role.STUDENT,
    }
)
_SCHOOL_STAFF_BELOW_LEADERS = frozenset(
    {Role.SCHOOL_OFFICE, Role.SCHOOL_IT, Role.TEACHER, Role.HOMEROOM_TEACHER, Role.PARENT, Role.STUDENT}
)

# What each role may grant, on its own unit's subtree. Integration accounts are issued by the server's
# operator (create_api_token), never from a screen.
GRANTABLE: dict[str, frozenset[str]] = {
    Role.DEPARTMENT_IT: DEPARTMENT_ROLES | SCHOOL_ROLES,
    Role.PRINCIPAL: (SCHOOL_ROLES - {Role.PRINCIPAL}),
    Role.SCHOOL_IT: _SCHOOL_STAFF_BELOW_LEADERS,
}

# The one-time passwords people copy from a screen or a letter: no 0/O, 1/l/I.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_PASSWORD_LENGTH = 12


# --- the rule ---------------------------------------------------------------------------------------


def role_fits_unit(role: str, unit: Unit) -> bool:
    if role in DEPARTMENT_ROLES:
        return unit.kind not in (UnitKind.SCHOOL, UnitKind.SCHOOL_GROUP)
    if role in SCHOOL_ROLES:
        return unit.kind == UnitKind.SCHOOL
    return False


def _is_superuser(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False))


def can_grant(actor: Any, role: str, unit: Unit) -> bool:
    """Whether `actor` may give (or take back) `role` on `unit`."""
    if not role_fits_unit(role, unit):
        return False
    if _is_superuser(actor):
        return role in DEPARTMENT_ROLES | SCHOOL_ROLES
    return any(
        role in GRANTABLE.get(m.role, frozenset()) and unit.path.startswith(m.unit.path)
        for m in memberships_for(actor)
    )


def may_administer(actor: Any) -> bool:
    """Whether `actor` administers accounts anywhere (the account screens' actions exist for them).

    Not Perm.MANAGE_USER: a principal administers the school's accounts here, yet MANAGE_USER also
    decides who issues API tokens for others, which stays with IT."""
    return _is_superuser(actor) or any(m.role in GRANTABLE for m in memberships_for(actor))


def can_grant_somewhere(actor: Any, role: str) -> bool:
    return role in offered_roles(actor)


def offered_roles(actor: Any) -> frozenset[str]:
    """Every role `actor` may grant somewhere (a form's choices; can_grant decides per unit)."""
    if _is_superuser(actor):
        return DEPARTMENT_ROLES | SCHOOL_ROLES
    offered: frozenset[str] = frozenset()
    for m in memberships_for(actor):
        offered |= GRANTABLE.get(m.role, frozenset())
    return offered


def grantable_roles(actor: Any, unit: Unit) -> list[str]:
    """The roles `actor` may grant on `unit`, in the order of `Role`."""
    return [role for role in Role.values if can_grant(actor, role, unit)]


def can_manage(actor: Any, target: User) -> bool:
    """Whether `actor` may reset, deactivate, unlock or edit `target` (see the module's rule)."""
    if target.is_superuser or target.is_staff:
        return _is_superuser(actor)
    if _is_superuser(actor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    memberships = list(target.memberships.select_related("unit"))
    active = [m for m in memberships if m.is_active]
    if active:
        return all(can_grant(actor, m.role, m.unit) for m in active)
    return any(can_grant(actor, m.role, m.unit) for m in memberships)


def manageable_units(actor: Any) -> QuerySet[Unit]:
    """The units on which `actor` may grant some role (the choices of the account forms)."""
    if _is_superuser(actor):
        return Unit.objects.filter(is_active=True).order_by("path")
    condition = Q(pk__in=[])
    for m in memberships_for(actor):
        if m.role in GRANTABLE:
            kinds = (
                [UnitKind.SCHOOL]
                if not (GRANTABLE[m.role] & DEPARTMENT_ROLES)
                else [k for k in UnitKind.values if k != UnitKind.SCHOOL_GROUP]
            )
            condition |= Q(path__startswith=m.unit.path, kind__in=kinds)
    return Unit.objects.filter(condition, is_active=True).order_by("path")


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản này."))


# --- reads ------------------------------------------------------------------------------------------


def _lockout_cutoff() -> Any:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_q() -> Q:
    """Accounts that django-axes is refusing now: enough recent failures under their username or e-mail."""
    from axes.models import AccessAttempt

    recent = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=_lockout_cutoff()
    )
    by_username = recent.filter(username__iexact=OuterRef("username"))
    by_email = recent.filter(username__iexact=OuterRef("email"))
    return Q(Exists(by_username)) | (~Q(email="") & Q(Exists(by_email)))


def is_locked(user: User) -> bool:
    return User.objects.filter(locked_q(), pk=user.pk).exists()


def account_list(
    *,
    user: Any,
    q: str = "",
    role: str = "",
    unit: Unit | None = None,
    active: bool | None = None,
    locked: bool | None = None,
) -> QuerySet[User]:
    """The accounts `user` may see (a role somewhere in their subtree), filtered."""
    accounts = scoped(User.objects.all(), user, Perm.VIEW_USER)
    if q:
        accounts = accounts.filter(
            name_matches(q) | Q(username__icontains=q) | Q(email__iexact=q) | Q(phone=q)
        )
    if role or unit is not None:
        held = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
        if role:
            held = held.filter(role=role)
        if unit is not None:
            held = held.filter(unit__path__startswith=unit.path)
        accounts = accounts.filter(Exists(held))
    if active is not None:
        accounts = accounts.filter(is_active=active)
    if locked is not None:
        accounts = accounts.filter(locked_q()) if locked else accounts.exclude(locked_q())
    return accounts.prefetch_related("memberships__unit").order_by("full_name", "username")


def account_get(*, user: Any, pk: Any) -> User:
    from .scoping import get_scoped_or_404

    return get_scoped_or_404(User.objects.all(), user, Perm.VIEW_USER, pk=pk)


# --- actions ----------------------------------------------------------------------------------------


def one_time_password() -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH))
        # Mixed case and a digit, so that every validator (and a person reading it) is satisfied.
        if any(c.isdigit() for c in candidate) and candidate.lower() != candidate != candidate.upper():
            return candidate


def home_unit(user: User) -> Unit | None:
    """The unit whose audit readers see this account's lines: the top of its roles."""
    membership = user.memberships.select_related("unit").order_by("-is_active", "unit__path").first()
    return membership.unit if membership else None


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str  # shown once, never stored in clear


@transaction.atomic
def account_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    role: str,
    unit: Unit,
    email: str = "",
    phone: str = "",
    title: str = "",
) -> NewAccount:
    """A new account holding `role` on `unit`, with a one-time password to change at first sign-in."""
    _check(actor is None or can_grant(actor, role, unit))
    password = one_time_password()
    user = services.user_create(
        actor=actor,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        phone=phone,
        audit_unit=unit,
    )
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    services.membership_grant(actor=actor, user=user, unit=unit, role=role, title=title)
    return NewAccount(user=user, password=password)


@transaction.atomic
def account_grant(*, actor: Actor, user: User, role: str, unit: Unit, title: str = "") -> Membership:
    _check(can_grant(actor, role, unit))
    if user.is_superuser or user.is_staff:
        _check(_is_superuser(actor))
    return services.membership_grant(actor=actor, user=user, unit=unit, role=role, title=title)


@transaction.atomic
def account_revoke(*, actor: Actor, membership: Membership) -> None:
    _check(can_grant(actor, membership.role, membership.unit))
    services.membership_revoke(actor=actor, membership=membership)


@transaction.atomic
def account_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivating ends every session at once: the backend refuses inactive users on each request."""
    _check(can_manage(actor, user))
    if not active and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    return services.user_update(actor=actor, user=user, audit_unit=home_unit(user), is_active=active)


@transaction.atomic
def account_reset_password(*, actor: Actor, user: User) -> str:
    """A new one-time password (returned, to show once); the owner must change it at next sign-in."""
    _check(can_manage(actor, user))
    password = one_time_password()
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    clear_lockout(user)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit=home_unit(user),
        changes={"must_change_password": [False, True]},
        note="đặt lại mật khẩu (mật khẩu dùng một lần)",
    )
    return password


def clear_lockout(user: User) -> int:
    from axes.models import AccessAttempt
    from axes.utils import reset

    names = {user.username, *([user.email] if user.email else [])}
    typed = set(
        AccessAttempt.objects.filter(
            Q(username__iexact=user.username)
            | (Q(username__iexact=user.email) if user.email else Q(pk__in=[]))
        ).values_list("username", flat=True)
    )
    # Through django-axes' own API, once for every spelling that was typed (it matches exactly).
    return sum(reset(username=name) for name in names | typed)


@transaction.atomic
def account_unlock(*, actor: Actor, user: User) -> int:
    """Lifts a django-axes lockout early; returns how many failure records were removed."""
    _check(can_manage(actor, user))
    removed = clear_lockout(user)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit=home_unit(user),
        changes={"failed_logins_removed": removed},
        note="mở khóa đăng nhập",
    )
    return removed


@transaction.atomic
def account_update_contact(*, actor: Actor, user: User, email: str, phone: str) -> User:
    """An account's e-mail and phone, by its owner (their own page) or by whoever may manage it."""
    _check(getattr(actor, "pk", None) == user.pk or can_manage(actor, user))
    email = email.strip()
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Địa chỉ thư điện tử này đã được dùng cho tài khoản khác.")})
    return services.user_update(
        actor=actor, user=user, audit_unit=home_unit(user), email=email, phone=phone.strip()
    )


def password_changed_by_owner(user: User) -> None:
    """The owner chose their own password: the one-time password's hold on the account ends."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
