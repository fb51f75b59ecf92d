"""Checklists (the digital-transformation index, the IT-application model) and the schools' self-assessments:
versions the department edits, what the platform already knows, the school's answers, the review."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.admissions import selectors as admission_selectors
from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit
from giaoducso.directory import selectors as directory_selectors
from giaoducso.directory.models import Equipment, Room, Staff, Student
from giaoducso.portal import selectors as portal_selectors
from giaoducso.records import selectors as records_selectors
from rules import checklists as rules

from ..models import (
    Assessment,
    AssetProfile,
    CameraSystem,
    CampaignKind,
    Checklist,
    ChecklistKind,
    Computer,
    MailDomain,
    Submission,
    SubmissionStatus,
    Website,
)

DEFAULTS = {ChecklistKind.DT_INDEX: rules.DT_INDEX, ChecklistKind.IT_MODEL: rules.IT_MODEL}
EVIDENCE_MAX = 1000


def checklist_for(unit: Unit, kind: str) -> Checklist | None:
    """The latest version that applies to `unit`: the nearest unit up the tree that keeps one."""
    return (
        Checklist.objects.filter(kind=kind, owner__path__in=unit.ancestor_paths())
        .order_by("-owner__path", "-version")
        .first()
    )


def checklist_start(*, actor: Actor, owner: Unit, kind: str) -> Checklist:
    if kind not in DEFAULTS:
        raise ValidationError(_("Loại bộ tiêu chí không hợp lệ."))
    existing = Checklist.objects.filter(owner=owner, kind=kind).order_by("-version").first()
    if existing is not None:
        return existing
    checklist = Checklist.objects.create(
        owner=owner, kind=kind, version=1, data=copy.deepcopy(DEFAULTS[kind])
    )
    audit.record_create(actor=actor, obj=checklist)
    return checklist


@transaction.atomic
def checklist_edit(*, actor: Actor, checklist: Checklist, data: Any) -> Checklist:
    """New criteria, points or thresholds; a version schools assessed against stays as it was."""
    problems = rules.check(data)
    if problems:
        raise ValidationError(
            {
                "data": _(
                    "Bộ tiêu chí không hợp lệ: mỗi nhóm cần danh sách tiêu chí; mỗi tiêu chí cần mã (không trùng), tên và điểm từ 0 đến 100."
                )
            }
        )
    latest = Checklist.objects.filter(owner=checklist.owner, kind=checklist.kind).order_by("-version").first()
    assert latest is not None
    if latest.frozen_at is not None or latest.assessments.exists():
        latest = Checklist.objects.create(
            owner=latest.owner, kind=latest.kind, version=latest.version + 1, data=data
        )
    else:
        latest.data = data
        latest.save(update_fields=["data"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=latest,
        unit=latest.owner,
        changes={"version": latest.version},
    )
    return latest


def proposals(school: Unit, year_name: str) -> dict[str, dict[str, Any]]:
    """What the platform already knows of a school, as proposed answers with their evidence."""
    found: dict[str, dict[str, Any]] = {}

    def propose(key: str, met: bool, evidence: str) -> None:
        if met:
            found[key] = {"met": True, "evidence": evidence}

    students = Student.objects.filter(school=school).count()
    propose("sw_students", students > 0, _("CSDL ngành: %(n)s hồ sơ học sinh của trường.") % {"n": students})
    staff = Staff.objects.filter(school=school).count()
    propose("sw_staff", staff > 0, _("CSDL ngành: %(n)s hồ sơ cán bộ, giáo viên.") % {"n": staff})
    rooms = Room.objects.filter(school=school).count() + Equipment.objects.filter(school=school).count()
    propose("sw_facilities", rooms > 0, _("CSDL ngành: %(n)s phòng, thiết bị.") % {"n": rooms})
    propose("school_software", students > 0, _("Trường cập nhật CSDL ngành trên nền tảng."))
    plan = (
        Submission.objects.filter(
            school=school,
            campaign__kind=CampaignKind.IT_PLAN,
            status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED),
        )
        .filter(Q(campaign__title__contains=year_name) | Q(campaign__deadline__year=int(year_name[:4])))
        .first()
    )
    if plan is not None:
        propose("dt_plan", True, _("Kế hoạch CNTT đã nộp trên nền tảng: %(t)s.") % {"t": plan.campaign.title})
    profile = AssetProfile.objects.filter(school=school).first()
    if profile is not None:
        propose(
            "fibre",
            profile.has_fibre,
            _("Danh mục thiết bị: có cáp quang, %(mbps)s Mbps.") % {"mbps": profile.bandwidth_mbps or "?"},
        )
        propose(
            "it_leader",
            bool(profile.it_leader_name and profile.it_staff_name),
            _("Lãnh đạo phụ trách CNTT: %(n)s.") % {"n": profile.it_leader_name},
        )
    if MailDomain.objects.filter(school=school, is_official=True).exists():
        propose("official_email", True, _("Tên miền thư điện tử của ngành đã đăng ký."))
    working = sum(
        Computer.objects.filter(school=school).exclude(condition="broken").values_list("quantity", flat=True)
    )
    propose("computers", working > 0, _("Danh mục thiết bị: %(n)s máy tính dùng được.") % {"n": working})
    from ..selectors import camera_meets, camera_standard_for

    cameras = list(CameraSystem.objects.filter(school=school))
    standard = camera_standard_for(school)
    propose(
        "cameras",
        bool(cameras) and all(camera_meets(c, standard) for c in cameras),
        _("Mọi camera đạt tiêu chuẩn kỹ thuật."),
    )
    _propose_from_other_apps(school, year_name, propose)
    return found


def _year_bounds(year_name: str) -> tuple[dt.datetime, dt.datetime, str]:
    """A school year "2026-2027" as [1/8/2026, 1/8/2027) in local time, and the next year's name."""
    first = int(year_name[:4]) if year_name[:4].isdigit() else timezone.localdate().year
    zone = timezone.get_current_timezone()
    start = dt.datetime(first, 8, 1, tzinfo=zone)
    return start, start.replace(year=first + 1), f"{first + 1}-{first + 2}"


def _propose_from_other_apps(school: Unit, year_name: str, propose: Any) -> None:
    """What the grade books, admissions, the Ministry exchange, the disclosure and the site checks say,
    each read through its app's selectors (counts and dates, no personal data)."""
    since, until, next_year = _year_bounds(year_name)

    usage = records_selectors.gradebook_usage(school=school, year_name=year_name)
    book = _("Sổ điểm điện tử: %(used)s/%(all)s lớp năm học %(year)s đã có điểm trên nền tảng.") % {
        "used": usage.classes_with_marks,
        "all": usage.classes,
        "year": year_name,
    }
    propose("sw_gradebook", usage.classes_with_marks > 0, book)
    propose("gradebook", usage.classes_with_marks > 0, book)

    runs = [
        r
        for r in admission_selectors.online_admission_runs(school=school, school_years=(year_name, next_year))
        if r[2] > 0
    ]
    propose(
        "online_admission",
        bool(runs),
        _("Tuyển sinh trực tuyến trên nền tảng: %(runs)s.")
        % {"runs": "; ".join(_("%(name)s (%(n)s hồ sơ)") % {"name": n, "n": a} for n, _y, a in runs)},
    )

    exchange = directory_selectors.ministry_exchange(school=school, since=since, until=until)
    if exchange.last_export_at is not None:
        propose(
            "data_exchange",
            True,
            _(
                "Đã xuất tệp C1-HocSinh gửi CSDL của Bộ %(n)s lần trong năm học, gần nhất ngày %(day)s; "
                "%(coded)s/%(students)s học sinh đã có mã học sinh của Bộ."
            )
            % {
                "n": exchange.exports,
                "day": timezone.localtime(exchange.last_export_at).strftime("%d/%m/%Y"),
                "coded": exchange.with_code,
                "students": exchange.students,
            },
        )

    site = (
        Website.objects.filter(school=school, last_check__valid=True, is_official=True)
        .select_related("last_check")
        .first()
    )
    disclosure = portal_selectors.disclosure_summary(school=school, today=timezone.localdate())
    if site is not None and disclosure.complete:
        propose(
            "portal",
            True,
            _(
                "Website %(url)s, chứng chỉ hợp lệ (còn %(days)s ngày); công khai đủ %(n)s/%(n)s mục "
                "theo Thông tư 09/2024."
            )
            % {"url": site.url, "days": site.last_check.days_to_expiry, "n": disclosure.applicable},
        )


def _clean(checklist: Checklist, raw: Mapping[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for group in checklist.data.get("groups", []):
        for item in group.get("criteria", []):
            key = item["key"]
            given = raw.get(key)
            if not isinstance(given, Mapping):
                continue
            answer: dict[str, Any] = {"met": bool(given.get("met"))}
            if item.get("thresholds") and str(given.get("value", "")).strip() != "":
                try:
                    value = float(str(given["value"]).replace(",", "."))
                except ValueError:
                    value = -1
                if not 0 <= value <= 100000:
                    errors[key] = _("«%(label)s»: giá trị phải là số không âm.") % {"label": item["label"]}
                    continue
                answer["value"] = value
                answer["met"] = True
            evidence = str(given.get("evidence", "")).strip()
            if len(evidence) > EVIDENCE_MAX:
                errors[key] = _("«%(label)s»: minh chứng dài quá %(n)s ký tự.") % {
                    "label": item["label"],
                    "n": EVIDENCE_MAX,
                }
                continue
            if evidence:
                answer["evidence"] = evidence
            if answer["met"] or evidence:
                answers[key] = answer
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def assessment_save(
    *,
    actor: Actor,
    checklist: Checklist,
    school: Unit,
    year_name: str,
    answers: Mapping[str, Any],
    submit: bool,
) -> Assessment:
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        checklist=checklist, school=school, year_name=year_name
    )
    if assessment.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Bản tự đánh giá đã nộp; chỉ sửa được khi phòng/sở trả lại."), code="locked")
    cleaned = _clean(checklist, answers)
    if submit:
        missing = [
            item["label"]
            for group in checklist.data.get("groups", [])
            for item in group.get("criteria", [])
            if item.get("evidence_required")
            and (cleaned.get(item["key"]) or {}).get("met")
            and not cleaned[item["key"]].get("evidence")
        ]
        if missing:
            raise ValidationError({"evidence": _("Cần minh chứng cho: %(l)s.") % {"l": "; ".join(missing)}})
    if checklist.frozen_at is None:
        Checklist.objects.filter(pk=checklist.pk).update(frozen_at=timezone.now())
    before = assessment.answers
    assessment.answers = cleaned
    assessment.status = SubmissionStatus.SUBMITTED if submit else SubmissionStatus.DRAFT
    if submit:
        assessment.submitted_at = timezone.now()
    assessment.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assessment,
        unit=school,
        changes={
            "status": assessment.status,
            "criteria_changed": sorted(
                k for k in set(before) | set(cleaned) if before.get(k) != cleaned.get(k)
            ),
        },
        note="submitted" if submit else "draft saved",
    )
    return assessment


@transaction.atomic
def assessment_review(*, actor: Actor, assessment: Assessment, accept: bool, comment: str = "") -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Chỉ duyệt hoặc trả lại được bản tự đánh giá trường đã nộp."))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Khi trả lại cần ghi nhận xét để trường biết cần sửa gì.")})
    assessment.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    assessment.review_comment = comment
    if actor is not None and getattr(actor, "is_authenticated", False):
        assessment.reviewed_by = actor  # type: ignore[assignment]
    assessment.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assessment,
        unit=assessment.school,
        changes={"status": assessment.status},
        note=comment[:200],
    )
    return assessment
