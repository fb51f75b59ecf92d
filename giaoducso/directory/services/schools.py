"""Writes to school records, school years and terms."""

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core import services as core_services
from giaoducso.core.audit import Actor
from giaoducso.core.bulk import BATCH_SIZE
from giaoducso.core.models import Unit
from giaoducso.core.services import reject_unknown_fields

from .. import checks
from ..models import School, SchoolYear, Term
from ..selectors.common import calendar_unit

SCHOOL_EDITABLE = (
    "level",
    "ownership",
    "ward",
    "ward_name",
    "address",
    "phone",
    "email",
    "website",
    "principal_name",
    "it_leader_name",
    "has_it_staff_position",
    "status",
)


# The fields a new school record may be given: what it is, then what an edit may change.
SCHOOL_FIELDS = ("level", "ownership", *SCHOOL_EDITABLE, "ward_id")


def _checked_contacts(school: School, fields: dict[str, Any]) -> None:
    errors: checks.Errors = {}
    if "phone" in fields:
        school.phone = checks.phone(errors, "phone", school.phone)
    if "email" in fields:
        checks.email_field(errors, "email", school.email)
    checks.raise_if_any(errors)


def _new_school(unit: Unit, fields: dict[str, Any]) -> School:
    reject_unknown_fields("school_create", fields, SCHOOL_FIELDS)
    school = School(unit=unit, **fields)
    school.full_clean()
    return school


@transaction.atomic
def school_create(*, actor: Actor, unit: Unit, note: str = "", **fields: Any) -> School:
    """The directory's record of a school unit that has none yet (the unit itself: core.unit_create)."""
    reject_unknown_fields("school_create", fields, SCHOOL_FIELDS)
    probe = School(unit=unit, **fields)
    _checked_contacts(probe, fields)  # before full_clean, so a bad phone gets its own sentence
    if "phone" in fields:
        fields["phone"] = probe.phone  # as normalised
    return school_bulk_create(actor=actor, rows=[(unit, fields)], note=note)[0]


def school_bulk_create(
    *, actor: Actor, rows: Iterable[tuple[Unit, dict[str, Any]]], note: str = ""
) -> list[School]:
    """Many school records at once (the school import, the demo district): the rows school_create writes
    and its audit lines, one per school. The caller has checked the contacts."""
    schools = [_new_school(unit, fields) for unit, fields in rows]
    School.objects.bulk_create(schools, batch_size=BATCH_SIZE)
    audit.record_create_many(actor=actor, objs=schools, unit_of=lambda school: school.unit, note=note)
    return schools


@transaction.atomic
def school_update(
    *, actor: Actor, school: School, name: str | None = None, note: str = "", **fields: Any
) -> School:
    """The school's record; its name lives on its Unit, which keeps its own audit line."""
    reject_unknown_fields("school_update", fields, (*SCHOOL_EDITABLE, "ward_id"))
    before = audit.snapshot(school, SCHOOL_EDITABLE)
    for key, value in fields.items():
        setattr(school, key, value)
    if school.ward_id is not None and "ward_name" not in fields:
        school.ward_name = ""
    _checked_contacts(school, fields)
    school.full_clean()
    school.save()
    audit.record_update(actor=actor, obj=school, before=before, note=note)
    if name is not None and name.strip() and name.strip() != school.unit.name:
        core_services.unit_update(actor=actor, unit=school.unit, name=name.strip())
    return school


# School years and terms -----------------------------------------------------------------------------


def _check_year_dates(start: _dt.date, end: _dt.date) -> None:
    if start >= end:
        raise ValidationError({"end_date": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})


@transaction.atomic
def school_year_create(
    *,
    actor: Actor,
    unit: Unit | None,
    name: str,
    start_date: _dt.date,
    end_date: _dt.date,
    is_current: bool = False,
) -> SchoolYear:
    """A year in `unit`'s calendar: the Sở's (None: the default calendar, for a database with no Sở)."""
    name = (name or "").strip()
    errors: checks.Errors = {}
    if unit is not None:
        owner = calendar_unit(unit)
        if owner.pk != unit.pk:
            errors["unit"] = [
                _("Lịch năm học của %(unit)s do %(owner)s quản lý.")
                % {"unit": unit.name, "owner": owner.name}
            ]
    parts = name.split("-")
    if not (
        len(parts) == 2
        and all(p.isdigit() and len(p) == 4 for p in parts)
        and int(parts[1]) == int(parts[0]) + 1
    ):
        errors["name"] = [_("Tên năm học có dạng 2026-2027 (hai năm liên tiếp).")]
    checks.raise_if_any(errors)
    _check_year_dates(start_date, end_date)
    if SchoolYear.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": [_("Đã có năm học %(name)s.") % {"name": name}]})
    year = SchoolYear(unit=unit, name=name, start_date=start_date, end_date=end_date, is_current=False)
    year.full_clean()
    year.save()
    audit.record_create(actor=actor, obj=year)
    if is_current:
        school_year_set_current(actor=actor, year=year)
    return year


@transaction.atomic
def school_year_update(*, actor: Actor, year: SchoolYear, **fields: Any) -> SchoolYear:
    reject_unknown_fields("school_year_update", fields, ("start_date", "end_date"))
    before = audit.snapshot(year, ("start_date", "end_date"))
    for key, value in fields.items():
        setattr(year, key, value)
    _check_year_dates(year.start_date, year.end_date)
    year.full_clean()
    year.save()
    audit.record_update(actor=actor, obj=year, before=before)
    return year


@transaction.atomic
def school_year_set_current(*, actor: Actor, year: SchoolYear) -> SchoolYear:
    """One current year per calendar: the previous one of the same unit stops being current in the same
    transaction; other provinces' calendars are not touched."""
    previous = list(
        SchoolYear.objects.select_for_update().filter(unit=year.unit_id, is_current=True).exclude(pk=year.pk)
    )
    for old in previous:
        old.is_current = False
        old.save(update_fields=["is_current"])
        audit.record(actor=actor, action="update", obj=old, changes={"is_current": [True, False]})
    if not year.is_current:
        year.is_current = True
        year.save(update_fields=["is_current"])
        audit.record(actor=actor, action="update", obj=year, changes={"is_current": [False, True]})
    return year


@transaction.atomic
def term_set(
    *, actor: Actor, year: SchoolYear, number: int, start_date: _dt.date, end_date: _dt.date
) -> Term:
    """Creates or moves a term; its dates lie inside the year and term I comes before term II."""
    errors: checks.Errors = {}
    if number not in (1, 2):
        errors["number"] = [_("Học kì phải là I hoặc II.")]
    if start_date >= end_date:
        errors.setdefault("end_date", []).append(_("Ngày kết thúc học kì phải sau ngày bắt đầu."))
    if start_date < year.start_date or end_date > year.end_date:
        errors.setdefault("start_date", []).append(
            _("Học kì phải nằm trong năm học (%(start)s – %(end)s).")
            % {"start": f"{year.start_date:%d/%m/%Y}", "end": f"{year.end_date:%d/%m/%Y}"}
        )
    other = year.terms.exclude(number=number).first()
    overlaps = other is not None and (
        (number == 1 and end_date >= other.start_date) or (number == 2 and start_date <= other.end_date)
    )
    if overlaps and not errors:
        errors["start_date"] = [_("Học kì I phải kết thúc trước khi học kì II bắt đầu.")]
    checks.raise_if_any(errors)
    term = Term.objects.filter(year=year, number=number).first()
    if term is None:
        term = Term(year=year, number=number, start_date=start_date, end_date=end_date)
        term.full_clean()
        term.save()
        audit.record_create(actor=actor, obj=term)
        return term
    before = audit.snapshot(term, ("start_date", "end_date"))
    term.start_date, term.end_date = start_date, end_date
    term.full_clean()
    term.save()
    audit.record_update(actor=actor, obj=term, before=before)
    return term
