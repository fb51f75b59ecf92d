"""Sites and their content: saving drafts, the review step (draft → submitted → published), uploads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit
from giaoducso.core.models import Membership, User
from giaoducso.core.notifications import NOTIFICATION_KINDS, notify, register_kind
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, check_upload
from giaoducso.directory.models import Student
from rules.text import fold

from .. import cache
from ..access import holds
from ..models import Article, Attachment, ContentStatus, Event, Image, Page, Site
from ..sanitize import clean_html, process_image
from .consent import consent_problems

NOTIFICATION_KIND = "portal_review"
if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
    register_kind(NOTIFICATION_KIND, gettext_lazy("Duyệt tin bài cổng thông tin"))

Content = Page | Article | Event
SITE_FIELDS = ("title", "tagline", "primary_color", "accent_color", "host", "address", "phone", "email",
               "map_url", "intro", "logo")  # fmt: skip
HTML_FIELDS = ("body", "description")


class PublishRefused(ValidationError):
    """Publication refused: the reasons are for the editor (pupils without consent, wrong state)."""


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_relative_luminance(colour) + 0.05)


def site_update(*, actor: Any, site: Site, **fields: Any) -> Site:
    """Name, colours, contact, own host. Colours must carry white text readably (WCAG AA, 4.5:1)."""
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise ValueError(f"not site fields: {sorted(unknown)}")
    before = audit.snapshot(site, fields.keys())
    for name, value in fields.items():
        setattr(site, name, value)
    if site.host:
        site.host = site.host.strip().lower() or None
    else:
        site.host = None
    site.full_clean()
    for name in ("primary_color", "accent_color"):
        colour = getattr(site, name)
        if contrast_with_white(colour) < 4.5:
            ratio = contrast_with_white(colour)
            message = _("Chữ trắng trên màu %(colour)s khó đọc (tương phản %(ratio).1f:1, cần ≥ 4,5:1).")
            raise ValidationError({name: message % {"colour": colour, "ratio": ratio}})
    if site.logo_id and site.logo.site_id != site.pk:  # type: ignore[union-attr]
        raise ValidationError({"logo": _("Biểu trưng phải là ảnh của chính trang này.")})
    site.save()
    audit.record_update(actor=actor, obj=site, before=before)
    cache.invalidate()
    return site


def _unique_slug(model: type[Page] | type[Article], site: Site, wanted: str, pk: int | None) -> str:
    base = slugify(fold(wanted))[:70] or "bai"  # fold first: "Đổng" becomes "dong", not "ong"
    slug, n = base, 2
    while model.objects.filter(site=site, slug=slug).exclude(pk=pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def content_save(*, actor: Any, obj: Content, can_publish: bool, **fields: Any) -> Content:
    """Creates or edits a draft. Published content changes only by someone who may publish it: an editor's
    change would otherwise reach the public without review."""
    if obj.pk and obj.status == ContentStatus.PUBLISHED and not can_publish:
        raise ValidationError(_("Nội dung đã đăng chỉ người duyệt mới sửa được; hãy đề nghị gỡ xuống trước."))
    if obj.pk and obj.status == ContentStatus.SUBMITTED and not can_publish:
        raise ValidationError(_("Nội dung đang chờ duyệt; người duyệt trả lại thì mới sửa được."))
    creating = obj.pk is None
    before = {} if creating else audit.snapshot(obj, fields.keys())
    for name, value in fields.items():
        if name in HTML_FIELDS:
            value = clean_html(value)
        setattr(obj, name, value)
    if isinstance(obj, Page | Article):
        obj.slug = _unique_slug(type(obj), obj.site, fields.get("slug") or obj.slug or obj.title, obj.pk)
    if isinstance(obj, Article) and obj.image_id and obj.image.site_id != obj.site_id:  # type: ignore[union-attr]
        raise ValidationError({"image": _("Ảnh phải thuộc trang này.")})
    if isinstance(obj, Article) and obj.category_id and obj.category.site_id != obj.site_id:  # type: ignore[union-attr]
        raise ValidationError({"category": _("Chuyên mục phải thuộc trang này.")})
    if creating and actor is not None and getattr(actor, "is_authenticated", False):
        obj.created_by = actor
    obj.full_clean(exclude=["created_by", "published_by"])
    with transaction.atomic():
        obj.save()
        if creating:
            audit.record_create(actor=actor, obj=obj)
        else:
            audit.record_update(actor=actor, obj=obj, before=before)
    if obj.status == ContentStatus.PUBLISHED:
        cache.invalidate()
    return obj


def _publishers(site: Site) -> list[User]:
    held = set(Membership.objects.filter(unit=site.unit, is_active=True).values_list("role", flat=True))
    roles = [r for r in held if role_allows(r, Perm.PORTAL_PUBLISH)]
    return list(
        User.objects.filter(
            memberships__unit=site.unit, memberships__role__in=roles, memberships__is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def _set_status(*, actor: Any, obj: Content, status: str, note: str = "", **extra: Any) -> Content:
    before = audit.snapshot(obj, ["status", "publish_at", "review_note", *extra])
    obj.status = status
    obj.review_note = note[:500]
    for name, value in extra.items():
        setattr(obj, name, value)
    obj.save()
    audit.record_update(actor=actor, obj=obj, before=before)
    return obj


def content_submit(*, actor: Any, obj: Content) -> Content:
    if obj.status != ContentStatus.DRAFT:
        raise ValidationError(_("Chỉ bản nháp mới gửi duyệt được."))
    with transaction.atomic():
        _set_status(actor=actor, obj=obj, status=ContentStatus.SUBMITTED)
        notify(
            recipients=_publishers(obj.site),
            kind=NOTIFICATION_KIND,
            title=_("Chờ duyệt: %(title)s") % {"title": obj.title},
            url=f"/cong-thong-tin/{obj.site.unit.code}/",
            unit=obj.site.unit,
        )
    return obj


def images_of(obj: Content) -> list[Image]:
    from ..sanitize import referenced_image_ids

    ids = referenced_image_ids(getattr(obj, "body", "") or getattr(obj, "description", ""))
    if isinstance(obj, Article) and obj.image_id:
        ids.add(obj.image_id)
    return list(Image.objects.filter(site=obj.site, pk__in=ids).prefetch_related("students"))


def content_publish(
    *, actor: Any, obj: Content, publish_at: dt.datetime | None = None, system: bool = False
) -> Content:
    """Publishes now or at `publish_at`. Refused while a pictured pupil lacks recorded consent.
    `system`: the demo and commands, acting for the unit (the consent check still holds)."""
    if not system and not holds(actor, Perm.PORTAL_PUBLISH, obj.site.unit):
        raise PublishRefused(_("Bạn không có quyền duyệt đăng trên trang này."))
    if obj.status == ContentStatus.PUBLISHED:
        raise PublishRefused(_("Nội dung đã được đăng."))
    problems = consent_problems(images_of(obj), today=timezone.localdate())
    if problems:
        raise PublishRefused(problems)
    with transaction.atomic():
        _set_status(
            actor=actor,
            obj=obj,
            status=ContentStatus.PUBLISHED,
            publish_at=publish_at or timezone.now(),
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if obj.created_by_id and obj.created_by_id != getattr(actor, "pk", None):
            notify(
                recipients=[obj.created_by],  # type: ignore[list-item]
                kind=NOTIFICATION_KIND,
                title=_("Đã duyệt đăng: %(title)s") % {"title": obj.title},
                url=f"/cong-thong-tin/{obj.site.unit.code}/",
                unit=obj.site.unit,
            )
    transaction.on_commit(cache.invalidate)
    cache.invalidate()
    return obj


def content_return(*, actor: Any, obj: Content, note: str) -> Content:
    if not holds(actor, Perm.PORTAL_PUBLISH, obj.site.unit):
        raise PublishRefused(_("Bạn không có quyền duyệt đăng trên trang này."))
    if obj.status != ContentStatus.SUBMITTED:
        raise ValidationError(_("Chỉ nội dung đang chờ duyệt mới trả lại được."))
    if not note.strip():
        raise ValidationError({"note": _("Cần ghi ý kiến khi trả lại.")})
    with transaction.atomic():
        _set_status(actor=actor, obj=obj, status=ContentStatus.DRAFT, note=note.strip())
        if obj.created_by_id:
            notify(
                recipients=[obj.created_by],  # type: ignore[list-item]
                kind=NOTIFICATION_KIND,
                title=_("Trả lại để sửa: %(title)s") % {"title": obj.title},
                body=note.strip(),
                url=f"/cong-thong-tin/{obj.site.unit.code}/",
                unit=obj.site.unit,
            )
    return obj


def content_unpublish(*, actor: Any, obj: Content) -> Content:
    if not holds(actor, Perm.PORTAL_PUBLISH, obj.site.unit):
        raise PublishRefused(_("Bạn không có quyền duyệt đăng trên trang này."))
    if obj.status != ContentStatus.PUBLISHED:
        raise ValidationError(_("Nội dung chưa được đăng."))
    _set_status(actor=actor, obj=obj, status=ContentStatus.DRAFT)
    cache.invalidate()
    return obj


def _max(name: str, default_mb: int) -> int:
    return int(getattr(settings, name, default_mb << 20))


def image_add(
    *, actor: Any, site: Site, upload: UploadedFile, alt_text: str, students: Iterable[Student] = ()
) -> Image:
    """A picture for the site: checked by content, resized, stripped of metadata; the pupils in it must be
    the site's own."""
    if not alt_text.strip():
        raise ValidationError({"alt_text": _("Cần mô tả ảnh cho người khiếm thị.")})
    checked = check_upload(upload, kinds=IMAGE_KINDS, max_bytes=_max("PORTAL_MAX_IMAGE_BYTES", 8))
    students = list(students)
    if any(s.school_id != site.unit_id for s in students):
        raise ValidationError({"students": _("Chỉ gắn được học sinh của chính trường.")})
    processed = process_image(upload, checked.kind)
    stored_check = check_upload(processed.upload, kinds=IMAGE_KINDS, max_bytes=checked.size + (16 << 20))
    with transaction.atomic():
        image = Image.from_checked(
            stored_check,
            processed.upload,
            site=site,
            alt_text=alt_text.strip()[:255],
            width=processed.width,
            height=processed.height,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        image.save()
        if students:
            image.students.set(students)
        audit.record_create(
            actor=actor, obj=image, note=f"{len(students)} học sinh trong ảnh; gốc {checked.sha256[:12]}"
        )
    return image


def image_tag(*, actor: Any, image: Image, students: Iterable[Student]) -> Image:
    students = list(students)
    if any(s.school_id != image.site.unit_id for s in students):
        raise ValidationError({"students": _("Chỉ gắn được học sinh của chính trường.")})
    before = sorted(image.students.values_list("pk", flat=True))
    image.students.set(students)
    audit.record(
        actor=actor,
        action="update",
        obj=image,
        changes={"students": [before, sorted(s.pk for s in students)]},
    )
    cache.invalidate()
    return image


def attachment_add(
    *, actor: Any, site: Site, upload: UploadedFile, title: str = "", article: Article | None = None,
    page: Page | None = None,
) -> Attachment:  # fmt: skip
    checked = check_upload(
        upload, kinds=DOCUMENT_KINDS | IMAGE_KINDS, max_bytes=_max("PORTAL_MAX_ATTACHMENT_BYTES", 20)
    )
    if (article and article.site_id != site.pk) or (page and page.site_id != site.pk):
        raise ValidationError(_("Tệp phải gắn với nội dung của chính trang này."))
    attachment = Attachment.from_checked(
        checked, upload, site=site, article=article, page=page, title=title.strip()[:255]
    )
    attachment.save()
    audit.record_create(actor=actor, obj=attachment)
    cache.invalidate()
    return attachment
