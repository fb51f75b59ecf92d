"""The IT asset inventory of a school: profile, computers, cameras, websites, e-mail domains."""

from __future__ import annotations

import ipaddress
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit, UnitKind

from ..models import (
    AssetCondition,
    AssetProfile,
    CameraStandard,
    CameraSystem,
    Computer,
    ComputerKind,
    MailDomain,
    Website,
)

PROFILE_FIELDS = ("network_provider", "has_fibre", "bandwidth_mbps", "it_leader_name", "it_staff_name")
_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"


def official_suffixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "EDU_DOMAIN_SUFFIXES", (".edu.vn",)))


def is_official_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host.endswith(suffix) or host == suffix.lstrip(".") for suffix in official_suffixes())


def _school(unit: Unit) -> None:
    if unit.kind != UnitKind.SCHOOL:
        raise ValidationError({"school": _("Danh mục thiết bị CNTT chỉ lập cho trường.")})


def _int(
    value: Any, field: str, label: str, low: int = 0, high: int = 10**6, *, required: bool = False
) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("«%(label)s» là bắt buộc.") % {"label": label}})
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("«%(label)s» phải là số nguyên.") % {"label": label}}) from None
    if not low <= number <= high:
        raise ValidationError(
            {
                field: _("«%(label)s» phải từ %(low)s đến %(high)s.")
                % {"label": label, "low": low, "high": high}
            }
        )
    return number


@transaction.atomic
def asset_profile_save(*, actor: Actor, school: Unit, values: dict[str, Any]) -> AssetProfile:
    _school(school)
    profile, _created = AssetProfile.objects.select_for_update().get_or_create(school=school)
    before = audit.snapshot(profile, PROFILE_FIELDS)
    profile.network_provider = str(values.get("network_provider", profile.network_provider) or "").strip()[
        :120
    ]
    profile.has_fibre = str(values.get("has_fibre", profile.has_fibre)).lower() in (
        "1",
        "true",
        "on",
        "có",
        "yes",
    )
    if "bandwidth_mbps" in values:
        profile.bandwidth_mbps = _int(
            values["bandwidth_mbps"], "bandwidth_mbps", _("Băng thông (Mbps)"), 0, 100_000
        )
    profile.it_leader_name = str(values.get("it_leader_name", profile.it_leader_name) or "").strip()[:255]
    profile.it_staff_name = str(values.get("it_staff_name", profile.it_staff_name) or "").strip()[:255]
    profile.save()
    changes = audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=profile, unit=school, changes=changes)
    return profile


def computer_add(
    *,
    actor: Actor,
    school: Unit,
    kind: str,
    condition: str,
    specification: str = "",
    year: Any = None,
    room: str = "",
    quantity: Any = 1,
    today_year: int = 2100,
) -> Computer:
    _school(school)
    errors: dict[str, str] = {}
    if kind not in ComputerKind.values:
        errors["kind"] = _("Loại máy không hợp lệ (máy để bàn, máy xách tay, máy chủ, máy tính bảng).")
    if condition not in AssetCondition.values:
        errors["condition"] = _("Tình trạng không hợp lệ (tốt, dùng được, hỏng).")
    if errors:
        raise ValidationError(errors)
    computer = Computer(
        school=school,
        kind=kind,
        condition=condition,
        specification=(specification or "").strip()[:255],
        year=_int(year, "year", _("Năm trang bị"), 1990, today_year),
        room=(room or "").strip()[:64],
        quantity=_int(quantity, "quantity", _("Số lượng"), 1, 10_000) or 1,
    )
    computer.save()
    audit.record_create(actor=actor, obj=computer)
    return computer


def computer_delete(*, actor: Actor, computer: Computer) -> None:
    audit.record(actor=actor, action=AuditAction.DELETE, obj=computer, unit=computer.school)
    computer.delete()


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("«%(label)s» phải là một số.") % {"label": label}}) from None
    if not number.is_finite() or not Decimal(0) < number < Decimal(1000):
        raise ValidationError({field: _("«%(label)s» phải lớn hơn 0 và nhỏ hơn 1000.") % {"label": label}})
    return number.quantize(Decimal("0.1"))


def camera_add(
    *, actor: Actor, school: Unit, location: str, count: Any, resolution_mp: Any, storage_days: Any
) -> CameraSystem:
    _school(school)
    location = (location or "").strip()
    if not location:
        raise ValidationError({"location": _("Cần nhập vị trí lắp camera.")})
    camera = CameraSystem(
        school=school,
        location=location[:128],
        count=_int(count, "count", _("Số camera"), 1, 10_000, required=True),
        resolution_mp=_decimal(resolution_mp, "resolution_mp", _("Độ phân giải (MP)")),
        storage_days=_int(storage_days, "storage_days", _("Số ngày lưu trữ"), 0, 3650, required=True),
    )
    camera.save()
    audit.record_create(actor=actor, obj=camera)
    return camera


def camera_standard_set(
    *, actor: Actor, owner: Unit, min_resolution_mp: Any, min_storage_days: Any, note: str = ""
) -> CameraStandard:
    standard, _created = CameraStandard.objects.get_or_create(
        owner=owner, defaults={"min_resolution_mp": Decimal(2), "min_storage_days": 30}
    )
    before = audit.snapshot(standard)
    standard.min_resolution_mp = _decimal(min_resolution_mp, "min_resolution_mp", _("Độ phân giải tối thiểu"))
    standard.min_storage_days = _int(
        min_storage_days, "min_storage_days", _("Số ngày lưu trữ tối thiểu"), 1, 3650, required=True
    )
    standard.note = (note or "").strip()[:255]
    standard.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=standard,
        unit=owner,
        changes=audit.diff(before, audit.snapshot(standard)),
    )
    return standard


def clean_site_url(url: str) -> tuple[str, str]:
    """The URL as stored and its host; ValidationError in Vietnamese when it is no web address."""
    text = (url or "").strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError({"url": _("Địa chỉ website không hợp lệ.")}) from None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme not in ("http", "https")
        or not host
        or len(text) > 300
        or parts.username
        or parts.password
    ):
        raise ValidationError(
            {"url": _("Địa chỉ website phải có dạng https://ten-mien/ (tối đa 300 ký tự).")}
        )
    import re

    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    if not is_ip and not all(re.fullmatch(_HOST_LABEL, label) for label in host.split(".")):
        raise ValidationError({"url": _("Tên miền «%(host)s» không hợp lệ.") % {"host": host[:100]}})
    netloc = host + (f":{port}" if port else "")
    return f"{parts.scheme}://{netloc}{parts.path or '/'}", host


def website_add(*, actor: Actor, school: Unit, url: str) -> Website:
    _school(school)
    clean, host = clean_site_url(url)
    try:
        with transaction.atomic():
            site = Website.objects.create(school=school, url=clean, is_official=is_official_host(host))
    except IntegrityError:
        raise ValidationError(
            {"url": ValidationError(_("Website này đã có trong danh mục của trường."), code="duplicate")}
        ) from None
    audit.record_create(actor=actor, obj=site)
    return site


def website_delete(*, actor: Actor, website: Website) -> None:
    audit.record(actor=actor, action=AuditAction.DELETE, obj=website, unit=website.school)
    website.delete()


def mail_domain_add(*, actor: Actor, school: Unit, domain: str) -> MailDomain:
    _school(school)
    import re

    text = (domain or "").strip().lower().lstrip("@")
    if "@" in text:
        text = text.split("@", 1)[1]
    if (
        not text
        or len(text) > 253
        or not all(re.fullmatch(_HOST_LABEL, p) for p in text.split("."))
        or "." not in text
    ):
        raise ValidationError({"domain": _("Tên miền thư điện tử không hợp lệ.")})
    try:
        with transaction.atomic():
            item = MailDomain.objects.create(school=school, domain=text, is_official=is_official_host(text))
    except IntegrityError:
        raise ValidationError(
            {"domain": ValidationError(_("Tên miền này đã có trong danh mục của trường."), code="duplicate")}
        ) from None
    audit.record_create(actor=actor, obj=item)
    return item
