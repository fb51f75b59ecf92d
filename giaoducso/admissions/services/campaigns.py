"""Campaigns: created and changed by the department, every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.services import reject_unknown_fields

from ..models import (
    AreaRule,
    Campaign,
    CampaignKind,
    CampaignSchool,
    CampaignState,
    EntryGrade,
    GroupRule,
    UnconfirmedPolicy,
)

Errors = dict[str, list[str]]

TIMETABLE = ("review_end", "apply_start", "apply_end", "verify_end", "publish_date", "confirm_deadline")
CAMPAIGN_FIELDS = (
    "name",
    "school_year",
    "entry_grade",
    "kind",
    "general_campaign",
    "area_rule",
    "radius_km",
    "residence_only",
    "choices_allowed",
    "groups",
    *TIMETABLE,
    "unconfirmed_policy",
)
# What no longer changes once the assignment has run: it would make the published inputs a lie.
FROZEN_AFTER_ASSIGNMENT = (
    "entry_grade",
    "kind",
    "area_rule",
    "radius_km",
    "residence_only",
    "choices_allowed",
    "groups",
)
MAX_CHOICES = 10
MAX_GROUPS = 6

# Two groups in 2025–2026 (residence first, the rest on the seats left), three from 2026–2027.
GROUPS_2025: list[dict[str, str]] = [
    {"code": "1", "label": "Cư trú trong địa bàn, đúng độ tuổi", "rule": GroupRule.IN_AREA},
    {"code": "2", "label": "Các trường hợp còn lại (xét trên chỉ tiêu còn lại)", "rule": GroupRule.ANY},
]
GROUPS_2026: list[dict[str, str]] = [
    {"code": "1", "label": "Cư trú trong địa bàn phường/xã của trường", "rule": GroupRule.IN_AREA},
    {"code": "2", "label": "Diện ưu tiên của địa phương", "rule": GroupRule.LOCAL_PRIORITY},
    {"code": "3", "label": "Các trường hợp còn lại", "rule": GroupRule.ANY},
]


# The actor of the public pages: a parent without an account.
PARENT = "cha mẹ học sinh (trực tuyến)"


def is_system(actor: Actor) -> bool:
    """A command, the demo or a scheduled task (None or a label), not a person signed in nor a parent."""
    return actor is None or (isinstance(actor, str) and actor != PARENT)


def check_may_manage(actor: Actor, unit: Unit) -> None:
    if not is_system(actor) and not has_perm(actor, Perm.MANAGE_ADMISSIONS, unit):
        raise PermissionDenied(_("Bạn không có quyền tổ chức tuyển sinh ở đơn vị này."))


def clean_groups(errors: Errors, groups: Any) -> list[dict[str, str]]:
    """The priority groups as data: a non-empty list, each with a label and one of the known rules."""
    if not isinstance(groups, list) or not groups:
        errors.setdefault("groups", []).append(_("Cần ít nhất một nhóm ưu tiên."))
        return []
    if len(groups) > MAX_GROUPS:
        errors.setdefault("groups", []).append(_("Tối đa %(n)s nhóm ưu tiên.") % {"n": MAX_GROUPS})
        return []
    cleaned = []
    for index, group in enumerate(groups, start=1):
        label = str(group.get("label", "")).strip() if isinstance(group, dict) else ""
        rule = str(group.get("rule", "")) if isinstance(group, dict) else ""
        if not label or len(label) > 200:
            errors.setdefault("groups", []).append(_("Nhóm %(n)s cần tên (tối đa 200 ký tự).") % {"n": index})
        if rule not in GroupRule.values:
            errors.setdefault("groups", []).append(_("Nhóm %(n)s có điều kiện không hợp lệ.") % {"n": index})
        cleaned.append({"code": str(index), "label": label, "rule": rule})
    return cleaned


def _check(campaign: Campaign, errors: Errors) -> None:
    if not (campaign.name or "").strip():
        errors.setdefault("name", []).append(_("Hãy nhập tên kì tuyển sinh."))
    year = campaign.school_year or ""
    if (
        len(year) != 9
        or year[4] != "-"
        or not (year[:4] + year[5:]).isdigit()
        or int(year[5:]) != int(year[:4]) + 1
    ):
        errors.setdefault("school_year", []).append(_("Năm học ghi dạng 2026-2027."))
    if campaign.entry_grade not in EntryGrade.values:
        errors.setdefault("entry_grade", []).append(_("Khối tuyển sinh là mầm non, lớp 1 hoặc lớp 6."))
    if campaign.kind not in CampaignKind.values:
        errors.setdefault("kind", []).append(_("Loại kì tuyển sinh không hợp lệ."))
    if campaign.area_rule not in AreaRule.values:
        errors.setdefault("area_rule", []).append(_("Hãy chọn cách xác định địa bàn."))
    if campaign.area_rule == AreaRule.DISTANCE and not campaign.radius_km:
        errors.setdefault("radius_km", []).append(_("Xét theo khoảng cách cần bán kính địa bàn (km)."))
    if campaign.unconfirmed_policy not in UnconfirmedPolicy.values:
        errors.setdefault("unconfirmed_policy", []).append(_("Hãy chọn cách xử lí chỗ không xác nhận."))
    if not isinstance(campaign.choices_allowed, int) or not 1 <= campaign.choices_allowed <= MAX_CHOICES:
        errors.setdefault("choices_allowed", []).append(
            _("Số nguyện vọng từ 1 đến %(n)s.") % {"n": MAX_CHOICES}
        )
    elif campaign.residence_only and campaign.choices_allowed != 1:
        errors.setdefault("choices_allowed", []).append(
            _("Kì tuyển sinh chỉ xét theo nơi cư trú có đúng một nguyện vọng.")
        )
    if campaign.kind == CampaignKind.SPECIAL:
        general = campaign.general_campaign
        if general is None:
            errors.setdefault("general_campaign", []).append(
                _("Chương trình đặc thù cần kì tuyển sinh chung để xét tiếp học sinh không trúng tuyển.")
            )
        elif general.kind != CampaignKind.GENERAL or general.entry_grade != campaign.entry_grade:
            errors.setdefault("general_campaign", []).append(
                _("Kì tuyển sinh chung phải cùng khối và là kì tuyển sinh chung.")
            )
    elif campaign.general_campaign_id is not None:
        errors.setdefault("general_campaign", []).append(_("Chỉ chương trình đặc thù mới gắn với kì chung."))
    days = [getattr(campaign, f) for f in TIMETABLE]
    if any(not isinstance(d, dt.date) for d in days):
        errors.setdefault("apply_start", []).append(_("Hãy nhập đủ các mốc thời gian (dd/mm/yyyy)."))
    else:
        order = [
            ("apply_start", "review_end", _("Hạn rà soát dữ liệu phải trước ngày bắt đầu nhận hồ sơ.")),
            ("apply_end", "apply_start", _("Ngày kết thúc nhận hồ sơ phải từ ngày bắt đầu trở đi.")),
            ("verify_end", "apply_end", _("Hạn xác minh phải từ ngày kết thúc nhận hồ sơ trở đi.")),
            ("publish_date", "verify_end", _("Ngày công bố phải sau hạn xác minh.")),
            ("confirm_deadline", "publish_date", _("Hạn xác nhận nhập học phải sau ngày công bố.")),
        ]
        for later, earlier, message in order:
            if getattr(campaign, later) < getattr(campaign, earlier):
                errors.setdefault(later, []).append(message)


def _radius(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        radius = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"radius_km": [_("Bán kính là một số km, ví dụ 2,5.")]}) from exc
    if not Decimal("0.1") <= radius <= Decimal("100"):
        raise ValidationError({"radius_km": [_("Bán kính từ 0,1 đến 100 km.")]})
    return radius.quantize(Decimal("0.01"))


@transaction.atomic
def campaign_create(*, actor: Actor, unit: Unit, **fields: Any) -> Campaign:
    reject_unknown_fields("campaign_create", fields, CAMPAIGN_FIELDS)
    check_may_manage(actor, unit)
    errors: Errors = {}
    if unit.kind == UnitKind.SCHOOL:
        errors.setdefault("unit", []).append(_("Kì tuyển sinh do Phòng/Sở hoặc phường/xã tổ chức."))
    fields["groups"] = clean_groups(errors, fields.get("groups", GROUPS_2026))
    fields["radius_km"] = _radius(fields.get("radius_km"))
    campaign = Campaign(unit=unit, **fields)
    _check(campaign, errors)
    if errors:
        raise ValidationError(errors)
    campaign.save()
    audit.record_create(actor=actor, obj=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, **fields: Any) -> Campaign:
    reject_unknown_fields("campaign_update", fields, CAMPAIGN_FIELDS)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_may_manage(actor, campaign.unit)
    errors: Errors = {}
    if campaign.state in (CampaignState.ASSIGNED, CampaignState.PUBLISHED, CampaignState.CLOSED):
        frozen = [f for f in FROZEN_AFTER_ASSIGNMENT if f in fields and fields[f] != getattr(campaign, f)]
        for name in frozen:
            errors.setdefault(name, []).append(_("Đã phân tuyến: không đổi được quy tắc xét tuyển nữa."))
    if "groups" in fields:
        fields["groups"] = clean_groups(errors, fields["groups"])
    if "radius_km" in fields:
        fields["radius_km"] = _radius(fields["radius_km"])
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    for key, value in fields.items():
        setattr(campaign, key, value)
    _check(campaign, errors)
    if errors:
        raise ValidationError(errors)
    campaign.save()
    audit.record_update(actor=actor, obj=campaign, before=before)
    return campaign


def _float(errors: Errors, name: str, value: Any, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors.setdefault(name, []).append(_("Toạ độ không hợp lệ."))
        return None
    return number


@transaction.atomic
def campaign_school_set(
    *,
    actor: Actor,
    campaign: Campaign,
    school: Unit,
    seats: int,
    wards: list[str] | None = None,
    latitude: Any = None,
    longitude: Any = None,
) -> CampaignSchool:
    """Adds a school to the campaign or changes its seats and area."""
    check_may_manage(actor, campaign.unit)
    errors: Errors = {}
    if school.kind != UnitKind.SCHOOL or not school.path.startswith(campaign.unit.path):
        errors.setdefault("school", []).append(_("Hãy chọn một trường thuộc đơn vị tổ chức tuyển sinh."))
    if not isinstance(seats, int) or not 0 <= seats <= 10_000:
        errors.setdefault("seats", []).append(_("Chỉ tiêu là số nguyên từ 0 đến 10.000."))
    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        errors.setdefault("school", []).append(
            _("Đã phân tuyến: không đổi được danh sách trường và chỉ tiêu.")
        )
    codes = sorted({str(w).strip() for w in (wards or []) if str(w).strip()})
    known = set(Unit.objects.filter(kind=UnitKind.WARD, code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        errors.setdefault("wards", []).append(
            _("Không có phường/xã mã: %(codes)s.") % {"codes": ", ".join(sorted(set(codes) - known))}
        )
    lat = _float(errors, "latitude", latitude, -90, 90)
    lon = _float(errors, "longitude", longitude, -180, 180)
    if errors:
        raise ValidationError(errors)
    row = CampaignSchool.objects.filter(campaign=campaign, school=school).first()
    if row is None:
        row = CampaignSchool.objects.create(
            campaign=campaign, school=school, seats=seats, wards=codes, latitude=lat, longitude=lon
        )
        audit.record_create(actor=actor, obj=row)
        return row
    before = audit.snapshot(row, ("seats", "wards", "latitude", "longitude"))
    row.seats, row.wards, row.latitude, row.longitude = seats, codes, lat, lon
    row.save()
    audit.record_update(actor=actor, obj=row, before=before)
    return row


@transaction.atomic
def campaign_school_remove(*, actor: Actor, row: CampaignSchool) -> None:
    check_may_manage(actor, row.campaign.unit)
    if row.campaign.state not in (CampaignState.DRAFT,):
        raise ValidationError(_("Chỉ bỏ được trường khi kì tuyển sinh còn đang soạn."))
    audit.record_delete(actor=actor, obj=row)
    row.delete()


@transaction.atomic
def campaign_open(*, actor: Actor, campaign: Campaign) -> Campaign:
    """From draft to open: applications are taken from `apply_start` to `apply_end`."""
    check_may_manage(actor, campaign.unit)
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Kì tuyển sinh này không còn ở trạng thái đang soạn."))
    if not campaign.schools.filter(seats__gt=0).exists():
        raise ValidationError(_("Hãy thêm ít nhất một trường có chỉ tiêu trước khi mở nhận hồ sơ."))
    before = audit.snapshot(campaign, ("state",))
    campaign.state = CampaignState.OPEN
    campaign.save(update_fields=["state", "updated_at"])
    audit.record_update(actor=actor, obj=campaign, before=before)
    return campaign


def window_problem(campaign: Campaign, today: dt.date | None = None) -> str | None:
    """Why the campaign takes no application today, in words for a parent; None when it does."""
    today = today or timezone.localdate()
    if campaign.state == CampaignState.DRAFT:
        return _("Kì tuyển sinh này chưa mở nhận hồ sơ.")
    if campaign.state != CampaignState.OPEN or today > campaign.apply_end:
        return _("Đã hết thời gian nhận hồ sơ của kì tuyển sinh này (hạn cuối %(day)s).") % {
            "day": f"{campaign.apply_end:%d/%m/%Y}"
        }
    if today < campaign.apply_start:
        return _("Kì tuyển sinh này nhận hồ sơ từ ngày %(day)s.") % {
            "day": f"{campaign.apply_start:%d/%m/%Y}"
        }
    return None
