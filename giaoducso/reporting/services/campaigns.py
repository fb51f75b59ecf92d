"""Campaigns and submissions: send a form to schools, save and submit answers, review, grant exceptions.

The deadline lock is decided once, here (`submission_lock_reason`), and every write path asks it: the
screens, the API and any command. A day is the department's local day (Asia/Ho_Chi_Minh): the deadline day
itself is still open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit, UnitKind
from giaoducso.core.uploads import check_upload
from rules.report_forms import FormSchema, clean_answers, parse_schema

from ..messages import refusal
from ..models import (
    Campaign,
    CampaignKind,
    ReportForm,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from .forms import latest_version, version_freeze

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SCORE = Decimal("100")


def schema_of(campaign: Campaign) -> FormSchema:
    parsed, _problems = parse_schema(campaign.version.schema)
    if parsed is None:  # a frozen version was checked when it was frozen
        raise ValidationError(_("Biểu mẫu của đợt báo cáo bị lỗi; liên hệ phòng/sở."))
    return parsed


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    owner: Unit,
    form: ReportForm,
    title: str,
    opens_on: dt.date,
    deadline: dt.date,
    schools: Iterable[Unit],
    kind: str = CampaignKind.GENERAL,
) -> Campaign:
    """Sends the form's latest version (frozen from now on) to `schools`, one submission row each."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Cần nhập tên đợt báo cáo.")
    if deadline < opens_on:
        errors["deadline"] = _("Hạn nộp phải từ ngày mở trở đi.")
    if form.owner_id != owner.pk and not owner.path.startswith(form.owner.path):
        errors["form"] = _("Biểu mẫu không thuộc đơn vị này.")
    targets = {s.pk: s for s in schools}
    if not targets:
        errors["schools"] = _("Cần chọn ít nhất một trường nhận báo cáo.")
    outside = [
        s.name for s in targets.values() if s.kind != UnitKind.SCHOOL or not s.path.startswith(owner.path)
    ]
    if outside:
        errors["schools"] = _(
            "Không gửi được cho đơn vị ngoài phạm vi hoặc không phải trường: %(names)s."
        ) % {"names": ", ".join(sorted(outside)[:5])}
    if kind not in CampaignKind.values:
        errors["kind"] = _("Loại đợt báo cáo không hợp lệ.")
    version = latest_version(form)
    parsed, _problems = parse_schema(version.schema)
    if parsed is None or not parsed.fields():
        errors["form"] = _("Biểu mẫu chưa có chỉ tiêu nào: hãy thêm chỉ tiêu trước khi gửi.")
    if errors:
        raise ValidationError(errors)
    version_freeze(version)
    campaign = Campaign(
        owner=owner, version=version, title=title[:255], kind=kind, opens_on=opens_on, deadline=deadline
    )
    if actor is not None and getattr(actor, "is_authenticated", False):
        campaign.created_by = actor  # type: ignore[assignment]
    campaign.save()
    Submission.objects.bulk_create([Submission(campaign=campaign, school=s) for s in targets.values()])
    audit.record_create(actor=actor, obj=campaign, note=f"{len(targets)} schools, version {version.number}")
    return campaign


def submission_lock_reason(submission: Submission, today: dt.date | None = None) -> str:
    """Why the school cannot write now ("" when it can)."""
    today = today or timezone.localdate()
    campaign = submission.campaign
    if submission.status == SubmissionStatus.ACCEPTED:
        return _("Báo cáo đã được duyệt, không sửa được nữa.")
    if submission.status == SubmissionStatus.SUBMITTED:
        return _("Báo cáo đã nộp; chỉ sửa được khi phòng/sở trả lại.")
    if today < campaign.opens_on:
        return _("Đợt báo cáo mở từ ngày %(day)s.") % {"day": campaign.opens_on.strftime("%d/%m/%Y")}
    # A report the department returned for correction may be corrected after the deadline: it asked for it.
    late_ok = submission.status == SubmissionStatus.RETURNED or (
        submission.extended_until is not None and today <= submission.extended_until
    )
    if today > campaign.deadline and not late_ok:
        return _("Đã quá hạn nộp (%(day)s). Trường cần được phòng/sở cho phép nộp muộn.") % {
            "day": campaign.deadline.strftime("%d/%m/%Y")
        }
    return ""


def _file_fields(schema: FormSchema) -> dict[str, tuple[str, ...]]:
    return {f.key: f.kinds for f in schema.fields() if f.type == "file"}


@transaction.atomic
def submission_save(
    *,
    actor: Actor,
    submission: Submission,
    answers: Mapping[str, Any],
    files: Mapping[str, UploadedFile] | None = None,
    submit: bool,
    today: dt.date | None = None,
) -> Submission:
    """Saves the school's answers as a draft, or submits them (every required field then). Nothing
    changes when anything is refused: the lock, a file, any answer."""
    submission = (
        Submission.objects.select_for_update().select_related("campaign__version").get(pk=submission.pk)
    )
    reason = submission_lock_reason(submission, today)
    if reason:
        raise ValidationError(reason, code="locked")
    schema = schema_of(submission.campaign)
    file_kinds = _file_fields(schema)
    raw = dict(answers)
    # A file answer the school does not send again keeps the file it gave before.
    for key in file_kinds:
        if key not in raw and key in submission.answers:
            raw[key] = submission.answers[key]
    checked = {}
    problems: dict[str, list[ValidationError]] = {}
    for key, upload in (files or {}).items():
        if key not in file_kinds:
            continue
        try:
            checked[key] = check_upload(upload, kinds=set(file_kinds[key]), max_bytes=MAX_FILE_BYTES)
        except ValidationError as error:
            label = schema.field(key).label  # type: ignore[union-attr]
            problems[key] = [ValidationError(f"«{label}»: {m}", code=error.code) for m in error.messages]
            continue
        raw[key] = {"id": 0, "name": checked[key].name}  # the real id once stored, below
    cleaned, rule_problems = clean_answers(schema, raw, complete=submit)
    if rule_problems or problems:
        error = refusal(rule_problems)
        merged = {**error.error_dict, **problems} if hasattr(error, "error_dict") else problems
        raise ValidationError(merged)
    for key, check in checked.items():
        stored = SubmissionFile.from_checked(check, files[key], submission=submission, field_key=key)  # type: ignore[index]
        stored.save()
        cleaned[key] = {"id": stored.pk, "name": stored.name}
    before = submission.answers
    day = today or timezone.localdate()
    submission.answers = cleaned
    if submit:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.late = day > submission.campaign.deadline
    else:
        submission.status = SubmissionStatus.DRAFT
    submission.save()
    changed = sorted(k for k in set(before) | set(cleaned) if before.get(k) != cleaned.get(k))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.school,
        changes={"status": submission.status, "answers_changed": changed[:100], "late": submission.late},
        note="submitted" if submit else "draft saved",
    )
    return submission


@transaction.atomic
def submission_review(
    *, actor: Actor, submission: Submission, accept: bool, comment: str = "", score: Any = None
) -> Submission:
    """The department accepts a submitted report, or returns it with comments (the school edits again)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Chỉ duyệt hoặc trả lại được báo cáo trường đã nộp."), code="not_submitted")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Khi trả lại cần ghi nhận xét để trường biết cần sửa gì.")})
    value: Decimal | None = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).replace(",", "."))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not Decimal(0) <= value <= MAX_SCORE:
            raise ValidationError({"score": _("Điểm đánh giá phải là số từ 0 đến 100.")})
        value = value.quantize(Decimal("0.01"))
    before = audit.snapshot(submission, ["status", "review_comment", "score"])
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.review_comment = comment
    submission.score = value if value is not None else submission.score
    if actor is not None and getattr(actor, "is_authenticated", False):
        submission.reviewed_by = actor  # type: ignore[assignment]
    submission.reviewed_at = timezone.now()
    submission.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.school,
        changes=audit.diff(before, audit.snapshot(submission, ["status", "review_comment", "score"])),
        note="accepted" if accept else "returned",
    )
    return submission


@transaction.atomic
def submission_grant_exception(
    *, actor: Actor, submission: Submission, until: dt.date | None, today: dt.date | None = None
) -> Submission:
    """Lets one school write after the deadline until `until` (None takes the exception back)."""
    today = today or timezone.localdate()
    if until is not None and until < today:
        raise ValidationError({"until": _("Ngày gia hạn phải từ hôm nay trở đi.")})
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    before = submission.extended_until
    submission.extended_until = until
    submission.save(update_fields=["extended_until", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.school,
        changes={"extended_until": [audit._jsonable(before), audit._jsonable(until)]},
        note="deadline exception",
    )
    return submission
