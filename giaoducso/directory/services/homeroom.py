"""What a homeroom teacher changes for their own class: the guardians' phone numbers.

The rule (check) sits beside the action: the guardian's pupil must be in a class of the current year whose
homeroom teacher is the actor (`selectors.homeroom`). The write itself is the one guardian write path,
`guardian_update`, which validates the number and audits the change.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Guardian
from ..selectors.homeroom import homeroom_classes
from .students import guardian_update


def may_set_guardian_phone(*, actor: Any, guardian: Guardian) -> bool:
    class_id = guardian.student.current_class_id
    return class_id is not None and homeroom_classes(user=actor).filter(pk=class_id).exists()


@transaction.atomic
def homeroom_guardian_set_phone(*, actor: Any, guardian: Guardian, phone: str) -> Guardian:
    if not may_set_guardian_phone(actor=actor, guardian=guardian):
        raise PermissionDenied("Only the homeroom teacher of the pupil's class changes this here.")
    if not (phone or "").strip():
        raise ValidationError({"phone": [_("Hãy nhập số điện thoại.")]})
    return guardian_update(actor=actor, guardian=guardian, phone=phone)
