"""What the records screens share: a school reached by its code, dates as typed, refusals in words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import has_perm
from giaoducso.directory.models import SchoolClass, SchoolYear
from giaoducso.directory.selectors import current_year_for

_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


def school_or_404(request: HttpRequest, code: str, perm: str) -> Unit:
    """The school with `code` when the user holds `perm` on it; 404 otherwise (never 403)."""
    school = Unit.objects.filter(code=code).first()
    if school is None or not has_perm(request.user, perm, school):
        raise Http404
    return school


def current_year(school: Unit) -> SchoolYear | None:
    year = current_year_for(school)
    if year is not None:
        return year
    first = SchoolClass.objects.filter(school=school, year__is_current=True).select_related("year").first()
    return first.year if first is not None else None


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy as typed; ValidationError in Vietnamese otherwise."""
    match = _DATE.match(text or "")
    if match is None:
        raise ValidationError(
            _("Ngày «%(value)s» không đúng dạng dd/mm/yyyy.") % {"value": (text or "")[:20]}, code="bad_date"
        )
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("Ngày %(value)s không có thật.") % {"value": text.strip()}, code="bad_date"
        ) from None


def parse_month(text: str, default: dt.date) -> tuple[int, int]:
    """(year, month) from "mm/yyyy"; the default's month when empty or unreadable."""
    match = _MONTH.match(text or "")
    if match is not None:
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 < year < 3000:
            return year, month
    return default.year, default.month


def parse_term(value: Any, default: int = 1) -> int:
    return int(value) if str(value) in ("1", "2") else default


def message_of(error: ValidationError) -> str:
    """The first message of a refusal, to show on the page."""
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                return str(item.messages[0])
    return str(error.messages[0]) if error.messages else _("Dữ liệu không hợp lệ.")
