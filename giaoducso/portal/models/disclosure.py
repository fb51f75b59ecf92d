"""The legal public disclosure (Circular 09/2024/TT-BGDĐT): what must be published is data, per regulation
and school level; each school keeps a working copy of each item and publishes numbered versions. A version
freezes what it showed: the text, the document, and the figures read from the live database at that moment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile


class DisclosureKind(models.TextChoices):
    TEXT = "text", _("Nội dung soạn trên trang")
    DOCUMENT = "document", _("Văn bản đính kèm")
    LIVE = "live", _("Số liệu lấy từ cơ sở dữ liệu")


class LiveSource(models.TextChoices):
    STAFF = "staff", _("Đội ngũ theo vị trí việc làm và trình độ")
    CLASSES = "classes", _("Số lớp và học sinh theo khối")
    FACILITIES = "facilities", _("Phòng học, diện tích và bình quân m²/học sinh")
    EQUIPMENT = "equipment", _("Thiết bị dạy học")
    RESULTS = "results", _("Kết quả năm học trước theo khối")


class Requirement(models.Model):
    """One item a school must publish. The catalogue is the same for every school (not a tenant table);
    `levels` narrows it to some school levels. Items not confirmed from the text stay editable by the
    department; confirmed ones change only by a migration."""

    code = models.SlugField(_("mã mục"), max_length=60, unique=True)
    regulation = models.CharField(_("văn bản"), max_length=64, default="09/2024/TT-BGDĐT")
    article = models.CharField(_("điều, khoản"), max_length=64)
    title = models.CharField(_("tên mục"), max_length=255)
    description = models.TextField(_("nội dung cần công khai"), blank=True)
    levels = models.JSONField(_("cấp học áp dụng"), default=list, blank=True)  # empty: every level
    kind = models.CharField(_("hình thức"), max_length=16, choices=DisclosureKind.choices)
    source = models.CharField(_("nguồn số liệu"), max_length=16, choices=LiveSource.choices, blank=True)
    # Parameters of a live item, e.g. the minimum m² per pupil by level; editable where not confirmed.
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=True)
    due_month = models.PositiveSmallIntegerField(_("hạn công khai: tháng"), default=6)
    due_day = models.PositiveSmallIntegerField(_("hạn công khai: ngày"), default=30)
    update_working_days = models.PositiveSmallIntegerField(_("cập nhật trong (ngày làm việc)"), default=10)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("mục công khai bắt buộc")
        verbose_name_plural = _("mục công khai bắt buộc")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.article} — {self.title}"

    def applies_to(self, level: str) -> bool:
        return not self.levels or level in self.levels


class DisclosureDocument(StoredFile):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("văn bản công khai")
        verbose_name_plural = _("văn bản công khai")


class DisclosureDraft(models.Model):
    """The school's working copy of one item; the public never sees it, only its published versions."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"), blank=True)
    document = models.ForeignKey(
        DisclosureDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The day a change was made or found (the live figures differ from the last version): the update is
    # due within the requirement's working days of it. Cleared by publishing.
    changed_on = models.DateField(_("thay đổi ngày"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "requirement"], name="portal_draft_unique")]

    def __str__(self) -> str:
        return f"{self.requirement_id} @ {self.school_id}"


class DisclosureVersion(models.Model):
    """A published version, kept for good (at least five years by the circular; nothing deletes them)."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    published_at = models.DateTimeField(_("công khai lúc"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("nội dung"), blank=True)
    # The live figures as they were at publication: a copy, never recomputed.
    data = models.JSONField(_("số liệu"), default=dict, blank=True)
    document = models.ForeignKey(
        DisclosureDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("phiên bản công khai")
        verbose_name_plural = _("phiên bản công khai")
        ordering = ["school_id", "requirement_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "requirement", "number"], name="portal_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.requirement.title} #{self.number}"
