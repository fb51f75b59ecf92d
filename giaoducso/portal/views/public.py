"""The public site: the department's home at `/`, each school's at /truong/<code>/ (or its own host),
pages, news, events, contact, search, RSS, the sitemap and the theme. No sign-in, no script needed."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.uploads import file_response
from giaoducso.core.views.shell import home as workspace_home
from giaoducso.directory.models import School

from .. import selectors
from ..cache import public_page
from ..models import Article, Attachment, Category, Image, Page, Site
from ..services.consent import problem_for


def site_context(unit: Unit, **extra: Any) -> dict[str, Any]:
    site = selectors.site_of(unit)
    school = School.objects.filter(unit=unit).first()
    return {
        "unit": unit,
        "site": site,
        "school": school,
        "menu": selectors.menu(site),
        "is_school": unit.kind == UnitKind.SCHOOL,
        "home_unit": selectors.home_unit(),
        **extra,
    }


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    own = selectors.site_for_host(request.get_host())
    if own is not None:
        return _school_home(request, own.unit)
    unit = selectors.home_unit()
    if unit is None:
        # A deployment with no unit yet: what the platform offers, and the way in.
        return workspace_home(request)
    context = site_context(
        unit,
        news=selectors.gathered_news(unit),
        own_news=list(selectors.news(selectors.site_of(unit))[:3]),
        schools=selectors.schools_under(unit),
        events=list(selectors.events(selectors.site_of(unit))[:5]),
    )
    return render(request, "portal/public/home_department.html", context)


def _school_home(request: HttpRequest, unit: Unit) -> HttpResponse:
    site = selectors.site_of(unit)
    context = site_context(
        unit,
        news=list(selectors.news(site)[: selectors.NEWS_ON_HOME]),
        events=list(selectors.events(site)[:5]),
    )
    return render(request, "portal/public/home_school.html", context)


@require_GET
@public_page
def school_home(request: HttpRequest, code: str) -> HttpResponse:
    return _school_home(request, selectors.public_unit(code))


@require_GET
@public_page
def school_list(request: HttpRequest) -> HttpResponse:
    unit = selectors.home_unit()
    if unit is None:
        raise Http404
    return render(
        request, "portal/public/schools.html", site_context(unit, schools=selectors.schools_under(unit))
    )


@require_GET
@public_page
def page_detail(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    context = site_context(unit)
    page = get_object_or_404(selectors.visible(Page.objects.filter(site__unit=unit)), slug=slug)
    context.update(page=page, files=list(page.files.all()))
    return render(request, "portal/public/page.html", context)


@require_GET
@public_page
def news_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    context = site_context(unit)
    site = context["site"]
    articles = selectors.news(site)
    category = None
    if request.GET.get("chuyen-muc") and site.pk:
        category = Category.objects.filter(site=site, slug=request.GET["chuyen-muc"][:80]).first()
        if category is None:
            raise Http404
        articles = articles.filter(category=category)
    context.update(
        page_obj=Paginator(articles, 10).get_page(request.GET.get("trang")),
        category=category,
        categories=list(Category.objects.filter(site=site)) if site.pk else [],
    )
    return render(request, "portal/public/news_list.html", context)


@require_GET
@public_page
def article_detail(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    context = site_context(unit)
    article = get_object_or_404(
        selectors.visible(Article.objects.filter(site__unit=unit)).select_related("image", "category"),
        slug=slug,
    )
    context.update(article=article, files=list(article.files.all()))
    return render(request, "portal/public/article.html", context)


@require_GET
@public_page
def event_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    context = site_context(unit)
    context["events"] = list(selectors.events(context["site"])[:100])
    return render(request, "portal/public/events.html", context)


@require_GET
@public_page
def contact(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/public/contact.html", site_context(selectors.public_unit(code)))


@require_GET
def search(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    context = site_context(unit)
    query = request.GET.get("q", "")[:100]
    context.update(query=query, results=selectors.search(context["site"], query))
    return render(request, "portal/public/search.html", context)


@require_GET
@public_page
def rss(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    site = selectors.site_of(unit)
    home_url = request.build_absolute_uri(reverse("site:school_home", args=[unit.code]))
    feed = Rss201rev2Feed(
        title=site.display_title, link=home_url, description=site.tagline or site.display_title, language="vi"
    )
    for article in selectors.news(site)[:30]:
        link = request.build_absolute_uri(reverse("site:article", args=[unit.code, article.slug]))
        feed.add_item(
            title=article.title,
            link=link,
            description=article.summary,
            pubdate=article.publish_at,
            unique_id=link,
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_GET
@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every public address: homes, pages, news and disclosure pages of every site."""
    urls = [request.build_absolute_uri("/")]
    home = selectors.home_unit()
    for unit in Unit.objects.filter(is_active=True, kind__in=selectors.PUBLIC_KINDS).order_by("path"):
        if home and not unit.path.startswith(home.path):
            continue
        urls.append(request.build_absolute_uri(reverse("site:school_home", args=[unit.code])))
        if unit.kind == UnitKind.SCHOOL:
            urls.append(request.build_absolute_uri(reverse("site:disclosure", args=[unit.code])))
    for page in selectors.visible(Page.objects.select_related("site__unit")):
        urls.append(request.build_absolute_uri(reverse("site:page", args=[page.site.unit.code, page.slug])))
    for article in selectors.visible(Article.objects.select_related("site__unit")):
        urls.append(
            request.build_absolute_uri(reverse("site:article", args=[article.site.unit.code, article.slug]))
        )
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@require_GET
@public_page
def theme_css(request: HttpRequest, code: str) -> HttpResponse:
    """The site's colours as a style sheet of its own: the CSP allows no inline style."""
    site = selectors.site_of(selectors.public_unit(code))
    css = (
        f":root{{--site-primary:{site.primary_color};--site-accent:{site.accent_color};}}"
        if _colour(site.primary_color) and _colour(site.accent_color)
        else ""
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:])


def _public_image(unit: Unit, pk: int) -> Image:
    image = Image.objects.filter(site__unit=unit, pk=pk).prefetch_related("students__photo_consent").first()
    if image is None:
        raise Http404
    # A picture is public only once something public shows it: a draft's photos stay with the editors.
    ref = f"/anh/{pk}/"
    shown = (
        Site.objects.filter(unit=unit, logo_id=pk).exists()
        or selectors.visible(Article.objects.filter(site__unit=unit))
        .filter(Q(image_id=pk) | Q(body__contains=ref))
        .exists()
        or selectors.visible(Page.objects.filter(site__unit=unit, body__contains=ref)).exists()
    )
    if not shown:
        raise Http404
    # Checked at every request, not only at publication: a withdrawn consent stops the photo at once.
    today = timezone.localdate()
    if any(problem_for(student, today) for student in image.students.all()):
        raise Http404
    return image


@require_GET
def image(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    picture = _public_image(selectors.public_unit(code), pk)
    # file_response's "no-store" kept: a copy held by a proxy would outlive a withdrawn consent.
    return file_response(picture, inline=True)


@require_GET
def attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = selectors.public_unit(code)
    stored = Attachment.objects.filter(site__unit=unit, pk=pk).select_related("article", "page").first()
    owner = stored and (stored.article or stored.page)
    if stored is None or owner is None or not owner.is_public:
        raise Http404
    return file_response(stored)


def site_or_404(unit: Unit) -> Site:
    site = Site.objects.filter(unit=unit).first()
    if site is None:
        raise Http404
    return site
