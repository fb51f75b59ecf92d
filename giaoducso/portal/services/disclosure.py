"""The legal disclosure: preparing each item, publishing a frozen version, the department's board, the
daily check for changed live figures and the reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.core.notifications import NOTIFICATION_KINDS, notify, register_kind
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.uploads import DOCUMENT_KINDS, check_upload
from giaoducso.directory.models import School
from rules.disclosure_deadlines import LATE_STATES, ItemStatus, item_status

from .. import cache, disclosure_sources
from ..models import DisclosureDocument, DisclosureDraft, DisclosureKind, DisclosureVersion, Requirement
from ..sanitize import clean_html

NOTIFICATION_KIND = "portal_disclosure"
if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
    register_kind(NOTIFICATION_KIND, gettext_lazy("Nhắc hạn công khai thông tin"))
REMIND_EVERY_DAYS = 7


def level_of(school: Unit) -> str:
    return School.objects.filter(unit=school).values_list("level", flat=True).first() or ""


def requirements_for(school: Unit) -> list[Requirement]:
    level = level_of(school)
    return [r for r in Requirement.objects.filter(is_active=True) if r.applies_to(level)]


def draft_for(school: Unit, requirement: Requirement) -> DisclosureDraft:
    draft, _created = DisclosureDraft.objects.get_or_create(school=school, requirement=requirement)
    return draft


def disclosure_save(
    *, actor: Any, school: Unit, requirement: Requirement, text: str | None = None,
    upload: UploadedFile | None = None, today: dt.date | None = None,
) -> DisclosureDraft:  # fmt: skip
    """Saves the school's working copy. A change after a published version starts the update deadline."""
    if not requirement.applies_to(level_of(school)):
        raise ValidationError(_("Mục này không áp dụng cho cấp học của trường."))
    document = None
    if upload is not None:
        checked = check_upload(
            upload,
            kinds=DOCUMENT_KINDS,
            max_bytes=int(getattr(settings, "PORTAL_MAX_ATTACHMENT_BYTES", 20 << 20)),
        )
        document = DisclosureDocument.from_checked(checked, upload, school=school)
    with transaction.atomic():
        draft = draft_for(school, requirement)
        before = audit.snapshot(draft, ["text", "document"])
        if text is not None:
            draft.text = clean_html(text)
        if document is not None:
            document.save()
            draft.document = document
        changed = audit.diff(before, audit.snapshot(draft, ["text", "document"]))
        if changed and DisclosureVersion.objects.filter(school=school, requirement=requirement).exists():
            draft.changed_on = draft.changed_on or today or timezone.localdate()
        draft.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        draft.save()
        audit.record_update(actor=actor, obj=draft, before=before, note=requirement.code)
    return draft


def _version_of(
    *, actor: Any, school: Unit, requirement: Requirement, draft: DisclosureDraft, now: dt.datetime
) -> DisclosureVersion:
    if requirement.kind == DisclosureKind.TEXT and not draft.text.strip():
        raise ValidationError(_("Mục «%(title)s» chưa có nội dung.") % {"title": requirement.title})
    if requirement.kind == DisclosureKind.DOCUMENT and draft.document_id is None:
        raise ValidationError(_("Mục «%(title)s» chưa có văn bản đính kèm.") % {"title": requirement.title})
    data = (
        disclosure_sources.read(requirement.source, school, requirement.parameters)
        if requirement.kind == DisclosureKind.LIVE
        else {}
    )
    last = (
        DisclosureVersion.objects.filter(school=school, requirement=requirement).aggregate(n=Max("number"))[
            "n"
        ]
        or 0
    )
    version = DisclosureVersion.objects.create(
        school=school,
        requirement=requirement,
        number=last + 1,
        published_at=now,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        text=draft.text,
        data=data,
        document_id=draft.document_id,
    )
    audit.record_create(actor=actor, obj=version, note=requirement.code)
    draft.changed_on = None
    draft.reminded_on = None
    draft.save(update_fields=["changed_on", "reminded_on", "updated_at"])
    return version


def disclosure_publish(
    *, actor: Any, school: Unit, requirements: list[Requirement] | None = None, now: dt.datetime | None = None
) -> list[DisclosureVersion]:
    """Publishes the given items (default: every applicable item ready to publish) as new versions, all
    read from the database in one transaction, so that they describe the same moment."""
    now = now or timezone.now()
    level = level_of(school)
    chosen = requirements if requirements is not None else requirements_for(school)
    versions = []
    skipped: list[str] = []
    with transaction.atomic():
        for requirement in chosen:
            if not requirement.applies_to(level):
                raise ValidationError(_("Mục này không áp dụng cho cấp học của trường."))
            draft = draft_for(school, requirement)
            try:
                versions.append(
                    _version_of(actor=actor, school=school, requirement=requirement, draft=draft, now=now)
                )
            except ValidationError as exc:
                if requirements is not None:
                    raise
                skipped.extend(exc.messages)
    transaction.on_commit(cache.invalidate)
    cache.invalidate()
    if not versions and skipped:
        raise ValidationError(skipped)
    return versions


def published(school: Unit) -> list[dict[str, Any]]:
    """The latest version of each applicable item (or None), for the public page."""
    latest: dict[int, DisclosureVersion] = {}
    for version in (
        DisclosureVersion.objects.filter(school=school)
        .select_related("document")
        .order_by("requirement_id", "-number")
    ):
        latest.setdefault(version.requirement_id, version)
    return [{"requirement": r, "version": latest.get(r.pk)} for r in requirements_for(school)]


def status_of(
    requirement: Requirement, last_published: dt.datetime | None, changed_on: dt.date | None, today: dt.date
) -> ItemStatus:
    return item_status(
        today=today,
        last_published=timezone.localdate(last_published) if last_published else None,
        changed_on=changed_on,
        due_month=requirement.due_month,
        due_day=requirement.due_day,
        update_working_days=requirement.update_working_days,
    )


def board(*, under: Unit, today: dt.date) -> dict[str, Any]:
    """Every school under `under`: the state of each applicable item. A fixed number of queries."""
    schools = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True, path__startswith=under.path).order_by(
            "name"
        )
    )
    levels = dict(School.objects.filter(unit__in=schools).values_list("unit_id", "level"))
    requirements = list(Requirement.objects.filter(is_active=True))
    last = {
        (row["school_id"], row["requirement_id"]): row["at"]
        for row in DisclosureVersion.objects.filter(school__in=schools)
        .values("school_id", "requirement_id")
        .annotate(at=Max("published_at"))
    }
    changed = {
        (d.school_id, d.requirement_id): d.changed_on
        for d in DisclosureDraft.objects.filter(school__in=schools, changed_on__isnull=False)
    }
    rows = []
    for school in schools:
        cells = []
        for requirement in requirements:
            if not requirement.applies_to(levels.get(school.pk, "")):
                cells.append(None)
                continue
            key = (school.pk, requirement.pk)
            cells.append(status_of(requirement, last.get(key), changed.get(key), today))
        late = sum(1 for c in cells if c and c.state in LATE_STATES)
        rows.append({"school": school, "cells": cells, "late": late})
    return {"requirements": requirements, "rows": rows}


def detect_live_changes(today: dt.date) -> dict[str, Any]:
    """Daily: a live item whose figures differ from its last version has changed today (when not already
    marked), which starts its update deadline."""
    marked = 0
    latest: dict[tuple[int, int], DisclosureVersion] = {}
    for version in (
        DisclosureVersion.objects.filter(requirement__kind=DisclosureKind.LIVE)
        .select_related("requirement", "school")
        .order_by("school_id", "requirement_id", "-number")
    ):
        latest.setdefault((version.school_id, version.requirement_id), version)
    for version in latest.values():
        now = disclosure_sources.read(
            version.requirement.source, version.school, version.requirement.parameters
        )
        if now != version.data:
            draft = draft_for(version.school, version.requirement)
            if draft.changed_on is None:
                draft.changed_on = today
                draft.save(update_fields=["changed_on", "updated_at"])
                marked += 1
    return {"checked": len(latest), "marked": marked}


def _holders(unit: Unit, perm: str) -> list[User]:
    roles = {
        r
        for r in Membership.objects.filter(unit=unit, is_active=True).values_list("role", flat=True)
        if role_allows(r, perm)
    }
    return list(
        User.objects.filter(
            memberships__unit=unit, memberships__role__in=roles, memberships__is_active=True
        ).distinct()
    )


def remind(today: dt.date) -> dict[str, Any]:
    """Daily: tells each school's disclosure staff which items are late, at most once a week per school."""
    from giaoducso.core.models import Unit as UnitModel

    sent = 0
    root = UnitModel.objects.filter(parent__isnull=True)
    seen: set[int] = set()
    for top in root:
        data = board(under=top, today=today)
        for row in data["rows"]:
            school = row["school"]
            if school.pk in seen or not row["late"]:
                continue
            seen.add(school.pk)
            late = [
                r.title
                for r, c in zip(data["requirements"], row["cells"], strict=True)
                if c and c.state in LATE_STATES
            ]
            drafts = DisclosureDraft.objects.filter(school=school)
            if drafts.filter(reminded_on__gt=today - dt.timedelta(days=REMIND_EVERY_DAYS)).exists():
                continue
            notify(
                recipients=_holders(school, Perm.PORTAL_DISCLOSURE),
                kind=NOTIFICATION_KIND,
                title=_("Trễ hạn công khai: %(n)s mục") % {"n": len(late)},
                body="; ".join(late),
                url=f"/cong-thong-tin/{school.code}/cong-khai/",
                unit=school,
            )
            for requirement, cell in zip(data["requirements"], row["cells"], strict=True):
                if cell and cell.state in LATE_STATES:
                    draft_for(school, requirement)
            drafts.update(reminded_on=today)
            sent += 1
    return {"schools_reminded": sent}


def periodic(today: dt.date) -> dict[str, Any]:
    return {**detect_live_changes(today), **remind(today)}


def requirement_update(*, actor: Any, requirement: Requirement, **fields: Any) -> Requirement:
    """The department corrects the catalogue: deadlines and parameters always (configurable by the sheet),
    the wording, levels and form only of items not confirmed from the text."""
    always = {"due_month", "due_day", "update_working_days", "parameters", "is_active"}
    wording = {"title", "description", "levels", "kind", "source", "article"}
    unknown = set(fields) - always - wording
    if unknown:
        raise ValueError(f"not requirement fields: {sorted(unknown)}")
    if requirement.confirmed and set(fields) & wording:
        changed = [f for f in set(fields) & wording if getattr(requirement, f) != fields[f]]
        if changed:
            raise ValidationError(_("Mục đã đối chiếu văn bản: chỉ sửa được hạn và tham số."))
    before = audit.snapshot(requirement, fields.keys())
    for name, value in fields.items():
        setattr(requirement, name, value)
    try:
        dt.date(2024, requirement.due_month, requirement.due_day)
    except ValueError as exc:
        raise ValidationError({"due_day": _("Ngày hạn không có thật.")}) from exc
    requirement.full_clean()
    requirement.save()
    audit.record_update(actor=actor, obj=requirement, before=before)
    return requirement
