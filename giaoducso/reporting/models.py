"""Reporting: forms the department builds, campaigns that send them to schools, the schools' submissions,
reminders; and each school's IT asset inventory with the checks of its websites.

A form's schema and a submission's answers are JSON (their rules: `rules.report_forms`). A campaign uses one
frozen version of a form, so answers always match the schema they were given against. Every submission
row exists from the moment a campaign is sent (status "not started"), so the board counts rows, never
infers absences.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile


class ReportForm(models.Model):
    owner = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tên biểu mẫu"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="owner")

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    """One version of a form's schema. Frozen once a campaign uses it; a change then makes a new version."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    schema = models.JSONField(default=dict)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="form__owner")

    class Meta:
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="rep_version_unique")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class CampaignKind(models.TextChoices):
    GENERAL = "general", _("Báo cáo chung")
    IT_PLAN = "it_plan", _("Kế hoạch CNTT của trường")
    MID_YEAR = "mid_year", _("Báo cáo sơ kết học kì I")
    YEAR_END = "year_end", _("Báo cáo tổng kết năm học")


class Campaign(models.Model):
    owner = models.ForeignKey(Unit, verbose_name=_("đơn vị gửi"), on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("tên đợt báo cáo"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.GENERAL
    )
    opens_on = models.DateField(_("ngày mở"))
    deadline = models.DateField(_("hạn nộp"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The department that sent it, and each school it was sent to.
    scope = Scope(unit_field="owner", also_unit_fields=("submissions__school",), distinct=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa nhập")
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại")
    ACCEPTED = "accepted", _("Đã duyệt")


DONE_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class Submission(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.NOT_STARTED
    )
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    late = models.BooleanField(_("nộp muộn"), default=False)
    # The department's exception to the deadline lock: the school may still write until this day.
    extended_until = models.DateField(_("được gia hạn đến"), null=True, blank=True)
    review_comment = models.TextField(_("nhận xét"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("điểm đánh giá"), max_digits=5, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", also_unit_fields=("campaign__owner",))

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["campaign", "school__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="rep_submission_unique")]
        indexes = [models.Index(fields=["campaign", "status"], name="rep_submission_status")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.school}"


class SubmissionFile(StoredFile):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(max_length=40)

    scope = Scope(unit_field="submission__school", also_unit_fields=("submission__campaign__owner",))

    def __str__(self) -> str:
        return self.name


class ReminderPoint(models.TextChoices):
    BEFORE_3 = "d3", _("3 ngày trước hạn")
    BEFORE_1 = "d1", _("1 ngày trước hạn")
    LATE = "late", _("Quá hạn (báo hiệu trưởng)")


class Reminder(models.Model):
    """A reminder sent: the unique row is what makes each point go once per school, however often the
    scheduler runs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(max_length=8, choices=ReminderPoint.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    scope = Scope(unit_field="school", also_unit_fields=("campaign__owner",))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school", "point"], name="rep_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.school_id}/{self.point}"


# --- the IT asset inventory ----------------------------------------------------------------------------


class AssetProfile(models.Model):
    """What a school has once: its network and the people in charge of IT."""

    school = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="asset_profile")
    network_provider = models.CharField(_("nhà cung cấp mạng"), max_length=120, blank=True)
    has_fibre = models.BooleanField(_("có cáp quang"), default=False)
    bandwidth_mbps = models.PositiveIntegerField(_("băng thông (Mbps)"), null=True, blank=True)
    it_leader_name = models.CharField(_("lãnh đạo phụ trách CNTT"), max_length=255, blank=True)
    it_staff_name = models.CharField(_("nhân viên phụ trách CNTT"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school")

    def __str__(self) -> str:
        return str(self.school)


class ComputerKind(models.TextChoices):
    DESKTOP = "desktop", _("Máy để bàn")
    LAPTOP = "laptop", _("Máy xách tay")
    SERVER = "server", _("Máy chủ")
    TABLET = "tablet", _("Máy tính bảng")


class AssetCondition(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Dùng được")
    BROKEN = "broken", _("Hỏng")


class Computer(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại máy"), max_length=16, choices=ComputerKind.choices)
    specification = models.CharField(_("cấu hình"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("năm trang bị"), null=True, blank=True)
    condition = models.CharField(_("tình trạng"), max_length=16, choices=AssetCondition.choices)
    room = models.CharField(_("phòng"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)

    scope = Scope(unit_field="school")

    class Meta:
        ordering = ["school", "room", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.specification}".strip()


class CameraSystem(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("vị trí"), max_length=128)
    count = models.PositiveIntegerField(_("số camera"))
    resolution_mp = models.DecimalField(_("độ phân giải (MP)"), max_digits=4, decimal_places=1)
    storage_days = models.PositiveIntegerField(_("số ngày lưu trữ"))

    scope = Scope(unit_field="school")

    class Meta:
        ordering = ["school", "location", "pk"]

    def __str__(self) -> str:
        return self.location


class CameraStandard(models.Model):
    """The city's technical standard for school cameras, as the department edits it (the nearest unit up
    the tree that holds one applies)."""

    owner = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="+")
    min_resolution_mp = models.DecimalField(_("độ phân giải tối thiểu (MP)"), max_digits=4, decimal_places=1)
    min_storage_days = models.PositiveIntegerField(_("số ngày lưu trữ tối thiểu"))
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)

    scope = Scope(unit_field="owner")

    def __str__(self) -> str:
        return f"{self.min_resolution_mp} MP, {self.min_storage_days}"


class Website(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("địa chỉ website"), max_length=300)
    is_official = models.BooleanField(_("tên miền chính thức của ngành"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_check = models.ForeignKey(
        "SiteCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit_field="school")

    class Meta:
        ordering = ["school", "url"]
        constraints = [models.UniqueConstraint(fields=["school", "url"], name="rep_website_unique")]

    def __str__(self) -> str:
        return self.url


class MailDomain(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("tên miền thư điện tử"), max_length=253)
    is_official = models.BooleanField(_("tên miền chính thức của ngành"), default=False)

    scope = Scope(unit_field="school")

    class Meta:
        ordering = ["school", "domain"]
        constraints = [models.UniqueConstraint(fields=["school", "domain"], name="rep_maildomain_unique")]

    def __str__(self) -> str:
        return self.domain


class SiteCheck(models.Model):
    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=timezone.now)
    valid = models.BooleanField(default=False)
    not_after = models.DateTimeField(null=True, blank=True)
    days_to_expiry = models.IntegerField(null=True, blank=True)
    host_match = models.BooleanField(null=True)
    chain_ok = models.BooleanField(null=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    scope = Scope(unit_field="website__school")

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["website", "-checked_at"], name="rep_sitecheck_latest")]

    def __str__(self) -> str:
        return f"{self.website_id} {self.checked_at:%Y-%m-%d}"


class ExpiryWarning(models.Model):
    """One warning per certificate and point (30 or 7 days): the unique row keeps a second run quiet."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="+")
    not_after = models.DateTimeField()
    days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="website__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["website", "not_after", "days"], name="rep_expiry_warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.website_id} {self.days}"


# --- the yearly IT plan cycle ----------------------------------------------------------------------------


class PlanCycle(models.Model):
    """A school year's IT plan cycle of a department: its three campaigns (the schools' IT plans, the
    mid-year report, the year-end report) and the department's evaluation of each school."""

    owner = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year_name = models.CharField(_("năm học"), max_length=9)
    plan = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="+")
    mid_year = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="+")
    year_end = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="owner")

    class Meta:
        verbose_name = _("kế hoạch CNTT năm học")
        verbose_name_plural = _("kế hoạch CNTT năm học")
        ordering = ["-year_name"]
        constraints = [models.UniqueConstraint(fields=["owner", "year_name"], name="rep_cycle_unique")]

    def __str__(self) -> str:
        return f"{self.owner} {self.year_name}"

    def campaigns(self) -> list[Campaign]:
        return [self.plan, self.mid_year, self.year_end]


# --- checklists: the digital-transformation index and the IT-application model ------------------------------


class ChecklistKind(models.TextChoices):
    DT_INDEX = "dt_index", _("Bộ chỉ số chuyển đổi số (QĐ 4725/QĐ-BGDĐT)")
    IT_MODEL = "it_model", _("Mô hình ứng dụng CNTT (mức cơ bản, nâng cao)")


class Checklist(models.Model):
    """One version of a checklist (groups, criteria, points, thresholds, mandatory flags), as the
    department edits it; frozen once a school assesses against it."""

    owner = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=16, choices=ChecklistKind.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    data = models.JSONField(default=dict)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(unit_field="owner")

    class Meta:
        ordering = ["owner", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "version"], name="rep_checklist_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Assessment(models.Model):
    """A school's self-assessment against one checklist version for a school year, and its review."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="assessments")
    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    year_name = models.CharField(_("năm học"), max_length=9)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    answers = models.JSONField(default=dict)
    review_comment = models.TextField(_("nhận xét"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", also_unit_fields=("checklist__owner",))

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "school", "year_name"], name="rep_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year_name}"
