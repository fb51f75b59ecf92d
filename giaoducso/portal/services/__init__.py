"""Every write of the portal: keyword-only, audited, shared by the screens, the commands and the demo."""

from .consent import consent_problems, photo_consent_set
from .content import (
    PublishRefused,
    attachment_add,
    content_publish,
    content_return,
    content_save,
    content_submit,
    content_unpublish,
    image_add,
    site_update,
)

__all__ = [
    "PublishRefused",
    "attachment_add",
    "consent_problems",
    "content_publish",
    "content_return",
    "content_save",
    "content_submit",
    "content_unpublish",
    "image_add",
    "photo_consent_set",
    "site_update",
]
