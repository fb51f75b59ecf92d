"""Every write of reporting: keyword-only, typed, audited; one path for the screens, the API and commands."""

from .assets import (
    asset_profile_save,
    camera_add,
    camera_standard_set,
    computer_add,
    computer_delete,
    mail_domain_add,
    website_add,
    website_delete,
)
from .campaigns import (
    campaign_create,
    submission_grant_exception,
    submission_lock_reason,
    submission_review,
    submission_save,
)
from .forms import form_add_field, form_create, form_remove_field, form_set_schema

__all__ = [
    "asset_profile_save",
    "camera_add",
    "camera_standard_set",
    "campaign_create",
    "computer_add",
    "computer_delete",
    "form_add_field",
    "form_create",
    "form_remove_field",
    "form_set_schema",
    "mail_domain_add",
    "submission_grant_exception",
    "submission_lock_reason",
    "submission_review",
    "submission_save",
    "website_add",
    "website_delete",
]
