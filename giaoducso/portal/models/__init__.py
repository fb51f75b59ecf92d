"""The portal's tables: sites and their content (sites.py), the legal disclosure (disclosure.py), the
online procedures (procedures.py)."""

from .disclosure import (
    DisclosureDocument,
    DisclosureDraft,
    DisclosureKind,
    DisclosureVersion,
    LiveSource,
    Requirement,
)
from .procedures import Procedure, ProcedureFile, ProcedureRequest, RequestFile, RequestStatus
from .sites import (
    Article,
    Attachment,
    Category,
    ContentStatus,
    Event,
    Image,
    Page,
    PhotoConsent,
    Site,
)

__all__ = [
    "Article",
    "Attachment",
    "Category",
    "ContentStatus",
    "DisclosureDocument",
    "DisclosureDraft",
    "DisclosureKind",
    "DisclosureVersion",
    "Event",
    "Image",
    "LiveSource",
    "Page",
    "PhotoConsent",
    "Procedure",
    "ProcedureFile",
    "ProcedureRequest",
    "RequestFile",
    "RequestStatus",
    "Requirement",
    "Site",
]
