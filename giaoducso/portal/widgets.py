"""The portal's card on the home page, its public feature and its daily work (registered in ready())."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.features import register_feature
from giaoducso.core.models import Membership
from giaoducso.core.periodic import register_periodic
from giaoducso.core.roles import Perm, Role, role_allows
from giaoducso.core.widgets import register_widget

from .models import Article, ContentStatus, Event, Page, ProcedureRequest, Site
from .models.procedures import CLOSED_STATUSES

ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_OFFICE, Role.PORTAL_EDITOR, Role.DEPARTMENT_LEADER,
         Role.DEPARTMENT_OFFICER)  # fmt: skip


def _count(model: Any) -> Any:
    return Subquery(
        model.objects.filter(site=OuterRef("pk"), status=ContentStatus.SUBMITTED)
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def portal_card(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    """Per unit: content waiting for review (publishers), open requests and those past their date.
    Two queries whatever the number of units and rows."""
    publishing = [m.unit_id for m in memberships if role_allows(m.role, Perm.PORTAL_PUBLISH)]
    handling = [m.unit_id for m in memberships if role_allows(m.role, Perm.PORTAL_REQUESTS)]
    rows: dict[int, dict[str, Any]] = {}
    units = {m.unit_id: m.unit for m in memberships}
    if publishing:
        for site in Site.objects.filter(unit_id__in=publishing).annotate(
            p=_count(Page), a=_count(Article), e=_count(Event)
        ):
            waiting = (site.p or 0) + (site.a or 0) + (site.e or 0)  # type: ignore[attr-defined]
            rows.setdefault(site.unit_id, {"unit": units[site.unit_id]})["submitted"] = waiting
    if handling:
        today = timezone.localdate()
        counts = (
            ProcedureRequest.objects.filter(unit_id__in=handling)
            .exclude(status__in=CLOSED_STATUSES)
            .values("unit_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        )
        for row in counts:
            entry = rows.setdefault(row["unit_id"], {"unit": units[row["unit_id"]]})
            entry.update(open=row["n"], overdue=row["late"])
    shown = [r for r in rows.values() if r.get("submitted") or r.get("open")]
    return {"rows": shown} if shown else None


def register() -> None:
    register_widget(
        "portal.card", roles=ROLES, template="portal/widgets/card.html", context_fn=portal_card, order=60
    )
    register_feature(
        "portal.sites",
        title=_("Cổng thông tin của Phòng và các trường"),
        description=_(
            "Tin tức, công khai thông tin theo Thông tư 09/2024/TT-BGDĐT và nộp hồ sơ thủ tục trực tuyến, "
            "tra cứu bằng mã hồ sơ."
        ),
        url_name="site:home",
        order=20,
    )
    from .services.disclosure import periodic

    register_periodic("portal.disclosure", _("Công khai thông tin: phát hiện thay đổi, nhắc hạn"), periodic)
