"""Applications: a parent identifies the child, confirms or corrects what the database knows, ranks the
choices and gets a receipt; the school of the first choice verifies. Bad input changes nothing and is said
in Vietnamese, on the field to fix."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.uploads import UploadRefused, check_upload
from giaoducso.directory.models import Student, StudentStatus
from rules.identifiers import check_personal_id, decode_personal_id, errors_only
from rules.students import age_plausible, normalise_phone
from rules.text import normalise_name

from ..models import (
    Application,
    ApplicationStatus,
    AreaRule,
    Campaign,
    CampaignState,
    Choice,
    Correction,
    CorrectionStatus,
    Proof,
)
from .campaigns import is_system, window_problem

Errors = dict[str, list[str]]

# What a parent may ask to correct, with a proof; the school decides.
CORRECTABLE: dict[str, Any] = {
    "full_name": gettext_lazy("Họ và tên"),
    "address": gettext_lazy("Nơi cư trú hiện tại"),
    "ward": gettext_lazy("Phường/xã cư trú (mã)"),
}
PROOF_KINDS = frozenset({"pdf", "png", "jpeg"})
PROOF_MAX_BYTES = 5 * 1024 * 1024
# Codes are read aloud and typed from paper: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class ApplicantFacts:
    """What is known of the child once identified: from the shared database when it has a record."""

    personal_id: str
    date_of_birth: dt.date
    sex: str
    full_name: str = ""
    student_id: int | None = None
    previous_school_id: int | None = None
    previous_school_name: str = ""
    completed_previous_level: bool = False
    address: str = ""
    ward_id: int | None = None
    ward_name: str = ""

    @property
    def from_database(self) -> bool:
        return self.student_id is not None

    def as_session(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["date_of_birth"] = self.date_of_birth.isoformat()
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> ApplicantFacts:
        values = dict(data)
        values["date_of_birth"] = dt.date.fromisoformat(values["date_of_birth"])
        return cls(**values)


def _school_year_start(campaign: Campaign) -> int:
    return int(campaign.school_year[:4])


def applicant_identify(
    *, campaign: Campaign, personal_id: str, date_of_birth: dt.date | None, today: dt.date | None = None
) -> ApplicantFacts:
    """The child by identifier and date of birth, with what the database knows; ValidationError otherwise."""
    problem = window_problem(campaign, today)
    if problem:
        raise ValidationError(problem, code="closed")
    personal_id = "".join((personal_id or "").split())
    errors: Errors = {}
    if date_of_birth is None:
        errors["date_of_birth"] = [_("Hãy nhập ngày sinh dạng dd/mm/yyyy.")]
        raise ValidationError(errors)
    for found in errors_only(check_personal_id(personal_id, birth_year=date_of_birth.year)):
        errors.setdefault(found.field, []).append(found.message)
    if errors:
        raise ValidationError(errors)
    if date_of_birth > (today or timezone.localdate()) or not age_plausible(
        date_of_birth, campaign.entry_grade, _school_year_start(campaign)
    ):
        raise ValidationError(
            {
                "date_of_birth": [
                    _("Ngày sinh %(day)s không phù hợp độ tuổi vào %(grade)s năm học %(year)s.")
                    % {
                        "day": f"{date_of_birth:%d/%m/%Y}",
                        "grade": campaign.get_entry_grade_display(),
                        "year": campaign.school_year,
                    }
                ]
            }
        )
    sex = decode_personal_id(personal_id).sex.value
    student = (
        Student.objects.filter(personal_id=personal_id)
        .select_related("school", "current_class", "ward")
        .first()
    )
    if student is None:
        return ApplicantFacts(personal_id=personal_id, date_of_birth=date_of_birth, sex=sex)
    if student.date_of_birth != date_of_birth:
        raise ValidationError(
            {
                "date_of_birth": [
                    _(
                        "Ngày sinh không khớp với số định danh này trong cơ sở dữ liệu ngành. Hãy kiểm tra lại."
                    )
                ]
            },
            code="mismatch",
        )
    completed = student.status == StudentStatus.GRADUATED or (
        student.current_class is not None and student.current_class.grade == campaign.entry_grade - 1
    )
    return ApplicantFacts(
        personal_id=personal_id,
        date_of_birth=date_of_birth,
        sex=student.sex,
        full_name=student.full_name,
        student_id=student.pk,
        previous_school_id=student.school_id,
        previous_school_name=student.school.name,
        completed_previous_level=completed,
        address=student.address,
        ward_id=student.ward_id,
        ward_name=student.ward.name if student.ward else "",
    )


def _new_code(campaign: Campaign) -> str:
    prefix = {0: "MN", 1: "L1", 6: "L6"}.get(campaign.entry_grade, "TS")
    while True:
        body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if not Application.objects.filter(code=code).exists():
            return code


def choice_units(campaign: Campaign, raw: list[Any], errors: Errors) -> list[Unit]:
    """The ranked schools, each one of the campaign's; blanks after the first are ignored."""
    offered = {str(row.school_id): row.school for row in campaign.schools.select_related("school")}
    chosen: list[Unit] = []
    for rank, value in enumerate(raw, start=1):
        value = str(value or "").strip()
        if not value:
            continue
        school = offered.get(value)
        if school is None:
            errors.setdefault("choices", []).append(
                _("Nguyện vọng %(rank)s không phải trường của kì tuyển sinh này.") % {"rank": rank}
            )
        elif school in chosen:
            errors.setdefault("choices", []).append(
                _("Trường %(name)s được chọn hai lần.") % {"name": school.name}
            )
        else:
            chosen.append(school)
    if not chosen and "choices" not in errors:
        errors["choices"] = [_("Hãy chọn ít nhất một trường.")]
    if len(chosen) > campaign.choices_allowed:
        errors.setdefault("choices", []).append(
            _("Kì tuyển sinh này cho đăng kí tối đa %(n)s nguyện vọng.") % {"n": campaign.choices_allowed}
        )
    return chosen


def _coordinate(errors: Errors, name: str, value: Any, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors.setdefault(name, []).append(_("Toạ độ nơi ở không hợp lệ."))
        return None
    return number


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    campaign: Campaign,
    facts: ApplicantFacts,
    choices: list[Any],
    address: str,
    ward: Unit | None,
    guardian_name: str,
    guardian_phone: str,
    data_confirmed: bool,
    full_name: str = "",
    latitude: Any = None,
    longitude: Any = None,
    local_priority: str = "",
    correction: dict[str, str] | None = None,
    proof: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Application:
    problem = window_problem(campaign, today)
    if problem:
        raise ValidationError(problem, code="closed")
    errors: Errors = {}
    schools = choice_units(campaign, choices, errors)
    name = normalise_name(facts.full_name or full_name or "")
    if not name or len(name) > 255:
        errors["full_name"] = [_("Hãy nhập họ và tên của trẻ (tối đa 255 ký tự).")]
    address = (address or "").strip()
    if not address or len(address) > 255:
        errors["address"] = [_("Hãy nhập nơi cư trú hiện tại (tối đa 255 ký tự).")]
    if ward is not None and ward.kind != UnitKind.WARD:
        errors["ward"] = [_("Hãy chọn một phường/xã trong danh mục.")]
    if campaign.area_rule == AreaRule.WARD and ward is None:
        errors["ward"] = [_("Hãy chọn phường/xã nơi trẻ cư trú.")]
    lat = _coordinate(errors, "latitude", latitude, -90, 90)
    lon = _coordinate(errors, "longitude", longitude, -180, 180)
    if campaign.area_rule == AreaRule.DISTANCE and (lat is None or lon is None) and "latitude" not in errors:
        errors["latitude"] = [_("Xét theo khoảng cách cần toạ độ nơi ở (vĩ độ, kinh độ).")]
    guardian_name = normalise_name(guardian_name or "")
    if not guardian_name or len(guardian_name) > 255:
        errors["guardian_name"] = [_("Hãy nhập họ tên cha mẹ hoặc người giám hộ.")]
    phone = normalise_phone(guardian_phone or "")
    if phone is None:
        errors["guardian_phone"] = [_("Số điện thoại không hợp lệ (ví dụ 0901234567).")]
    if len(local_priority or "") > 255:
        errors["local_priority"] = [_("Diện ưu tiên ghi tối đa 255 ký tự.")]
    wants_correction = bool(correction and (correction.get("field") or correction.get("value")))
    checked = None
    if wants_correction:
        assert correction is not None
        if correction.get("field") not in CORRECTABLE:
            errors["correction_field"] = [_("Hãy chọn thông tin cần sửa.")]
        value = (correction.get("value") or "").strip()
        if not value or len(value) > 255:
            errors["correction_value"] = [_("Hãy ghi thông tin đúng (tối đa 255 ký tự).")]
        if len(correction.get("note") or "") > 500:
            errors["correction_note"] = [_("Ghi chú tối đa 500 ký tự.")]
        if proof is None:
            errors["proof"] = [_("Đề nghị sửa thông tin cần kèm minh chứng (ảnh hoặc PDF).")]
        else:
            try:
                checked = check_upload(proof, kinds=PROOF_KINDS, max_bytes=PROOF_MAX_BYTES)
            except UploadRefused as refused:
                errors["proof"] = list(refused.messages)
    elif not data_confirmed:
        errors["data_confirmed"] = [
            _("Hãy xác nhận thông tin của trẻ là đúng, hoặc gửi đề nghị sửa kèm minh chứng.")
        ]
    if Application.objects.filter(campaign=campaign, personal_id=facts.personal_id).exists():
        errors.setdefault("__all__", []).append(_("Trẻ này đã có hồ sơ trong kì tuyển sinh."))
    if errors:
        raise ValidationError(errors)
    application = Application(
        campaign=campaign,
        code=_new_code(campaign),
        school=schools[0],
        personal_id=facts.personal_id,
        date_of_birth=facts.date_of_birth,
        full_name=name,
        sex=facts.sex,
        student_id=facts.student_id,
        previous_school_id=facts.previous_school_id,
        completed_previous_level=facts.completed_previous_level,
        address=address,
        ward=ward,
        latitude=lat,
        longitude=lon,
        local_priority=(local_priority or "").strip(),
        guardian_name=guardian_name,
        guardian_phone=phone or "",
        data_confirmed=bool(data_confirmed) and not wants_correction,
        anonymous_id="A" + secrets.token_hex(8),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second tab that won the race
        raise ValidationError(_("Trẻ này đã có hồ sơ trong kì tuyển sinh.")) from exc
    audit.record_create(actor=actor, obj=application)
    for rank, school in enumerate(schools, start=1):
        audit.record_create(
            actor=actor, obj=Choice.objects.create(application=application, rank=rank, school=school)
        )
    if wants_correction and correction is not None and proof is not None and checked is not None:
        row = Correction.objects.create(
            application=application,
            field=correction["field"],
            value=correction["value"].strip(),
            note=(correction.get("note") or "").strip(),
        )
        audit.record_create(actor=actor, obj=row)
        stored = Proof.from_checked(checked, proof, correction=row)
        stored.save()
        audit.record_create(actor=actor, obj=stored)
    return application


# --- the school's verification queue ------------------------------------------------------------------


def check_may_verify(actor: Actor, application: Application) -> None:
    if is_system(actor):
        return
    if not has_perm(actor, Perm.VERIFY_ADMISSIONS, application.school):
        raise PermissionDenied(_("Chỉ trường xác minh hồ sơ này mới được duyệt."))


def _check_still_open(application: Application) -> None:
    if application.campaign.state not in (CampaignState.OPEN,):
        raise ValidationError(_("Kì tuyển sinh đã phân tuyến: không xác minh lại được hồ sơ."))


@transaction.atomic
def application_verify(
    *, actor: Actor, application: Application, local_priority_verified: bool = False
) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "school")
        .get(pk=application.pk)
    )
    check_may_verify(actor, application)
    _check_still_open(application)
    if application.corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise ValidationError(_("Hãy xử lí đề nghị sửa thông tin trước khi xác minh hồ sơ."))
    before = audit.snapshot(application, ("status", "refusal_reason", "local_priority_verified"))
    application.status = ApplicationStatus.VERIFIED
    application.refusal_reason = ""
    application.local_priority_verified = bool(local_priority_verified and application.local_priority)
    application.save()
    audit.record_update(actor=actor, obj=application, before=before)
    return application


@transaction.atomic
def application_refuse(*, actor: Actor, application: Application, reason: str) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "school")
        .get(pk=application.pk)
    )
    check_may_verify(actor, application)
    _check_still_open(application)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationError({"reason": [_("Hãy ghi lí do từ chối (tối đa 500 ký tự).")]})
    before = audit.snapshot(application, ("status", "refusal_reason"))
    application.status = ApplicationStatus.REFUSED
    application.refusal_reason = reason
    application.save()
    audit.record_update(actor=actor, obj=application, before=before)
    return application


@transaction.atomic
def correction_decide(*, actor: Actor, correction: Correction, accept: bool, reason: str = "") -> Correction:
    correction = (
        Correction.objects.select_for_update(of=("self",))
        .select_related("application__campaign", "application__school")
        .get(pk=correction.pk)
    )
    application = correction.application
    check_may_verify(actor, application)
    _check_still_open(application)
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(_("Đề nghị này đã được xử lí."))
    reason = (reason or "").strip()
    if not accept and (not reason or len(reason) > 500):
        raise ValidationError({"reason": [_("Hãy ghi lí do từ chối (tối đa 500 ký tự).")]})
    if accept:
        before = audit.snapshot(application, ("full_name", "address", "ward"))
        if correction.field == "ward":
            ward = Unit.objects.filter(kind=UnitKind.WARD, code=correction.value.strip()).first()
            if ward is None:
                raise ValidationError(
                    {
                        "reason": [
                            _("Không có phường/xã mã «%(code)s»; hãy từ chối với lí do.")
                            % {"code": correction.value}
                        ]
                    }
                )
            application.ward = ward
        elif correction.field == "full_name":
            application.full_name = normalise_name(correction.value)
        elif correction.field == "address":
            application.address = correction.value.strip()
        application.save()
        audit.record_update(
            actor=actor, obj=application, before=before, note=f"Sửa theo đề nghị #{correction.pk}"
        )
    before = audit.snapshot(correction, ("status", "reason", "decided_by", "decided_at"))
    correction.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
    correction.reason = reason if not accept else ""
    correction.decided_by = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[assignment]
    correction.decided_at = timezone.now()
    correction.save()
    audit.record_update(actor=actor, obj=correction, before=before)
    return correction
