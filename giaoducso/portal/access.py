"""Who may do what on which site.

Editing rights on a site come from a membership on the site's own unit, not on an ancestor: the department
has its own site and its own editors, and a department role does not write a school's pages (nor a school's
the department's). Only the board of disclosures reaches over the subtree (Perm.PORTAL_OVERSEE).
Everything refused answers 404, as for a page that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from giaoducso.core.models import Unit
from giaoducso.core.roles import role_allows
from giaoducso.core.scoping import has_perm, memberships_for

from .models import Site


def holds(user: Any, perm: str, unit: Unit) -> bool:
    """Whether `user` holds `perm` through a membership on `unit` itself."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(m.unit_id == unit.pk and role_allows(m.role, perm) for m in memberships_for(user))


def units_holding(user: Any, perm: str) -> list[Unit]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(Unit.objects.filter(is_active=True).order_by("path"))
    seen: dict[int, Unit] = {}
    for m in memberships_for(user):
        if role_allows(m.role, perm):
            seen.setdefault(m.unit_id, m.unit)
    return sorted(seen.values(), key=lambda u: u.path)


def unit_for(user: Any, perm: str, code: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None or not holds(user, perm, unit):
        raise Http404
    return unit


def site_for(user: Any, perm: str, code: str) -> Site:
    """The site of unit `code` for someone holding `perm` on it (made on first use), else 404."""
    unit = unit_for(user, perm, code)
    site, _created = Site.objects.get_or_create(unit=unit)
    return site


def oversees(user: Any, unit: Unit | None = None) -> bool:
    from giaoducso.core.roles import Perm

    return has_perm(user, Perm.PORTAL_OVERSEE, unit)
