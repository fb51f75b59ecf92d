"""Consent to publish pupils' images (Law 91/2025 Art. 24): recorded per pupil, checked at publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.directory.models import Student
from rules.disclosure_deadlines import ConsentProblem, photo_consent_problem

from .. import cache
from ..models import Image, PhotoConsent

_REASONS = {
    ConsentProblem.NO_PARENT: "chưa có đồng ý của cha mẹ/người giám hộ",
    ConsentProblem.NO_CHILD: "từ 7 tuổi, cần cả đồng ý của chính học sinh",
    ConsentProblem.WITHDRAWN: "đã rút lại đồng ý",
}


def problem_for(student: Student, today: dt.date) -> ConsentProblem | None:
    consent: PhotoConsent | None = getattr(student, "photo_consent", None)
    return photo_consent_problem(
        born=student.date_of_birth,
        today=today,
        parent=bool(consent and consent.parent_consent_on),
        child=bool(consent and consent.child_consent_on),
        withdrawn=bool(consent and consent.withdrawn_on),
    )


def consent_problems(images: Iterable[Image], *, today: dt.date) -> list[str]:
    """One sentence per pictured pupil who may not be published, saying why."""
    problems = []
    for image in images:
        for student in image.students.select_related("photo_consent").order_by("sort_key"):
            problem = problem_for(student, today)
            if problem is not None:
                problems.append(
                    _("Ảnh «%(image)s»: học sinh %(name)s — %(reason)s.")
                    % {"image": image.alt_text, "name": student.full_name, "reason": _(_REASONS[problem])}
                )
    return problems


def photo_consent_set(
    *,
    actor: Any,
    student: Student,
    parent_consent_on: dt.date | None,
    parent_name: str = "",
    child_consent_on: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
) -> PhotoConsent:
    """Records (or withdraws) consent. A date in the future is refused: consent is a fact, not a plan."""
    today = dt.date.today()
    for value in (parent_consent_on, child_consent_on, withdrawn_on):
        if value and value > today:
            raise ValidationError(_("Ngày đồng ý hoặc rút lại không được ở tương lai."))
    if parent_consent_on and not parent_name.strip():
        raise ValidationError({"parent_name": _("Cần ghi tên cha mẹ/người giám hộ đã đồng ý.")})
    with transaction.atomic():
        consent, created = PhotoConsent.objects.get_or_create(
            student=student, defaults={"school_id": student.school_id}
        )
        before = {} if created else audit.snapshot(consent)
        consent.school_id = student.school_id
        consent.parent_consent_on = parent_consent_on
        consent.parent_name = parent_name.strip()[:255]
        consent.child_consent_on = child_consent_on
        consent.withdrawn_on = withdrawn_on
        consent.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        consent.save()
        if created:
            audit.record_create(actor=actor, obj=consent)
        else:
            audit.record_update(actor=actor, obj=consent, before=before)
    if withdrawn_on:
        # Withdrawal stops publication (Law Art. 24.3): the pages showing the pupil are rebuilt at once,
        # and content_publish refuses them; the editors take the photos down (the board lists them).
        cache.invalidate()
    return consent
