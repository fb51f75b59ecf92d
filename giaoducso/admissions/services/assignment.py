"""The assignment run, publication, confirmation and enrolment into the shared database.

The run builds each applicant's ranked list and priority group at each listed school from the campaign's
data, writes them as the published anonymised document (rules.admission_run.run_document) and assigns with
`rules.admission_run.rerun` on that very document: what is published is exactly what was run, so the same
document and seed give the same result anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, AuditEntry, Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory import services as directory_services
from giaoducso.directory.models import Student
from giaoducso.directory.transfers import TransferError, transfer_request
from rules.admission import with_fallback
from rules.admission_run import distance_km, document_bytes, mask_name, rerun, result_digest, run_document

from .. import lookup
from ..models import (
    Application,
    ApplicationStatus,
    AreaRule,
    AssignmentRun,
    Campaign,
    CampaignKind,
    CampaignSchool,
    CampaignState,
    Correction,
    CorrectionStatus,
    GroupRule,
    PublishedResult,
    UnconfirmedPolicy,
)
from .campaigns import check_may_manage, is_system

# Days a family has to confirm a seat offered on after the deadline released others.
OFFER_DAYS = 3
IN_RUN = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.VERIFIED,
    ApplicationStatus.ASSIGNED,
    ApplicationStatus.UNASSIGNED,
)
HOLDING = (ApplicationStatus.ASSIGNED, ApplicationStatus.CONFIRMED, ApplicationStatus.ENROLLED)


def in_area(application: Application, row: CampaignSchool, campaign: Campaign) -> bool:
    if campaign.area_rule == AreaRule.WARD:
        return application.ward is not None and application.ward.code in (row.wards or [])
    if (
        None in (application.latitude, application.longitude, row.latitude, row.longitude)
        or not campaign.radius_km
    ):
        return False
    return distance_km(application.latitude, application.longitude, row.latitude, row.longitude) <= float(  # type: ignore[arg-type]
        campaign.radius_km
    )


def group_of(application: Application, row: CampaignSchool, campaign: Campaign) -> int | None:
    """The first of the campaign's groups (1 = highest) whose condition the applicant meets at the school."""
    for index, group in enumerate(campaign.groups, start=1):
        rule = group.get("rule")
        if rule == GroupRule.ANY:
            return index
        if rule == GroupRule.IN_AREA and in_area(application, row, campaign):
            return index
        completed = campaign.entry_grade != 6 or application.completed_previous_level
        if rule == GroupRule.IN_AREA_COMPLETED and completed and in_area(application, row, campaign):
            return index
        if rule == GroupRule.LOCAL_PRIORITY and application.local_priority_verified:
            return index
    return None


def _nearest(application: Application, rows: list[CampaignSchool]) -> list[str]:
    """The campaign's schools nearest first (those without coordinates last, by name)."""

    def distance(row: CampaignSchool) -> tuple[float, str]:
        if None in (application.latitude, application.longitude, row.latitude, row.longitude):
            return (float("inf"), row.school.name)
        return (
            distance_km(application.latitude, application.longitude, row.latitude, row.longitude),
            row.school.name,
        )  # type: ignore[arg-type]

    return [row.school.code for row in sorted(rows, key=distance)]


def build_document(
    campaign: Campaign, applications: list[Application], capacity: dict[str, int], seed: str
) -> dict[str, Any]:
    rows = list(campaign.schools.select_related("school"))
    by_code = {row.school.code: row for row in rows}
    preferences: dict[str, list[str]] = {}
    for application in applications:
        preferences[application.anonymous_id] = [
            c.school.code
            for c in sorted(application.choices.all(), key=lambda c: c.rank)
            if c.school.code in by_code
        ]
    if campaign.residence_only:
        nearest = {a.anonymous_id: _nearest(a, rows) for a in applications}
        preferences = with_fallback(preferences, nearest)
    groups: dict[str, dict[str, int]] = {}
    for application in applications:
        mine: dict[str, int] = {}
        for code in preferences[application.anonymous_id]:
            group = group_of(application, by_code[code], campaign)
            if group is not None:
                mine[code] = group
        groups[application.anonymous_id] = mine
    return run_document(
        campaign=f"{campaign.pk}", seed=seed, capacity=capacity, preferences=preferences, groups=groups
    )


def _applications(campaign: Campaign, statuses: Iterable[str]) -> list[Application]:
    return list(
        Application.objects.filter(campaign=campaign, status__in=list(statuses))
        .select_related("ward", "school")
        .prefetch_related("choices__school")
        .order_by("pk")
    )


def _placed_by_special(campaign: Campaign) -> set[str]:
    """Identifiers of children holding a seat in a special programme tied to this general campaign."""
    return set(
        Application.objects.filter(
            campaign__general_campaign=campaign, campaign__kind=CampaignKind.SPECIAL, status__in=HOLDING
        ).values_list("personal_id", flat=True)
    )


def _audit_lines(actor: Actor, changed: list[tuple[Application, dict[str, Any]]], note: str) -> None:
    lines = [
        audit.entry(actor=actor, action=AuditAction.UPDATE, obj=a, unit=a.school, changes=changes, note=note)
        for a, changes in changed
    ]
    AuditEntry.objects.bulk_create(lines, batch_size=2000)


def _apply(
    actor: Actor,
    applications: list[Application],
    result: dict[str, str | None],
    units: dict[str, Unit],
    note: str,
    confirm_by: dt.date | None = None,
) -> dict[str, int]:
    changed = []
    counts = {"assigned": 0, "unassigned": 0}
    for application in applications:
        code = result.get(application.anonymous_id)
        before = (application.status, application.assigned_school_id, application.assigned_rank)
        if code is None:
            application.status, application.assigned_school, application.assigned_rank = (
                ApplicationStatus.UNASSIGNED,
                None,
                None,
            )
            counts["unassigned"] += 1
        else:
            ranks = {c.school.code: c.rank for c in application.choices.all()}
            application.status = ApplicationStatus.ASSIGNED
            application.assigned_school = units[code]
            application.assigned_rank = ranks.get(code)  # None: placed by the fallback to the nearest school
            application.confirm_by = confirm_by
            counts["assigned"] += 1
        after = (application.status, application.assigned_school_id, application.assigned_rank)
        if before != after:
            changes = {
                name: [old, new]
                for name, old, new in zip(
                    ("status", "assigned_school", "assigned_rank"), before, after, strict=True
                )
                if old != new
            }
            changed.append((application, changes))
    Application.objects.bulk_update(
        applications, ["status", "assigned_school", "assigned_rank", "confirm_by"], batch_size=2000
    )
    _audit_lines(actor, changed, note)
    return counts


@transaction.atomic
def assignment_run(
    *,
    actor: Actor,
    campaign: Campaign,
    seed: str = "",
    today: dt.date | None = None,
    progress: Callable[[float, str], Any] | None = None,
) -> AssignmentRun:
    """Assigns every application not refused. The seed is the campaign's once set (published before the
    run, or drawn here); running again before publication gives the same result."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_may_manage(actor, campaign.unit)
    today = today or timezone.localdate()
    if campaign.state not in (CampaignState.OPEN, CampaignState.ASSIGNED):
        raise ValidationError(
            _("Chỉ phân tuyến kì tuyển sinh đang nhận hồ sơ hoặc đã phân tuyến, chưa công bố.")
        )
    if today <= campaign.apply_end:
        raise ValidationError(
            _("Chỉ phân tuyến sau khi hết hạn nhận hồ sơ (%(day)s).")
            % {"day": f"{campaign.apply_end:%d/%m/%Y}"}
        )
    seed = (seed or "").strip()
    if campaign.seed and seed and seed != campaign.seed:
        raise ValidationError(
            {"seed": [_("Hạt giống đã công bố là %(seed)s; không đổi được.") % {"seed": campaign.seed}]}
        )
    if len(seed) > 64:
        raise ValidationError({"seed": [_("Hạt giống tối đa 64 ký tự.")]})
    before = audit.snapshot(campaign, ("state", "seed", "assigned_at"))
    campaign.seed = campaign.seed or seed or secrets.token_hex(8)
    applications = _applications(campaign, IN_RUN)
    _lapse_pending_corrections(actor, applications)
    if campaign.kind == CampaignKind.GENERAL:
        elsewhere = _placed_by_special(campaign)
        placed = [a for a in applications if a.personal_id in elsewhere]
        applications = [a for a in applications if a.personal_id not in elsewhere]
        for a in placed:
            a.status, a.assigned_school, a.assigned_rank = ApplicationStatus.UNASSIGNED, None, None
            a.refusal_reason = _("Đã trúng tuyển chương trình/trường đặc thù.")
        Application.objects.bulk_update(
            placed, ["status", "assigned_school", "assigned_rank", "refusal_reason"]
        )
    rows = list(campaign.schools.select_related("school"))
    capacity = {row.school.code: row.seats for row in rows}
    units = {row.school.code: row.school for row in rows}
    report = progress or (lambda percent, message="": None)
    report(20, _("Đang lập dữ liệu phân tuyến (%(n)s hồ sơ)…") % {"n": len(applications)})
    document = build_document(campaign, applications, capacity, campaign.seed)
    report(50, _("Đang phân tuyến…"))
    result = rerun(document)
    report(70, _("Đang ghi kết quả…"))
    counts = _apply(actor, applications, result, units, _("Phân tuyến kì %(name)s") % {"name": campaign.name})
    raw = document_bytes(document)
    run = AssignmentRun.objects.create(
        campaign=campaign,
        seed=campaign.seed,
        inputs=raw.decode(),
        inputs_sha256=hashlib.sha256(raw).hexdigest(),
        result_sha256=result_digest(result),
        counts=counts,
        ran_by=actor if getattr(actor, "is_authenticated", False) else None,  # type: ignore[misc]
    )
    if campaign.kind == CampaignKind.SPECIAL and campaign.general_campaign_id:
        _release_general_seats(actor, campaign, applications)
    campaign.state = CampaignState.ASSIGNED
    campaign.assigned_at = timezone.now()
    campaign.save(update_fields=["state", "seed", "assigned_at", "updated_at"])
    audit.record_update(actor=actor, obj=campaign, before=before, note=f"{counts}")
    return run


def _lapse_pending_corrections(actor: Actor, applications: list[Application]) -> None:
    """Corrections still waiting for the school when the run starts lapse: the run uses each record as it
    stands (the rules: data not confirmed by the review deadline is used as it is), and the family and the
    school see why the correction was not applied."""
    schools = {a.pk: a.school for a in applications}
    pending = list(
        Correction.objects.filter(application__in=list(schools), status=CorrectionStatus.PENDING).order_by(
            "pk"
        )
    )
    if not pending:
        return
    now = timezone.now()
    reason = _("Chưa được xác minh trước khi phân tuyến: hồ sơ được xét với dữ liệu như hiện có.")
    for correction in pending:
        correction.status, correction.reason, correction.decided_at = CorrectionStatus.LAPSED, reason, now
    Correction.objects.bulk_update(pending, ["status", "reason", "decided_at"])
    AuditEntry.objects.bulk_create(
        [
            audit.entry(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=c,
                unit=schools[c.application_id],
                changes={"status": [CorrectionStatus.PENDING, CorrectionStatus.LAPSED]},
                note=reason,
            )
            for c in pending
        ]
    )


def _release_general_seats(actor: Actor, campaign: Campaign, applications: list[Application]) -> None:
    """A special programme that assigns after the general campaign frees the general seats it takes."""
    admitted = [a.personal_id for a in applications if a.status == ApplicationStatus.ASSIGNED]
    freed = list(
        Application.objects.filter(
            campaign_id=campaign.general_campaign_id,
            personal_id__in=admitted,
            status=ApplicationStatus.ASSIGNED,
        )
    )
    for a in freed:
        a.status = ApplicationStatus.RELEASED
        a.refusal_reason = _("Đã trúng tuyển %(name)s.") % {"name": campaign.name}
    Application.objects.bulk_update(freed, ["status", "refusal_reason"])
    _audit_lines(actor, [(a, {"status": ["assigned", "released"]}) for a in freed], campaign.name)


def inputs_document(run: AssignmentRun) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(run.inputs)
    return document


# --- publication -----------------------------------------------------------------------------------


def answer_for(application: Application, campaign: Campaign) -> dict[str, Any]:
    """What the public lookup tells a family: masked name, year of birth, status and school."""
    school = application.assigned_school
    return {
        "found": True,
        "code": application.code,
        "name": mask_name(application.full_name),
        "birth_year": application.date_of_birth.year,
        "campaign": campaign.name,
        "status": application.status,
        "status_label": str(ApplicationStatus(application.status).label),
        "school": school.name if school else None,
        "school_code": school.code if school else None,
        "rank": application.assigned_rank,
        "confirm_by": f"{application.confirm_by:%d/%m/%Y}" if application.confirm_by else None,
        "anonymous_id": application.anonymous_id,
    }


def _answer_text(application: Application, campaign: Campaign) -> str:
    return json.dumps(answer_for(application, campaign), ensure_ascii=False, separators=(",", ":"))


def published_rows(campaign: Campaign, applications: Iterable[Application]) -> list[PublishedResult]:
    return [
        PublishedResult(
            key=lookup.result_key(a.code, a.date_of_birth),
            campaign_id=campaign.pk,
            application_id=a.pk,
            answer=_answer_text(a, campaign),
        )
        for a in applications
    ]


def result_refresh(application: Application) -> None:
    """The published answer after a change (confirmation, release, a seat offered on)."""
    campaign = application.campaign
    if campaign.state not in (CampaignState.PUBLISHED, CampaignState.CLOSED):
        return
    key = lookup.result_key(application.code, application.date_of_birth)
    PublishedResult.objects.update_or_create(
        application_id=application.pk,
        defaults={"key": key, "campaign_id": campaign.pk, "answer": _answer_text(application, campaign)},
    )
    lookup.CACHE.forget(key)


@transaction.atomic
def campaign_publish(
    *, actor: Actor, campaign: Campaign, progress: Callable[[float, str], Any] | None = None
) -> int:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_may_manage(actor, campaign.unit)
    if campaign.state != CampaignState.ASSIGNED:
        raise ValidationError(_("Chỉ công bố kết quả của kì tuyển sinh đã phân tuyến."))
    Application.objects.filter(campaign=campaign, status=ApplicationStatus.ASSIGNED).update(
        confirm_by=campaign.confirm_deadline
    )
    before = audit.snapshot(campaign, ("state", "published_at"))
    campaign.state = CampaignState.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["state", "published_at", "updated_at"])
    PublishedResult.objects.filter(campaign_id=campaign.pk).delete()
    applications = (
        Application.objects.filter(campaign=campaign)
        .select_related("assigned_school")
        .iterator(chunk_size=5000)
    )
    total = 0
    batch: list[Application] = []
    for application in applications:
        batch.append(application)
        if len(batch) == 5000:
            PublishedResult.objects.bulk_create(published_rows(campaign, batch))
            total += len(batch)
            batch = []
            if progress is not None:
                progress(min(95, 5 + total // 2500), _("Đã công bố %(n)s kết quả…") % {"n": total})
    PublishedResult.objects.bulk_create(published_rows(campaign, batch))
    total += len(batch)
    audit.record_update(actor=actor, obj=campaign, before=before, note=f"{total} kết quả")
    lookup.CACHE.clear()
    return total


# --- confirmation ----------------------------------------------------------------------------------


def confirm_problem(application: Application, today: dt.date) -> str | None:
    if application.campaign.state != CampaignState.PUBLISHED:
        return _("Kết quả của kì tuyển sinh này chưa được công bố.")
    if application.status == ApplicationStatus.CONFIRMED:
        return _("Hồ sơ này đã xác nhận nhập học.")
    if application.status != ApplicationStatus.ASSIGNED:
        return _("Hồ sơ này không có chỗ học để xác nhận.")
    if application.confirm_by is None or today > application.confirm_by:
        return _("Đã quá hạn xác nhận nhập học.")
    return None


@transaction.atomic
def application_confirm(
    *, actor: Actor, application: Application, today: dt.date | None = None
) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "assigned_school")
        .get(pk=application.pk)
    )
    problem = confirm_problem(application, today or timezone.localdate())
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(application, ("status", "confirmed_at"))
    application.status = ApplicationStatus.CONFIRMED
    application.confirmed_at = timezone.now()
    application.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit.record_update(actor=actor, obj=application, before=before)
    result_refresh(application)
    return application


@transaction.atomic
def unconfirmed_release(*, actor: Actor, campaign: Campaign, today: dt.date | None = None) -> dict[str, int]:
    """After the deadline: seats not confirmed are kept or released as the campaign says; released seats
    are offered on by the same rules and seed to the applicants still without a school."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_may_manage(actor, campaign.unit)
    today = today or timezone.localdate()
    if campaign.state != CampaignState.PUBLISHED:
        raise ValidationError(_("Chỉ xử lí chỗ chưa xác nhận sau khi đã công bố kết quả."))
    late = list(
        Application.objects.filter(
            campaign=campaign, status=ApplicationStatus.ASSIGNED, confirm_by__lt=today
        ).select_related("campaign", "assigned_school")
    )
    if campaign.unconfirmed_policy == UnconfirmedPolicy.KEEP:
        return {"released": 0, "offered": 0, "kept": len(late)}
    for a in late:
        a.status = ApplicationStatus.RELEASED
    Application.objects.bulk_update(late, ["status"])
    _audit_lines(actor, [(a, {"status": ["assigned", "released"]}) for a in late], _("Quá hạn xác nhận"))
    rows = list(campaign.schools.select_related("school"))
    held: dict[int, int] = {}
    for school_id in Application.objects.filter(campaign=campaign, status__in=HOLDING).values_list(
        "assigned_school_id", flat=True
    ):
        held[school_id] = held.get(school_id, 0) + 1
    capacity = {row.school.code: max(0, row.seats - held.get(row.school_id, 0)) for row in rows}
    waiting = _applications(campaign, (ApplicationStatus.UNASSIGNED,))
    waiting = [a for a in waiting if not a.refusal_reason]  # not those placed by a special programme
    document = build_document(campaign, waiting, capacity, campaign.seed)
    result = rerun(document)
    offered = [a for a in waiting if result.get(a.anonymous_id)]
    units = {row.school.code: row.school for row in rows}
    _apply(
        actor,
        offered,
        result,
        units,
        _("Xét tiếp chỗ thu hồi"),
        confirm_by=today + dt.timedelta(days=OFFER_DAYS),
    )
    for a in [*late, *offered]:
        a.campaign = campaign
        result_refresh(a)
    return {"released": len(late), "offered": len(offered), "kept": 0}


# --- enrolment into the shared database -------------------------------------------------------------


def check_may_enrol(actor: Actor, school: Unit) -> None:
    if not is_system(actor) and not has_perm(actor, Perm.VERIFY_ADMISSIONS, school):
        raise PermissionDenied(_("Bạn không có quyền nhập học cho trường này."))


def applications_enrol(*, actor: Actor, campaign: Campaign, school: Unit) -> dict[str, Any]:
    """Confirmed applicants of `school` become its students through the directory's services: a new record
    (grade 1, preschool, a child the database did not know), or a transfer request from the school they
    are in (grade 6: the primary school approves it as any transfer). The class is assigned later."""
    check_may_enrol(actor, school)
    done: dict[str, Any] = {"created": 0, "transfers": 0, "problems": []}
    confirmed = Application.objects.filter(
        campaign=campaign, assigned_school=school, status=ApplicationStatus.CONFIRMED
    ).select_related("student__school")
    for application in confirmed:
        try:
            with transaction.atomic():
                student = _enrol_one(actor, application, school)
        except (ValidationError, TransferError) as error:
            done["problems"].append(f"{application.code}: {'; '.join(error.messages)}")
            continue
        before = audit.snapshot(application, ("status", "enrolled_student"))
        application.status = ApplicationStatus.ENROLLED
        application.enrolled_student = student
        application.save(update_fields=["status", "enrolled_student", "updated_at"])
        audit.record_update(actor=actor, obj=application, before=before)
        if student.school_id == school.pk:
            done["created"] += 1
        else:
            done["transfers"] += 1
    return done


def _enrol_one(actor: Actor, application: Application, school: Unit) -> Student:
    existing = application.student
    if existing is None and application.personal_id:
        existing = (
            Student.objects.filter(personal_id=application.personal_id).select_related("school").first()
        )
    if existing is not None:
        if existing.school_id != school.pk:
            transfer_request(
                actor=actor,
                student=existing,
                to_school=school,
                requested_by_school=school,
                reason=_("Trúng tuyển %(campaign)s, hồ sơ %(code)s")
                % {"campaign": application.campaign.name, "code": application.code},
            )
        return existing
    student = directory_services.student_create(
        actor=actor,
        school=school,
        personal_id=application.personal_id,
        full_name=application.full_name,
        date_of_birth=application.date_of_birth,
        sex=application.sex,
        address=application.address,
        ward=application.ward,
    )
    directory_services.guardian_add(
        actor=actor, student=student, full_name=application.guardian_name, phone=application.guardian_phone
    )
    return student
