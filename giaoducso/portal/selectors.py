"""Public reads: what a visitor may see (published, its moment come), and which unit's site a request asks
for. Editors' reads live with their views, through portal.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags

from giaoducso.core.models import Unit, UnitKind
from giaoducso.directory.models import School
from rules.text import fold

from .models import Article, ContentStatus, Event, Page, Site

NEWS_ON_HOME = 6


def home_unit() -> Unit | None:
    """The department whose portal is `/`: PORTAL_HOME_UNIT (a unit code) or the first district
    department, else the first top unit."""
    code = getattr(settings, "PORTAL_HOME_UNIT", "")
    units = Unit.objects.filter(is_active=True)
    if code:
        return units.filter(code=code).first()
    return (
        units.filter(kind=UnitKind.DISTRICT_DEPARTMENT).order_by("depth", "path").first()
        or units.order_by("depth", "path").first()
    )


def site_of(unit: Unit) -> Site:
    """The unit's site, or an unsaved one with the defaults when its editors have not set it up yet."""
    site = Site.objects.filter(unit=unit).select_related("logo").first()
    return site or Site(unit=unit)


def public_unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True, kind__in=PUBLIC_KINDS).first()
    if unit is None:
        raise Http404
    return unit


PUBLIC_KINDS = (UnitKind.SCHOOL, UnitKind.DISTRICT_DEPARTMENT, UnitKind.PROVINCE_DEPARTMENT)


def site_for_host(host: str) -> Site | None:
    host = host.split(":", 1)[0].lower()
    if not host:
        return None
    return Site.objects.filter(host=host, unit__is_active=True).select_related("unit").first()


def visible(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(status=ContentStatus.PUBLISHED).filter(
        Q(publish_at__isnull=True) | Q(publish_at__lte=timezone.now())
    )


def menu(site: Site) -> list[Page]:
    if site.pk is None:
        return []
    return list(visible(Page.objects.filter(site=site, menu_order__isnull=False)).order_by("menu_order"))


def news(site: Site) -> QuerySet[Article]:
    if site.pk is None:
        return Article.objects.none()
    return (
        visible(Article.objects.filter(site=site)).select_related("category", "image").order_by("-publish_at")
    )


def events(site: Site, *, upcoming: bool = True) -> QuerySet[Event]:
    if site.pk is None:
        return Event.objects.none()
    queryset = visible(Event.objects.filter(site=site))
    if upcoming:
        queryset = queryset.filter(starts_at__gte=timezone.now() - timezone.timedelta(days=1))
    return queryset.order_by("starts_at")


def schools_under(unit: Unit) -> list[dict[str, Any]]:
    """Every active school under the department, with its level and address, for the department's home."""
    units = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True, path__startswith=unit.path).order_by("name")
    )
    schools = {s.unit_id: s for s in School.objects.filter(unit__in=units)}
    return [{"unit": u, "school": schools.get(u.pk)} for u in units]


def gathered_news(unit: Unit, limit: int = NEWS_ON_HOME) -> list[Article]:
    """The latest news of every site under the department (its own included)."""
    return list(
        visible(Article.objects.filter(site__unit__path__startswith=unit.path, site__unit__is_active=True))
        .select_related("site__unit", "image", "category")
        .order_by("-publish_at")[:limit]
    )


SEARCHED = 500  # the latest items a site's search reads: a school's site has far fewer


def search(site: Site, query: str) -> dict[str, list[Any]]:
    """Pages and news whose words contain the query, accents and case aside ("phu dong" finds "Phù Đổng");
    done in Python over the site's latest items, as SQLite folds no Vietnamese."""
    needle = fold(query.strip()[:100])
    if site.pk is None or len(needle) < 2:
        return {"articles": [], "pages": []}

    def hits(items: Any, fields: tuple[str, ...]) -> list[Any]:
        return [
            item for item in items if any(needle in fold(strip_tags(getattr(item, f) or "")) for f in fields)
        ]

    return {
        "articles": hits(news(site)[:SEARCHED], ("title", "summary", "body"))[:30],
        "pages": hits(visible(Page.objects.filter(site=site))[:SEARCHED], ("title", "body"))[:30],
    }


@dataclass(frozen=True)
class DisclosureSummary:
    applicable: int  # the items Circular 09/2024 asks of the school's level
    up_to_date: int  # of them, published this cycle and not late with an update
    missing: tuple[str, ...]  # titles of the others

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.up_to_date == self.applicable


def disclosure_summary(*, school: Unit, today: dt.date) -> DisclosureSummary:
    """Whether the school's legal disclosure is complete today (the department's board, for one school):
    public facts only, read by the IT-application checklist's proposals."""
    from rules.disclosure_deadlines import ItemState

    from .models import DisclosureDraft, DisclosureVersion
    from .services.disclosure import requirements_for, status_of

    requirements = requirements_for(school)
    last = dict(
        DisclosureVersion.objects.filter(school=school)
        .values("requirement_id")
        .annotate(at=Max("published_at"))
        .values_list("requirement_id", "at")
    )
    changed = dict(
        DisclosureDraft.objects.filter(school=school, changed_on__isnull=False).values_list(
            "requirement_id", "changed_on"
        )
    )
    missing = tuple(
        r.title
        for r in requirements
        if status_of(r, last.get(r.pk), changed.get(r.pk), today).state
        not in (ItemState.OK, ItemState.UPDATE_DUE)
    )
    return DisclosureSummary(
        applicable=len(requirements), up_to_date=len(requirements) - len(missing), missing=missing
    )
