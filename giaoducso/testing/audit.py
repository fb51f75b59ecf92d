"""Reading the audit log in tests."""

from django.db.models import QuerySet

from giaoducso.core.models import AuditEntry


def lines_by_people() -> QuerySet[AuditEntry]:
    """Audit lines that signed-in people caused: the factories build through the audited services as the
    system (actor None), so a test that asks "what did this request log?" must not count the set-up."""
    return AuditEntry.objects.exclude(actor=None)
