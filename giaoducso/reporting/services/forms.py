"""Report forms: create, change the schema (a frozen version is never changed: a new one is made)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit
from rules.report_forms import parse_schema, schema_to_json

from ..messages import refusal
from ..models import FormVersion, ReportForm

EMPTY_SCHEMA: dict[str, Any] = {"sections": []}


def latest_version(form: ReportForm) -> FormVersion:
    version = form.versions.order_by("-number").first()
    if version is None:
        version = FormVersion.objects.create(form=form, number=1, schema=copy.deepcopy(EMPTY_SCHEMA))
    return version


@transaction.atomic
def form_create(
    *, actor: Actor, owner: Unit, title: str, description: str = "", schema: dict[str, Any] | None = None
) -> ReportForm:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Cần nhập tên biểu mẫu.")})
    form = ReportForm(owner=owner, title=title[:255], description=(description or "").strip())
    if actor is not None and getattr(actor, "is_authenticated", False):
        form.created_by = actor  # type: ignore[assignment]
    form.save()
    stored = copy.deepcopy(EMPTY_SCHEMA)
    if schema is not None:
        parsed, problems = parse_schema(schema)
        if parsed is None:
            raise refusal(problems)
        stored = schema_to_json(parsed)
    FormVersion.objects.create(form=form, number=1, schema=stored)
    audit.record_create(actor=actor, obj=form)
    return form


@transaction.atomic
def form_set_schema(*, actor: Actor, form: ReportForm, schema: Any) -> FormVersion:
    """Replaces the draft version's schema; a frozen latest version gets a new version instead."""
    parsed, problems = parse_schema(schema)
    if parsed is None:
        raise refusal(problems)
    stored = schema_to_json(parsed)
    ReportForm.objects.select_for_update().filter(pk=form.pk).first()
    version = latest_version(form)
    if version.frozen_at is not None:
        version = FormVersion.objects.create(form=form, number=version.number + 1, schema=stored)
        note = "new version"
    else:
        version.schema = stored
        version.save(update_fields=["schema"])
        note = "draft changed"
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=form,
        unit=form.owner,
        changes={"version": version.number, "fields": len(parsed.fields())},
        note=note,
    )
    return version


def form_add_field(*, actor: Actor, form: ReportForm, section: str, field: dict[str, Any]) -> FormVersion:
    """Adds one field at the end of `section` (made when new) of the latest version."""
    schema = copy.deepcopy(latest_version(form).schema) or copy.deepcopy(EMPTY_SCHEMA)
    title = (section or "").strip()[:200] or _("Thông tin chung")
    sections = schema.setdefault("sections", [])
    target = next((s for s in sections if s.get("title") == title), None)
    if target is None:
        target = {"title": title, "fields": []}
        sections.append(target)
    target.setdefault("fields", []).append(field)
    return form_set_schema(actor=actor, form=form, schema=schema)


def form_remove_field(*, actor: Actor, form: ReportForm, key: str) -> FormVersion:
    schema = copy.deepcopy(latest_version(form).schema)
    for section in schema.get("sections", []):
        section["fields"] = [f for f in section.get("fields", []) if f.get("key") != key]
    schema["sections"] = [s for s in schema.get("sections", []) if s.get("fields")]
    if not schema["sections"]:
        raise ValidationError(_("Biểu mẫu cần ít nhất một chỉ tiêu: không xóa được chỉ tiêu cuối cùng."))
    return form_set_schema(actor=actor, form=form, schema=schema)


def version_freeze(version: FormVersion) -> None:
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
