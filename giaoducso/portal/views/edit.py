"""The editors' screens: a site's settings, its pages, news and events through the review step, its
images (with the pupils in them) and files. Every route names the unit by its code; someone without the
right on that very unit gets 404 (portal.access)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.core import audit
from giaoducso.core.roles import Perm
from giaoducso.core.uploads import file_response

from .. import services
from ..access import holds, oversees, site_for, units_holding
from ..forms import (
    ArticleForm,
    AttachmentForm,
    CategoryForm,
    EventForm,
    ImageForm,
    PageForm,
    PublishForm,
    ReturnForm,
    SiteForm,
    TagForm,
    apply_service_errors,
)
from ..models import Article, Category, ContentStatus, Event, Image, Page, Site
from ..services.consent import problem_for
from ..services.content import image_tag

KINDS: dict[str, tuple[type[Any], type[Any], str]] = {
    "trang": (Page, PageForm, "pages"),
    "tin": (Article, ArticleForm, "articles"),
    "su-kien": (Event, EventForm, "events"),
}
EDIT_PERMS = (Perm.PORTAL_EDIT, Perm.PORTAL_PUBLISH)


def _site(request: HttpRequest, code: str) -> Site:
    """The site for someone who writes or publishes on it."""
    for perm in EDIT_PERMS:
        try:
            return site_for(request.user, perm, code)
        except Http404:
            continue
    raise Http404


def _overview_url(site: Site) -> str:
    return reverse("portal:site", args=[site.unit.code])


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    perms = (
        Perm.PORTAL_EDIT,
        Perm.PORTAL_PUBLISH,
        Perm.PORTAL_DISCLOSURE,
        Perm.PORTAL_REQUESTS,
        Perm.PORTAL_CONSENT,
    )
    units = {u.pk: u for perm in perms for u in units_holding(request.user, perm)}
    if not units and not oversees(request.user):
        raise Http404
    rows = [
        {
            "unit": u,
            "edit": any(holds(request.user, p, u) for p in EDIT_PERMS),
            "disclosure": holds(request.user, Perm.PORTAL_DISCLOSURE, u) and u.kind == "school",
            "requests": holds(request.user, Perm.PORTAL_REQUESTS, u),
            "consent": holds(request.user, Perm.PORTAL_CONSENT, u) and u.kind == "school",
        }
        for u in sorted(units.values(), key=lambda u: u.path)
    ]
    return render(request, "portal/edit/dashboard.html", {"rows": rows, "oversees": oversees(request.user)})


@login_required
def site_overview(request: HttpRequest, code: str) -> HttpResponse:
    site = _site(request, code)
    if site.pk is None:
        site.save()
    can_publish = holds(request.user, Perm.PORTAL_PUBLISH, site.unit)
    context = {
        "site": site,
        "can_publish": can_publish,
        "pages": site.pages.order_by("menu_order", "title"),
        "articles": site.articles.select_related("category").order_by("-created_at")[:100],
        "events": site.events.order_by("-starts_at")[:50],
        "submitted": [
            *site.pages.filter(status=ContentStatus.SUBMITTED),
            *site.articles.filter(status=ContentStatus.SUBMITTED),
            *site.events.filter(status=ContentStatus.SUBMITTED),
        ],
    }
    return render(request, "portal/edit/site.html", context)


@login_required
def site_settings(request: HttpRequest, code: str) -> HttpResponse:
    site = site_for(request.user, Perm.PORTAL_PUBLISH, code)
    if site.pk is None:
        site.save()
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(
                actor=request.user,
                site=Site.objects.get(pk=site.pk),
                **{f: form.cleaned_data[f] for f in form.fields},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin trang."))
            return redirect(_overview_url(site))
    return render(
        request, "portal/edit/settings.html", {"site": site, "form": form}, status=400 if form.errors else 200
    )


def _content(site: Site, kind: str, pk: int | None) -> Any:
    if kind not in KINDS:
        raise Http404
    model = KINDS[kind][0]
    if pk is None:
        return model(site=site)
    obj = model.objects.filter(site=site, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _form(kind: str, site: Site, data: Any, obj: Any) -> Any:
    form_class = KINDS[kind][1]
    if form_class is ArticleForm:
        return form_class(data, instance=obj, site=site)
    return form_class(data, instance=obj)


def _render_content(
    request: HttpRequest, site: Site, kind: str, obj: Any, *, form: Any = None, attachment_form: Any = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    context = {
        "site": site,
        "obj": obj,
        "kind": kind,
        "form": form if form is not None else _form(kind, site, None, obj),
        "can_publish": holds(request.user, Perm.PORTAL_PUBLISH, site.unit),
        "publish_form": PublishForm(),
        "return_form": ReturnForm(),
        "attachment_form": attachment_form or AttachmentForm(),
        "files": list(obj.files.all()) if obj.pk and hasattr(obj, "files") else [],
    }
    return render(request, "portal/edit/content.html", context, status=status)


@login_required
def content_edit(request: HttpRequest, code: str, kind: str, pk: int | None = None) -> HttpResponse:
    site = _site(request, code)
    if site.pk is None:
        site.save()
    obj = _content(site, kind, pk)
    can_publish = holds(request.user, Perm.PORTAL_PUBLISH, site.unit)
    form = _form(kind, site, request.POST or None, obj)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        target = KINDS[kind][0].objects.get(pk=obj.pk) if obj.pk else KINDS[kind][0](site=site)
        try:
            saved = services.content_save(actor=request.user, obj=target, can_publish=can_publish, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(reverse("portal:content_edit", args=[code, kind, saved.pk]))
    return _render_content(request, site, kind, obj, form=form, status=400 if form.errors else 200)


@login_required
@require_POST
def content_action(request: HttpRequest, code: str, kind: str, pk: int, action: str) -> HttpResponse:
    site = _site(request, code)
    obj = _content(site, kind, pk)
    back = reverse("portal:content_edit", args=[code, kind, pk])
    try:
        if action == "gui-duyet":
            services.content_submit(actor=request.user, obj=obj)
            messages.success(request, _("Đã gửi duyệt."))
        elif action == "dang":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Thời điểm đăng phải có dạng dd/mm/yyyy hh:mm."))
            services.content_publish(actor=request.user, obj=obj, publish_at=form.cleaned_data["publish_at"])
            messages.success(request, _("Đã duyệt đăng."))
        elif action == "tra-lai":
            services.content_return(actor=request.user, obj=obj, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Đã trả lại cho người viết."))
        elif action == "go-xuong":
            services.content_unpublish(actor=request.user, obj=obj)
            messages.success(request, _("Đã gỡ xuống."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(back)


@login_required
@require_POST
def attachment_add(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    site = _site(request, code)
    obj = _content(site, kind, pk)
    if kind == "su-kien":
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                site=site,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                **({"article": obj} if kind == "tin" else {"page": obj}),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đính kèm tệp."))
            return redirect(reverse("portal:content_edit", args=[code, kind, pk]))
    # Refused (a disguised program, a file too large): the page again, saying why, nothing stored.
    return _render_content(request, site, kind, obj, attachment_form=form, status=400)


@login_required
def images(request: HttpRequest, code: str) -> HttpResponse:
    site = _site(request, code)
    if site.pk is None:
        site.save()
    form = ImageForm(request.POST or None, request.FILES or None, site=site)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                image = services.image_add(
                    actor=request.user,
                    site=site,
                    upload=form.cleaned_data["file"],
                    alt_text=form.cleaned_data["alt_text"],
                    students=form.cleaned_data["students"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã tải ảnh lên: chèn vào bài bằng địa chỉ %(url)s.") % {"url": _image_url(image)},
                )
                return redirect(reverse("portal:images", args=[code]))
        status = 400
    context = {"site": site, "form": form, "images": site.images.prefetch_related("students")[:60]}
    return render(request, "portal/edit/images.html", context, status=status)


def _image_url(image: Image) -> str:
    return reverse("site:image", args=[image.site.unit.code, image.pk])


@login_required
def image_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    site = _site(request, code)
    image = Image.objects.filter(site=site, pk=pk).first()
    if image is None:
        raise Http404
    form = TagForm(request.POST or None, site=site, initial={"students": image.students.all()})
    if request.method == "POST" and form.is_valid():
        try:
            image_tag(actor=request.user, image=image, students=form.cleaned_data["students"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu danh sách học sinh trong ảnh."))
            return redirect(reverse("portal:image", args=[code, pk]))
    from django.utils import timezone

    today = timezone.localdate()
    tagged = [
        {"student": s, "problem": problem_for(s, today)}
        for s in image.students.select_related("photo_consent").order_by("sort_key")
    ]
    context = {"site": site, "image": image, "form": form, "tagged": tagged, "public_url": _image_url(image)}
    return render(request, "portal/edit/image.html", context, status=400 if form.errors else 200)


@login_required
def image_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The editors' view of a picture, published or not."""
    site = _site(request, code)
    image = Image.objects.filter(site=site, pk=pk).first()
    if image is None:
        raise Http404
    return file_response(image, inline=True)


@login_required
def categories(request: HttpRequest, code: str) -> HttpResponse:
    site = site_for(request.user, Perm.PORTAL_PUBLISH, code)
    if site.pk is None:
        site.save()
    form = CategoryForm(request.POST or None, instance=Category(site=site))
    if request.method == "POST" and form.is_valid():
        category = form.save(commit=False)
        try:
            # The form leaves the site out, and with it the unique (site, slug) check: done here.
            category.validate_constraints()
        except ValidationError:
            form.add_error("slug", _("Trang đã có chuyên mục với đường dẫn này."))
        else:
            category.save()
            audit.record_create(actor=request.user, obj=category)
            messages.success(request, _("Đã thêm chuyên mục."))
            return redirect(reverse("portal:categories", args=[code]))
    context = {"site": site, "form": form, "categories": site.categories.all()}
    return render(request, "portal/edit/categories.html", context, status=400 if form.errors else 200)
