"""What the reporting screens share: the units a user acts for, typed dates, refusals in words."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import role_allows
from giaoducso.core.scoping import memberships_for
from rules.report_forms import parse_date


def acting_units(user: Any, perm: str) -> list[Unit]:
    """The units whose holder may act with `perm` (a department for its forms and campaigns)."""
    if getattr(user, "is_superuser", False):
        return list(Unit.objects.filter(parent=None))
    return [m.unit for m in memberships_for(user) if role_allows(m.role, perm)]


def acting_unit_or_404(request: HttpRequest, perm: str) -> Unit:
    units = acting_units(request.user, perm)
    wanted = request.POST.get("owner") or request.GET.get("owner")
    if wanted:
        for unit in units:
            if str(unit.pk) == str(wanted):
                return unit
    if not units:
        raise Http404
    return units[0]


def day_from(text: str, field: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise ValidationError(
            {field: _("Ngày «%(value)s» không đúng dạng dd/mm/yyyy.") % {"value": (text or "")[:20]}}
        )
    return day


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: [str(m) for e in errs for m in e.messages] for key, errs in error.error_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def key_from_label(label: str, taken: set[str]) -> str:
    """A field key from its Vietnamese label: "Số máy tính" → "so_may_tinh" (unique within the form)."""
    text = label.lower().replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:32] or "chi_tieu"
    if not text[0].isalpha():
        text = "c_" + text
    key, n = text, 2
    while key in taken:
        key, n = f"{text}_{n}", n + 1
    return key
