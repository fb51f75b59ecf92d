"""The demo district, assembled from parts: core owns the registry, the units and the accounts; each app
contributes its own records through a `DemoPart` it registers in its AppConfig.ready().

`seed_demo` asks every part for a plan (pure data from the options, seeded, so the same options give the
same district), writes the units and accounts those plans name through core's audited services, then
lets each part write its records and link its accounts, all in one transaction. A new app adds its part
(grade books, documents…) without touching core.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Unit, User

# One documented password for every demo account; strong enough for the validators, public by design.
DEMO_PASSWORD = "GiaoDucSo@2026"  # noqa: S105  (public by design, printed by seed_demo)
# The name seed_demo gives its TOTP devices; demo_totp refuses any other device, so it cannot mint codes
# for a real user's authenticator.
DEMO_DEVICE_NAME = "demo"
SUPERUSER = "superuser"

DISTRICT = "district"
WARD = "ward"
STRUCTURES = (DISTRICT, WARD)


@dataclass(frozen=True)
class DemoOptions:
    seed: int
    schools: int
    students: int
    structure: str
    school_year: int  # the first calendar year of the current school year


@dataclass(frozen=True)
class UnitPlan:
    code: str
    kind: str
    name: str
    short_name: str
    parent_code: str | None


@dataclass(frozen=True)
class AccountPlan:
    username: str
    role: str  # a Role value, or SUPERUSER
    unit_code: str | None
    full_name: str
    title: str
    # The base32 TOTP secret, for accounts that must use a second factor.
    totp_secret: str | None
    # The record of the app that planned the account which it stands for, as (kind, key): that app
    # links the written user to it (a student, a parent's child, a staff member).
    record: tuple[str, str] | None = None

    @property
    def email(self) -> str:
        return f"{self.username}@example.edu.vn"


@dataclass
class Written:
    """What has been written so far, for the parts that come after: units and users by code/username."""

    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


class DemoPart(Protocol):
    """One app's share of the demo district."""

    name: str

    def plan(self, options: DemoOptions) -> Any:
        """Pure and seeded: the same options give an equal plan (nothing is written)."""

    def units(self, plan: Any) -> list[UnitPlan]:
        """Units of the tree this part needs, parents first."""

    def accounts(self, plan: Any) -> list[AccountPlan]: ...

    def write(self, plan: Any, written: Written) -> None:
        """The app's own records, after the units exist and before the accounts do."""

    def link_accounts(self, plan: Any, written: Written) -> None:
        """Ties written users to this app's records (AccountPlan.record)."""

    def summary(self, plan: Any) -> str:
        """A short count of what was written, for the command's first line."""


_parts: dict[str, DemoPart] = {}


def register(part: DemoPart) -> None:
    """Called from an AppConfig.ready(): parts run in the order of INSTALLED_APPS (lower layers first)."""
    _parts[part.name] = part


def parts() -> list[DemoPart]:
    return list(_parts.values())


def totp_secret(seed: int, username: str) -> str:
    """A fixed base32 secret per account and seed, so a demo's authenticator entries survive a re-seed."""
    raw = hashlib.sha256(f"giaoducso-demo-totp:{seed}:{username}".encode()).digest()[:20]
    return base64.b32encode(raw).decode()


def current_school_year(today: dt.date) -> int:
    """The first calendar year of the school year running on `today` (years start in September)."""
    return today.year if today.month >= 9 else today.year - 1


def parse_school_year(value: str) -> int:
    """The first calendar year of "2026" or "2026-2027" (either dash); ValueError otherwise."""
    text = value.strip().replace("–", "-")
    first, dash, second = text.partition("-")
    if not (first.isascii() and first.isdigit() and len(first) == 4):
        raise ValueError(value)
    if dash and not (second.isascii() and second.isdigit() and int(second) == int(first) + 1):
        raise ValueError(value)
    return int(first)


def planned(options: DemoOptions) -> Iterator[tuple[DemoPart, Any]]:
    for part in parts():
        yield part, part.plan(options)


def write_units(plans: list[tuple[DemoPart, Any]], written: Written) -> None:
    for part, plan in plans:
        for unit in part.units(plan):
            written.units[unit.code] = services.unit_create(
                actor=None,
                kind=unit.kind,
                code=unit.code,
                name=unit.name,
                short_name=unit.short_name,
                parent=written.units[unit.parent_code] if unit.parent_code else None,
            )


def write_accounts(accounts: list[AccountPlan], written: Written) -> None:
    # The demo password is public, so per-account salts protect nothing; hashing it once instead of
    # once per account saves most of a second per account with the production hasher.
    validate_password(DEMO_PASSWORD)
    password_hash = make_password(DEMO_PASSWORD)
    for account in accounts:
        unit = written.units[account.unit_code] if account.unit_code else None
        user = services.user_create(
            actor=None,
            username=account.username,
            password=None,
            full_name=account.full_name,
            email=account.email,
            audit_unit=unit,
        )
        user.password = password_hash
        user.is_staff = user.is_superuser = account.role == SUPERUSER
        user.save(update_fields=["password", "is_staff", "is_superuser"])
        if unit is not None:
            services.membership_grant(
                actor=None, user=user, unit=unit, role=account.role, title=account.title
            )
        if account.totp_secret:
            TOTPDevice.objects.create(
                user=user,
                name=DEMO_DEVICE_NAME,
                key=base64.b32decode(account.totp_secret).hex(),
                confirmed=True,
            )
        written.users[account.username] = user


def write_planned(plans: list[tuple[DemoPart, Any]]) -> None:
    """Writes the planned district; the caller holds the transaction."""
    written = Written()
    write_units(plans, written)
    for part, plan in plans:
        part.write(plan, written)
    write_accounts([a for part, plan in plans for a in part.accounts(plan)], written)
    for part, plan in plans:
        part.link_accounts(plan, written)
