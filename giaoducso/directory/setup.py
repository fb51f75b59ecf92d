"""First run for a real district or ward: its department (or ward) unit, the current school year (on the
Sở above it, whose calendar the province follows; on the unit itself when there is no Sở), and
optionally the first department IT account — the command `setup_unit` and the superuser's screen
"Thiết lập đơn vị" share this one path.

Here and not in core because a school year belongs to the directory and core never imports an app. Every
write goes through the audited services; running it again with the same input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import services as core_services
from giaoducso.core.demo import current_school_year, parse_school_year
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.core.roles import Role

from . import selectors, services
from .demo.plan import year_plan
from .models import SchoolYear

# The units a deployment starts from: the department (Phòng or Sở) or, after the 2025 reform, the ward.
SETUP_KINDS = (UnitKind.DISTRICT_DEPARTMENT, UnitKind.WARD, UnitKind.PROVINCE_DEPARTMENT)
# How the command and the form read the school year's dates.
DATE_FORMAT = "%d/%m/%Y"


@dataclass
class SetupResult:
    unit: Unit
    year: SchoolYear
    admin: User | None = None
    # What this run created (the rest was there already), in the order it happened, for the summary.
    created: list[str] = field(default_factory=list)


def default_school_year(today: dt.date | None = None) -> str:
    """The school year running on `today` ("2026-2027" from September 2026 to August 2027)."""
    start = current_school_year(today or timezone.localdate())
    return f"{start}-{start + 1}"


def _fail(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def _parent(code: str, name: str, created: list[str], actor: Any) -> Unit | None:
    code = code.strip()
    if not code:
        return None
    parent = Unit.objects.filter(code=code).first()
    if parent is None:
        if not name.strip():
            raise _fail(
                "parent_name",
                _("Chưa có đơn vị cấp trên mã %(code)s; hãy cho biết tên của Sở để tạo.") % {"code": code},
            )
        parent = core_services.unit_create(
            actor=actor, kind=UnitKind.PROVINCE_DEPARTMENT, code=code, name=name
        )
        created.append(_("đơn vị cấp trên %(name)s (%(code)s)") % {"name": parent.name, "code": parent.code})
    elif parent.kind != UnitKind.PROVINCE_DEPARTMENT:
        raise _fail(
            "parent_code",
            _("Đơn vị cấp trên %(code)s là “%(kind)s”, không phải Sở Giáo dục và Đào tạo.")
            % {"code": code, "kind": parent.get_kind_display()},
        )
    return parent


def _unit(kind: str, code: str, name: str, parent: Unit | None, created: list[str], actor: Any) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = core_services.unit_create(actor=actor, kind=kind, code=code, name=name, parent=parent)
        created.append(_("đơn vị %(name)s (%(code)s)") % {"name": unit.name, "code": unit.code})
        return unit
    # Idempotent, but never silently something else: an existing code must be the unit described.
    if unit.kind != kind:
        raise _fail(
            "code",
            _("Mã %(code)s đã dùng cho “%(name)s” (%(kind)s); hãy chọn mã khác.")
            % {"code": code, "name": unit.name, "kind": unit.get_kind_display()},
        )
    if parent is not None and unit.parent_id != parent.pk:
        raise _fail(
            "parent_code",
            _("Đơn vị %(code)s đã có và không nằm dưới %(parent)s.") % {"code": code, "parent": parent.code},
        )
    return unit


def _year(
    unit: Unit, name: str, start: dt.date | None, end: dt.date | None, created: list[str], actor: Any
) -> SchoolYear:
    try:
        first = parse_school_year(name)
    except ValueError:
        raise _fail("school_year", _("Tên năm học có dạng 2026-2027 (hai năm liên tiếp).")) from None
    name = f"{first}-{first + 1}"
    # The calendar is the province's: a Phòng or ward under a Sở gets (or finds) the year on the Sở; a
    # unit set up with no Sở above keeps its own calendar, until it is placed under one.
    owner = selectors.calendar_unit(unit)
    year = SchoolYear.objects.filter(unit=owner, name=name).first()
    if year is None:
        # The city's calendar (5 September – 31 May, two terms) unless the department gives its own dates.
        plan = year_plan(first, is_current=True)
        year = services.school_year_create(
            actor=actor,
            unit=owner,
            name=name,
            start_date=start or plan.start_date,
            end_date=end or plan.end_date,
            is_current=True,
        )
        if start is None and end is None:
            for term in plan.terms:
                services.term_set(
                    actor=actor,
                    year=year,
                    number=term.number,
                    start_date=term.start_date,
                    end_date=term.end_date,
                )
        created.append(_("năm học %(name)s") % {"name": year.name})
    elif not year.is_current:
        services.school_year_set_current(actor=actor, year=year)
        created.append(_("năm học %(name)s được đặt làm năm học hiện tại") % {"name": year.name})
    return year


def _admin(username: str, email: str, unit: Unit, created: list[str], actor: Any) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        # No password on the command line (shell history): the account gets one with `changepassword`.
        user = core_services.user_create(
            actor=actor, username=username, password=None, email=email, audit_unit=unit
        )
        created.append(_("tài khoản %(username)s") % {"username": user.username})
    elif email and user.email and user.email.lower() != email.lower():
        raise _fail(
            "admin_email",
            _("Tài khoản %(username)s đã có với địa chỉ thư khác (%(email)s).")
            % {"username": username, "email": user.email},
        )
    if not Membership.objects.filter(user=user, unit=unit, role=Role.DEPARTMENT_IT, is_active=True).exists():
        core_services.membership_grant(actor=actor, user=user, unit=unit, role=Role.DEPARTMENT_IT)
        created.append(
            _("vai trò %(role)s của %(username)s tại %(unit)s")
            % {"role": Role.DEPARTMENT_IT.label, "username": user.username, "unit": unit.code}
        )
    return user


@transaction.atomic
def unit_setup(
    *,
    actor: Any,
    kind: str,
    code: str,
    name: str,
    parent_code: str = "",
    parent_name: str = "",
    school_year: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    admin_username: str = "",
    admin_email: str = "",
) -> SetupResult:
    """Creates what is missing of: the parent Sở, the unit, the current school year, the IT account.

    ValidationError (messages in Vietnamese, by field) when the input is bad or contradicts what the
    database already holds; then nothing is written.
    """
    code, name = code.strip(), name.strip()
    if kind not in SETUP_KINDS:
        raise _fail(
            "kind",
            _("Loại đơn vị phải là một trong: %(kinds)s.")
            % {"kinds": ", ".join(f"{k.value} ({k.label})" for k in SETUP_KINDS)},
        )
    if not code:
        raise _fail("code", _("Hãy nhập mã đơn vị."))
    if not name:
        raise _fail("name", _("Hãy nhập tên đơn vị."))
    if (start_date is None) != (end_date is None):
        raise _fail("end_date", _("Hãy nhập cả ngày bắt đầu và ngày kết thúc năm học, hoặc bỏ trống cả hai."))
    if admin_email.strip() and not admin_username.strip():
        raise _fail("admin_username", _("Hãy nhập tên đăng nhập cho tài khoản quản trị."))
    if parent_code.strip() == code:
        raise _fail("parent_code", _("Đơn vị cấp trên không thể là chính đơn vị này."))
    created: list[str] = []
    parent = _parent(parent_code, parent_name, created, actor)
    unit = _unit(kind, code, name, parent, created, actor)
    year = _year(unit, school_year or default_school_year(), start_date, end_date, created, actor)
    admin = None
    if admin_username.strip():
        admin = _admin(admin_username.strip(), admin_email.strip(), unit, created, actor)
    return SetupResult(unit=unit, year=year, admin=admin, created=created)
