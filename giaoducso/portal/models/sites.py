"""A unit's public site and what its editors write: pages, news, events, images and files.

Content goes draft → submitted → published: an editor writes and submits, the principal (the department
leader on the department's site) publishes, possibly for a later moment (`publish_at`). The public sees only
published content whose moment has come.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile
from giaoducso.directory.models import Student

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Màu viết dạng #RRGGBB, ví dụ #1f4e8c."))


class Site(models.Model):
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="portal_site")
    title = models.CharField(_("tên trang"), max_length=255, blank=True)
    tagline = models.CharField(_("khẩu hiệu"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "Image",
        verbose_name=_("biểu trưng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_color = models.CharField(_("màu chính"), max_length=7, default="#1f4e8c", validators=[COLOUR])
    accent_color = models.CharField(_("màu nhấn"), max_length=7, default="#b3261e", validators=[COLOUR])
    # A school's own address (truongabc.edu.vn) served by the same deployment; blank: only /truong/<code>/.
    host = models.CharField(_("tên miền riêng"), max_length=255, null=True, blank=True, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    map_url = models.URLField(_("liên kết bản đồ"), blank=True)
    intro = models.TextField(_("giới thiệu ngắn"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("trang thông tin")
        verbose_name_plural = _("trang thông tin")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.unit.name


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã đăng")


class Reviewed(models.Model):
    """What every reviewed piece of content carries."""

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)
    review_note = models.CharField(_("ý kiến duyệt"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == ContentStatus.PUBLISHED and (
            self.publish_at is None or self.publish_at <= timezone.now()
        )


class Page(Reviewed):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pages")
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=80, allow_unicode=False)
    body = models.TextField(_("nội dung"), blank=True)
    # In the menu when set, in this order; a page without it is reached by links only.
    menu_order = models.PositiveSmallIntegerField(_("thứ tự trên thanh menu"), null=True, blank=True)

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("trang")
        verbose_name_plural = _("trang")
        ordering = ["site_id", "menu_order", "title"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="portal_page_slug")]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("tên chuyên mục"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=80)

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["site_id", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="portal_category_slug")]

    def __str__(self) -> str:
        return self.name


class Image(StoredFile):
    """A picture of a site, resized on upload; the pupils in it are tagged so that consent can be checked."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="images")
    alt_text = models.CharField(_("mô tả ảnh (cho người khiếm thị)"), max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    students = models.ManyToManyField(
        Student, blank=True, related_name="+", verbose_name=_("học sinh trong ảnh")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.alt_text or self.name


class Article(Reviewed):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="articles")
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục"), null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=80)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    image = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-publish_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="portal_article_slug")]
        indexes = [models.Index(fields=["site", "status", "publish_at"], name="portal_article_public")]

    def __str__(self) -> str:
        return self.title


class Event(Reviewed):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("tên sự kiện"), max_length=255)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class Attachment(StoredFile):
    """A file offered for download with an article or a page (public once its content is)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="attachments")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("tên hiển thị"), max_length=255, blank=True)

    scope = Scope(unit_field="site__unit")

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.title or self.name


class PhotoConsent(models.Model):
    """Consent to publish a pupil's images (Law 91/2025 Art. 24.2): the representative's, and the child's own
    from age 7. One row per pupil, changed in place; every change is audited. Never pre-filled: a pupil
    without a row has not consented."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="photo_consent")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    parent_consent_on = models.DateField(_("cha mẹ/người giám hộ đồng ý ngày"), null=True, blank=True)
    parent_name = models.CharField(_("người đại diện đồng ý"), max_length=255, blank=True)
    child_consent_on = models.DateField(_("học sinh đồng ý ngày"), null=True, blank=True)
    withdrawn_on = models.DateField(_("rút lại đồng ý ngày"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("đồng ý đăng ảnh")
        verbose_name_plural = _("đồng ý đăng ảnh")

    def __str__(self) -> str:
        return str(self.student)
