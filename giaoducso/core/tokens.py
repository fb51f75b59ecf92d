"""API tokens for other systems: create (the secret is shown once), authenticate, revoke.

A token reads `gds_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the secret is stored.
A plain hash is enough here (no salt, no slow KDF) because the secret is 256 random bits, not a
password a person chose: there is nothing to guess from a leaked hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import ApiToken, AuditAction, Membership, Unit, User
from .roles import Perm
from .scoping import has_perm

TOKEN_PREFIX = "gds"  # noqa: S105  (a label, not a secret)
# What a token may be used for. A route names the scope it needs; the user's roles still decide which
# rows it sees, so a scope only ever narrows what the token's user could do.
SCOPES: dict[str, Any] = {
    "units:read": gettext_lazy("Đọc danh sách đơn vị"),
    "students:read": gettext_lazy("Đọc hồ sơ học sinh"),
    "directory:read": gettext_lazy("Đọc dữ liệu trường, lớp, cán bộ, cơ sở vật chất"),
    "directory:write": gettext_lazy("Ghi dữ liệu trường, lớp, học sinh, cán bộ, cơ sở vật chất"),
    "audit:read": gettext_lazy("Đọc nhật ký hệ thống"),
    "jobs:read": gettext_lazy("Xem tiến độ công việc nền"),
}

_PREFIX_BYTES = 5  # 10 hex characters: collisions are retried, and the column holds 16
_SECRET_BYTES = 32
_TOKEN_RE = re.compile(r"^gds_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$")
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_NAME_LENGTH = 128


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Compared against when the prefix is unknown, so that a miss costs the same as a wrong secret.
_DUMMY_HASH = _hash("unused")


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = [str(s).strip() for s in scopes]
    if not scopes:
        raise ValidationError({"scopes": _("Cần chọn ít nhất một phạm vi cho khóa API.")})
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationError(
            {
                "scopes": _("Phạm vi không hợp lệ: %(unknown)s. Các phạm vi được phép: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(SCOPES))}
            }
        )
    return sorted(set(scopes))


def _home_unit(user: User) -> Unit | None:
    """The highest unit the user works in: the audit line about their token is read there."""
    membership = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )
    return membership.unit if membership else None


def _may_manage_tokens_of(actor: Any, user: User) -> bool:
    if actor is None:  # a management command run by the operator of the server
        return True
    if getattr(actor, "pk", None) == user.pk or getattr(actor, "is_superuser", False):
        return True
    units = Unit.objects.filter(memberships__user=user, memberships__is_active=True)
    return any(has_perm(actor, Perm.MANAGE_USER, unit) for unit in units)


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime | None,
) -> tuple[ApiToken, str]:
    """Creates a token and returns it with its full secret, which is never retrievable again."""
    if not _may_manage_tokens_of(actor, user):
        raise PermissionDenied(_("Bạn không có quyền tạo khóa API cho người dùng này."))
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Cần đặt tên cho khóa API để sau này nhận ra nó.")
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = _("Tên khóa API dài tối đa %(max)d ký tự.") % {"max": MAX_NAME_LENGTH}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("Thời điểm hết hạn phải ở tương lai.")
    if errors:
        raise ValidationError(errors)
    clean = clean_scopes(scopes)
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản này đã bị khóa, không thể cấp khóa API.")})

    secret = secrets.token_urlsafe(_SECRET_BYTES)
    for _attempt in range(5):
        prefix = secrets.token_hex(_PREFIX_BYTES)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    key_hash=_hash(secret),
                    scopes=clean,
                    expires_at=expires_at,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            break
        except IntegrityError:  # a prefix collision: 1 in 10^12, but never a 500
            continue
    else:  # pragma: no cover
        raise RuntimeError("Could not find a free API token prefix.")

    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        unit=_home_unit(user),
        changes={
            "user": [None, user.username],
            "name": [None, name],
            "prefix": [None, prefix],
            "scopes": [None, clean],
            "expires_at": [None, expires_at],
        },
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_authenticate(raw: str | None) -> ApiToken | None:
    """The live token that `raw` stands for, or None when malformed, unknown, revoked or expired."""
    if not raw or len(raw) > 100:
        return None
    match = _TOKEN_RE.match(raw.strip())
    if match is None:
        return None
    prefix, secret = match.groups()
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    expected = token.key_hash if token is not None else _DUMMY_HASH
    if not hmac.compare_digest(expected, _hash(secret)) or token is None:
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stops the token working at once; revoking twice is harmless and logged once."""
    if not _may_manage_tokens_of(actor, token.user):
        raise PermissionDenied(_("Bạn không có quyền thu hồi khóa API này."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=token,
        unit=_home_unit(token.user),
        changes={"revoked_at": [None, token.revoked_at]},
        note=_("Thu hồi khóa API"),
    )
    return token


def token_has_scope(token: ApiToken, scope: str) -> bool:
    return scope in (token.scopes or [])
