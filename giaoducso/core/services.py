"""Writes for units, users and memberships. One path per operation, shared by UI, API and commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.dispatch import Signal
from django.utils.translation import gettext as _

from rules.text import fold

from . import audit
from .audit import Actor
from .models import PATH_SEGMENT, Membership, Unit, User


def reject_unknown_fields(service: str, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """Services take only the fields they know; anything else is a programming error (a form or schema
    out of step with the service), not bad user input."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{service} cannot change {sorted(unknown)}")


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT}d}/"


@transaction.atomic
def unit_create(
    *, actor: Actor, kind: str, code: str, name: str, parent: Unit | None = None, short_name: str = ""
) -> Unit:
    # A provisional unique path lets the row be inserted before its id (and so its real path) is known.
    unit = Unit(kind=kind, code=code.strip(), name=name.strip(), short_name=short_name, parent=parent)
    unit.search_name = fold(unit.name)
    unit.path = f"~{code}"
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = (parent.path if parent else "") + _segment(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit.record_create(actor=actor, obj=unit)
    return unit


def moved_path(column: str, old_path: str, new_path: str) -> Concat:
    """The SQL value of `column` (a path under `old_path`) with that prefix replaced by `new_path`."""
    return Concat(Value(new_path), Substr(column, len(old_path) + 1, Length(column)))


# Sent inside unit_move's transaction with unit, old_path and new_path (the moved subtree's old and new
# prefix): apps that keep a copy of a unit's path beside their rows rewrite it.
unit_moved = Signal()


@transaction.atomic
def unit_move(*, actor: Actor, unit: Unit, new_parent: Unit | None) -> Unit:
    """Re-parents a unit with its whole subtree (e.g. schools moving from a district to a ward)."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới.")})
    before = audit.snapshot(unit)
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "") + _segment(unit.pk)
    depth_delta = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    # One UPDATE rewrites the prefix of every descendant's path, whatever the size of the subtree.
    Unit.objects.filter(path__startswith=old_path).update(
        path=moved_path("path", old_path, new_path),
        depth=F("depth") + depth_delta,
    )
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    unit_moved.send(sender=Unit, unit=unit, old_path=old_path, new_path=new_path)
    audit.record_update(actor=actor, obj=unit, before=before)
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, **fields: Any) -> Unit:
    allowed = {"name", "short_name", "code", "is_active"}
    reject_unknown_fields("unit_update", fields, allowed)
    before = audit.snapshot(unit)
    before.pop("search_name")  # derived from the name: the name's own change says it all
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.search_name = fold(unit.name)
    unit.full_clean()
    unit.save()
    audit.record_update(actor=actor, obj=unit, before=before)
    return unit


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    audit_unit: Unit | None = None,
) -> User:
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip(), phone=phone)
    user.search_name = fold(user.full_name)
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action="create",
        obj=user,
        unit=audit_unit,
        changes={
            k: [None, v] for k, v in audit.snapshot(user, ["username", "full_name", "email", "phone"]).items()
        },
    )
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, audit_unit: Unit | None = None, **fields: Any) -> User:
    allowed = {"full_name", "email", "phone", "language", "is_active"}
    reject_unknown_fields("user_update", fields, allowed)
    before = audit.snapshot(user, allowed)
    for key, value in fields.items():
        setattr(user, key, value)
    user.search_name = fold(user.full_name)
    user.full_clean(exclude=["password"])
    user.save()
    changes = audit.diff(before, audit.snapshot(user, allowed))
    if changes:
        audit.record(actor=actor, action="update", obj=user, unit=audit_unit, changes=changes)
    return user


@transaction.atomic
def membership_grant(*, actor: Actor, user: User, unit: Unit, role: str, title: str = "") -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        created = True
    if created:
        audit.record(
            actor=actor,
            action="create",
            obj=membership,
            unit=unit,
            changes={"user": [None, user.username], "role": [None, role], "unit": [None, unit.code]},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    if not membership.is_active:
        return
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="update",
        obj=membership,
        unit=membership.unit,
        changes={"is_active": [True, False]},
    )
