"""The e-office (Decree 30/2020): outgoing documents, their distribution, incoming registration, handling.

- `Document` is what a unit drafts and issues. Its number and notation come from a `NumberCounter` row
  locked in the transaction that issues it (services.numbering), never from a person.
- `Incoming` is one document in one unit's incoming queue: created for every recipient unit when a
  document is issued (so the sender sees each recipient's state from it), or registered by hand from a
  paper, e-mailed or edXML document of an outside issuer. It carries the arrival number, the leader's
  assignment and the reply, i.e. it is a line of the incoming and the follow-up registers.
- Nothing registered is deleted: a document is recalled or superseded, an incoming one cancelled.

Full-text search: `search_text` holds the folded text (rules.text.fold); on PostgreSQL, triggers keep a
narrow side table `office_search` (id, issuer, issued, tsvector with a GIN index; migration 0004), on
SQLite an FTS5 table (0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile
from rules import documents as doc_rules

DOC_TYPE_CHOICES = [(code, name) for code, (name, _abbr) in doc_rules.DOC_TYPES.items()]


class Urgency(models.TextChoices):
    NORMAL = "thuong", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    EXPRESS = "hoa_toc", _("Hỏa tốc")


class NumberingScheme(models.TextChoices):
    SHARED = doc_rules.SERIES_SHARED, _("Một hệ thống số chung cho mọi loại văn bản")
    PER_TYPE = doc_rules.SERIES_PER_TYPE, _("Mỗi loại văn bản một hệ thống số")


class OfficeSettings(models.Model):
    """What the head of a unit decided for its documents: abbreviation, numbering scheme, place."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="office_settings")
    abbreviation = models.CharField(_("tên viết tắt của cơ quan"), max_length=32)
    superior_name = models.CharField(_("tên cơ quan chủ quản"), max_length=255, blank=True)
    place = models.CharField(_("địa danh"), max_length=128, default="Thành phố Hồ Chí Minh")
    numbering_scheme = models.CharField(
        _("cách đánh số"), max_length=16, choices=NumberingScheme.choices, default=NumberingScheme.SHARED
    )
    # The 13-character organisation code of the national exchange (000.00.00.G22), when known.
    organ_code = models.CharField(_("mã định danh cơ quan"), max_length=13, blank=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("thiết lập văn thư")
        verbose_name_plural = _("thiết lập văn thư")

    def __str__(self) -> str:
        return f"{self.unit} ({self.abbreviation})"


class NumberCounter(models.Model):
    """The last number given in one series of one unit in one year; locked (SELECT … FOR UPDATE) by the
    transaction that issues, so two documents issued at the same instant never share a number."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=64)
    last = models.PositiveIntegerField(default=0)

    scope = Scope(unit_field="unit")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "series"], name="office_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.series}: {self.last}"


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    REVIEW = "review", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")
    RECALLED = "recalled", _("Đã thu hồi")
    SUPERSEDED = "superseded", _("Đã được thay thế")


class Document(models.Model):
    """An outgoing official document of a unit, from draft to issue (and recall or replacement)."""

    issuer = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    # The issuer's path, kept here so that a search limits to a subtree without a join.
    issuer_path = models.CharField(max_length=255, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=8, choices=DOC_TYPE_CHOICES)
    summary = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    is_secret = models.BooleanField(_("văn bản mật"), default=False)
    # A council, board or team issuing in its own name with the unit's seal (its own series).
    board = models.CharField(_("hội đồng/ban ban hành"), max_length=64, blank=True)
    drafting_abbr = models.CharField(_("đơn vị soạn thảo (viết tắt)"), max_length=32, blank=True)
    recipients = models.ManyToManyField(Unit, verbose_name=_("nơi nhận"), related_name="+", blank=True)
    # Recipients outside the platform, as printed under "Nơi nhận" (one a line).
    other_recipients = models.TextField(_("nơi nhận khác"), blank=True)
    file_unit = models.CharField(_("đơn vị lưu"), max_length=32, blank=True, default="VT")
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    due_date = models.DateField(_("hạn trả lời"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DocStatus.choices, default=DocStatus.DRAFT
    )

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=255, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=128, blank=True)
    # TM., KT., TL., TUQ., Q. or "" when the head signs in their own right.
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=64, blank=True)

    year = models.PositiveSmallIntegerField(null=True, blank=True)
    series = models.CharField(max_length=64, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    notation = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The organisation's digital signature step: when it was applied and the fingerprint of what it covers.
    org_signed_at = models.DateTimeField(null=True, blank=True)
    org_signature = models.CharField(max_length=64, blank=True)

    # A replacement (content error) names the document it replaces; a correcting letter (format error)
    # names the one it corrects. The reply to an incoming document names it (`answers`).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    answers = models.ForeignKey(
        "Incoming", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    recalled_at = models.DateTimeField(null=True, blank=True)
    recall_reason = models.CharField(max_length=500, blank=True)

    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="issuer")

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "series", "number"],
                condition=Q(number__isnull=False),
                name="office_document_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["issuer", "status"], name="office_doc_issuer_status"),
            # Read by prefix (a unit and its subtree), which a pattern index serves on any collation.
            models.Index(
                fields=["issuer_path"], name="office_doc_issuer_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.notation or f"{self.get_doc_type_display()}: {self.summary[:60]}"

    @property
    def is_urgent(self) -> bool:
        return self.urgency in doc_rules.URGENT

    @property
    def type_name(self) -> str:
        return doc_rules.type_name(self.doc_type)

    @property
    def is_letter(self) -> bool:
        return self.doc_type in doc_rules.LETTER_TYPES


class Source(models.TextChoices):
    INTERNAL = "internal", _("Trong hệ thống")
    PAPER = "paper", _("Văn bản giấy")
    EMAIL = "email", _("Thư điện tử")
    EDXML = "edxml", _("Gói tin liên thông (edXML)")


class InStatus(models.TextChoices):
    PENDING = "pending", _("Chờ vào sổ")
    REGISTERED = "registered", _("Đã vào sổ")
    READ = "read", _("Đã xem")
    HANDLING = "handling", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy (thu hồi)")


class Incoming(models.Model):
    """One document in one unit's incoming queue; a line of its incoming and follow-up registers."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị nhận"), on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices, default=Source.INTERNAL)
    # What the register shows of the document, copied at delivery (or typed for an outside one).
    sender_name = models.CharField(_("cơ quan gửi"), max_length=255)
    sender_code = models.CharField(_("mã cơ quan gửi"), max_length=32, blank=True)
    notation = models.CharField(_("số, ký hiệu"), max_length=64)
    doc_date = models.DateField(_("ngày văn bản"))
    doc_type = models.CharField(_("loại văn bản"), max_length=8, choices=DOC_TYPE_CHOICES)
    summary = models.CharField(_("trích yếu"), max_length=500)
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    body = models.TextField(_("nội dung"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=InStatus.choices, default=InStatus.PENDING
    )
    received_at = models.DateTimeField(_("ngày nhận"), default=timezone.now)
    arrival_year = models.PositiveSmallIntegerField(null=True, blank=True)
    arrival_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    registered_at = models.DateTimeField(_("ngày vào sổ"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("ngày xem"), null=True, blank=True)
    # The leader's assignment: a lead unit or person, supporters, a deadline.
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người phối hợp"), related_name="+", blank=True
    )
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The sender was told that it arrived (receipt confirmed, Art. 20): the same instant as registration.
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last day an overdue warning went out, so that the daily check warns once a day.
    overdue_warned_on = models.DateField(null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "document"],
                condition=Q(document__isnull=False),
                name="office_incoming_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["unit", "arrival_year", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="office_arrival_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="office_in_unit_status"),
            models.Index(fields=["document", "unit"], name="office_in_document"),
        ]

    def __str__(self) -> str:
        return f"{self.notation} — {self.summary[:60]}"

    @property
    def is_urgent(self) -> bool:
        return self.urgency in doc_rules.URGENT

    @property
    def type_name(self) -> str:
        return doc_rules.type_name(self.doc_type)

    @property
    def is_overdue(self) -> bool:
        open_ = self.status not in (InStatus.ANSWERED, InStatus.DONE, InStatus.CANCELLED)
        return bool(self.deadline and open_ and self.deadline < timezone.localdate())


class HandlingNote(models.Model):
    """A handler's note on an incoming document (progress, a draft's text)."""

    incoming = models.ForeignKey(Incoming, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ghi chú"))
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="incoming__unit")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(StoredFile):
    """A file of a document (its signed main file or an attachment) or of an outside incoming one."""

    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    incoming = models.ForeignKey(
        Incoming, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(unit_field="document__issuer", also_unit_fields=("incoming__unit",))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | Q(incoming__isnull=False),
                name="office_attachment_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name
