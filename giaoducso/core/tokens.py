"""API tokens for other systems: create (the secret is shown once), authenticate, revoke.

A token reads `gds_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the secret is stored.
A plain hash is enough here (no salt, no slow KDF) because the secret is 256 random bits, not a
password a person chose: there is nothing to guess from a leaked hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, context
from .middleware import requires_two_factor
from .models import ApiToken, AuditAction, Membership, Unit, User
from .roles import ROLE_PERMISSIONS, Perm
from .scoping import has_perm

logger = logging.getLogger("giaoducso.api.tokens")

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
    "records:read": gettext_lazy("Đọc sổ điểm, kết quả học tập và điểm danh"),
    "records:write": gettext_lazy("Nhập điểm và điểm danh"),
    # records — contact book (issue 10)
    "contactbook:write": gettext_lazy("Gửi tin nhắn, đơn xin nghỉ và duyệt đơn trong sổ liên lạc"),
    # --- office ---
    "office:read": gettext_lazy("Đọc văn bản đi, văn bản đến và sổ văn bản"),
    "office:write": gettext_lazy("Soạn, duyệt, phát hành và vào sổ văn bản"),
    # --- admissions
    "admissions:read": gettext_lazy("Đọc kì tuyển sinh, hồ sơ và kết quả tuyển sinh"),
    "admissions:write": gettext_lazy("Tạo và sửa kì tuyển sinh"),
    # reporting
    "reporting:read": gettext_lazy("Đọc đợt báo cáo và báo cáo của đơn vị"),
    "reporting:write": gettext_lazy("Lưu và nộp báo cáo của đơn vị"),
    "assets:read": gettext_lazy("Đọc danh mục thiết bị CNTT, website và kết quả kiểm tra"),
    "assets:write": gettext_lazy("Ghi danh mục thiết bị CNTT, đăng ký website"),
}

# The permissions that make a scope worth having: a token's user needs at least one of them somewhere,
# or every route of the scope would answer 404/403 to it forever, and the scope only widens what a
# stolen token could do once the user gains a role.
SCOPE_PERMISSIONS: dict[str, frozenset[str]] = {
    "units:read": frozenset({Perm.VIEW_UNIT}),
    "students:read": frozenset({Perm.VIEW_STUDENT}),
    "directory:read": frozenset({Perm.VIEW_SCHOOL, Perm.VIEW_STAFF}),
    "directory:write": frozenset({Perm.CHANGE_SCHOOL, Perm.CHANGE_STUDENT, Perm.CHANGE_STAFF}),
    "audit:read": frozenset({Perm.VIEW_AUDIT}),
    # Anyone may follow the jobs they started themselves.
    "jobs:read": frozenset(),
    "records:read": frozenset({Perm.VIEW_RECORDS}),
    # Teachers enter their subjects' marks, the homeroom teacher the roll; readers never write.
    "records:write": frozenset({Perm.ENTER_MARKS, Perm.KEEP_HOMEROOM}),
    # records — contact book (issue 10)
    "contactbook:write": frozenset({Perm.CONTACT_BOOK}),
    # --- office ---
    "office:read": frozenset({Perm.OFFICE_VIEW}),
    "office:write": frozenset({Perm.OFFICE_DRAFT, Perm.OFFICE_APPROVE, Perm.OFFICE_CLERK}),
    # --- admissions
    "admissions:read": frozenset({Perm.VIEW_ADMISSIONS}),
    "admissions:write": frozenset({Perm.MANAGE_ADMISSIONS}),
    # reporting
    "reporting:read": frozenset({Perm.VIEW_REPORTS}),
    "reporting:write": frozenset({Perm.SUBMIT_REPORTS}),
    "assets:read": frozenset({Perm.VIEW_ASSETS}),
    "assets:write": frozenset({Perm.CHANGE_ASSETS}),
}
MAX_ALLOWED_IPS = 50

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


def usable_scopes(user: User) -> set[str]:
    """The scopes that some active role of the user can use (all of them for a superuser)."""
    if user.is_superuser:
        return set(SCOPES)
    roles = Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
    perms: set[str] = set()
    for role in set(roles):
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return {scope for scope, needs in SCOPE_PERMISSIONS.items() if not needs or needs & perms}


def clean_allowed_ips(values: Iterable[str]) -> list[str]:
    """CIDR ranges in their normal form ("192.0.2.7" → "192.0.2.7/32"); host bits are allowed."""
    ranges: list[str] = []
    bad: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            bad.append(text)
            continue
        if str(network) not in ranges:
            ranges.append(str(network))
    if bad:
        raise ValidationError(
            {
                "allowed_ips": _(
                    "Địa chỉ IP hoặc dải địa chỉ không hợp lệ: %(bad)s. Ví dụ hợp lệ: 10.1.2.0/24, 192.0.2.7."
                )
                % {"bad": ", ".join(bad)}
            }
        )
    if len(ranges) > MAX_ALLOWED_IPS:
        raise ValidationError({"allowed_ips": _("Tối đa %(max)d dải địa chỉ.") % {"max": MAX_ALLOWED_IPS}})
    return ranges


def ip_allowed(token: ApiToken, ip: str | None) -> bool:
    if not token.allowed_ips:
        return True
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    for cidr in token.allowed_ips:
        try:
            if address in ipaddress.ip_network(cidr, strict=False):
                return True
        except ValueError:  # a range edited by hand into something invalid matches nothing
            continue
    return False


def _is_verified(actor: Any) -> bool:
    """django-otp's verdict on the person at the keyboard; a plain user object has none, so fails."""
    check = getattr(actor, "is_verified", None)
    return bool(callable(check) and check())


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
    allowed_ips: Iterable[str] = (),
) -> tuple[ApiToken, str]:
    """Creates a token and returns it with its full secret, which is never retrievable again.

    `actor` None is the server's operator (a management command); a person (a web request) issuing a
    token for an account whose roles need a second factor must have passed their own: otherwise a
    token would be the way around that account's second factor."""
    if not _may_manage_tokens_of(actor, user):
        raise PermissionDenied(_("Bạn không có quyền tạo khóa API cho người dùng này."))
    if actor is not None and requires_two_factor(user) and not _is_verified(actor):
        raise PermissionDenied(
            _(
                "Tài khoản này cần xác thực hai lớp; chỉ được cấp khóa API cho nó sau khi bạn đã xác thực hai lớp trong phiên làm việc này."
            )
        )
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
    unusable = sorted(set(clean) - usable_scopes(user))
    if unusable:
        raise ValidationError(
            {
                "scopes": _(
                    "Vai trò của %(user)s không bao giờ dùng được phạm vi: %(scopes)s. Chỉ chọn trong: %(usable)s."
                )
                % {
                    "user": user.username,
                    "scopes": ", ".join(unusable),
                    "usable": ", ".join(sorted(usable_scopes(user))) or "—",
                }
            }
        )
    ranges = clean_allowed_ips(allowed_ips)
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
                    allowed_ips=ranges,
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
            "allowed_ips": [None, ranges],
        },
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_authenticate(raw: str | None, ip: str | None = None) -> ApiToken | None:
    """The live token that `raw` stands for, or None when malformed, unknown, revoked, expired, or used
    from an address outside its `allowed_ips`. `ip` defaults to the current request's client address.

    Each use is logged (one line, no database write); last_used_at/last_used_ip are written at most
    once a minute, or at once when the address changes."""
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
    if ip is None:
        ip = context.current().ip_address
    log_extra = {"token_prefix": token.prefix, "token_user_id": token.user_id, "client_ip": ip}
    if not ip_allowed(token, ip):
        logger.warning("API token %s refused from address %s", token.prefix, ip, extra=log_extra)
        return None
    logger.info("API token %s used by user %s from %s", token.prefix, token.user_id, ip, extra=log_extra)
    stale = token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION
    moved = _valid_ip(ip) and ip != token.last_used_ip
    if stale or moved:
        used_ip = ip if _valid_ip(ip) else token.last_used_ip
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=used_ip)
        token.last_used_at, token.last_used_ip = now, used_ip
    return token


def _valid_ip(ip: str | None) -> bool:
    try:
        ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return True


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
