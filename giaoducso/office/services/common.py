"""What the office services share: refusals in Vietnamese, who may do what on which unit, the body's
sanitising, the folded search text, the unit's settings and who in a unit is told."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from giaoducso.core.audit import Actor
from giaoducso.core.models import Membership, Unit, User
from giaoducso.core.roles import ROLE_PERMISSIONS, Perm
from giaoducso.core.scoping import has_perm
from rules.text import fold

from ..models import OfficeSettings

# The simple markup a body may hold (a plain textarea; nh3 keeps only this).
BODY_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "table",
    "tr",
    "td",
    "th",
}
MAX_BODY = 200_000
_BLANK_LINES = re.compile(r"\n\s*\n")


def refuse(message: str, code: str, field: str | None = None) -> ValidationError:
    """A refusal with its machine-readable code; tied to a field when one is to blame."""
    if not field:
        return ValidationError(message, code=code)
    error = ValidationError({field: [ValidationError(message, code=code)]})
    error.code = code  # the dict form keeps codes per field only; callers read the first one here
    return error


def require(actor: Actor, perm: str, unit: Unit, message: str) -> None:
    if not has_perm(actor, perm, unit):
        raise PermissionDenied(message)


def clean_body(text: str) -> str:
    """Sanitised simple markup; plain text typed with blank lines becomes paragraphs."""
    text = (text or "").strip()
    if len(text) > MAX_BODY:
        raise refuse(_("Nội dung văn bản quá dài (tối đa 200.000 ký tự)."), "too_long", "body")
    if text and "<" not in text:
        paragraphs = [escape(p.strip()).replace("\n", "<br>") for p in _BLANK_LINES.split(text) if p.strip()]
        text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return nh3.clean(text, tags=BODY_TAGS, attributes={})


def plain_text(html: str) -> str:
    return strip_tags(html.replace("</p>", "</p>\n").replace("<br>", "\n"))


def folded(*parts: Any) -> str:
    return fold(" ".join(str(p) for p in parts if p))


def default_abbreviation(unit: Unit) -> str:
    if unit.short_name:
        return re.sub(r"[^\wĐđ]", "", unit.short_name.upper())[:32] or unit.code
    return unit.code[:32]


def settings_for(unit: Unit) -> OfficeSettings:
    """The unit's office settings; the defaults (its short name, one shared series) until set."""
    found = OfficeSettings.objects.filter(unit=unit).first()
    if found is not None:
        return found
    superior = unit.parent.name.upper() if unit.parent_id else ""  # type: ignore[union-attr]
    return OfficeSettings(unit=unit, abbreviation=default_abbreviation(unit), superior_name=superior)


def allowed_recipients(issuer: Unit) -> QuerySet[Unit]:
    """The units a document of `issuer` may go to: its parent's subtree (itself aside) and its ancestors —
    down to its schools, up to its superiors, across to its sibling units."""
    top = issuer.parent if issuer.parent_id else issuer
    assert top is not None
    return (
        Unit.objects.filter(Q(path__startswith=top.path) | Q(path__in=issuer.ancestor_paths()))
        .filter(is_active=True)
        .exclude(pk=issuer.pk)
    )


def office_people(units: Iterable[Unit], perms: Iterable[str]) -> list[User]:
    """The active people holding one of `perms` on exactly these units (not their superiors: a Phòng's
    leader is not a school's văn thư)."""
    wanted = set(perms)
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if granted & wanted]
    memberships = Membership.objects.filter(
        unit__in=list(units), role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    return list({m.user_id: m.user for m in memberships}.values())


CLERKS_AND_LEADERS = (Perm.OFFICE_CLERK, Perm.OFFICE_APPROVE)
