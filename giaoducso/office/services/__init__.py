"""Every write of the e-office, shared by the screens, the API, the commands and the edXML import."""

from .common import allowed_recipients, settings_for
from .documents import (
    attachment_add,
    document_approve,
    document_create,
    document_follow_up,
    document_issue,
    document_recall,
    document_return,
    document_submit,
    document_update,
)
from .incoming import (
    duplicates_of,
    incoming_assign,
    incoming_done,
    incoming_opened,
    incoming_read_pdf,
    incoming_register,
    incoming_register_external,
    may_handle,
    note_add,
    staged_pdf,
)

__all__ = [
    "allowed_recipients",
    "attachment_add",
    "document_approve",
    "document_create",
    "document_follow_up",
    "document_issue",
    "document_recall",
    "document_return",
    "document_submit",
    "document_update",
    "duplicates_of",
    "incoming_assign",
    "incoming_done",
    "incoming_opened",
    "incoming_read_pdf",
    "incoming_register",
    "incoming_register_external",
    "may_handle",
    "note_add",
    "settings_for",
    "staged_pdf",
]
