"""Admission to grades 1 and 6 and preschool intake (kì tuyển sinh đầu cấp).

A `Campaign` belongs to the department that runs it (its unit: a Phòng, a Sở or a ward after the 2025
reform) and holds its schools and seats, the area rule, the priority groups in order (data, not code: two
groups in 2025–2026, three from 2026–2027), the number of choices, the timetable and what happens to a seat
not confirmed. An `Application` is one child's file in one campaign; it is verified by the school of its
first choice, which is its `school` (the unit scoping keys on); the department sees every application of
its campaigns and the assigned school sees who was placed there.

`PublishedResult` is what result day reads: one row per application, keyed by a keyed hash of the
application code and the date of birth, holding the answer already rendered. A lookup is one indexed query
on that key, and a wrong date of birth is simply a key that is not there: the lookup never learns whether
the code exists (see lookup.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile
from giaoducso.directory.models import Student


class EntryGrade(models.IntegerChoices):
    PRESCHOOL = 0, _("Mầm non (trẻ vào trường)")
    GRADE_1 = 1, _("Lớp 1")
    GRADE_6 = 6, _("Lớp 6")


class CampaignKind(models.TextChoices):
    GENERAL = "general", _("Tuyển sinh chung")
    # Integrated programmes, aptitude-survey schools: their own registration and timetable; whoever they
    # do not admit is placed by the general campaign they name.
    SPECIAL = "special", _("Chương trình/trường đặc thù (tích hợp, khảo sát năng lực)")


class AreaRule(models.TextChoices):
    WARD = "ward", _("Theo phường/xã của trường")
    DISTANCE = "distance", _("Theo khoảng cách từ nơi ở đến trường")


class UnconfirmedPolicy(models.TextChoices):
    RELEASE = "release", _("Thu hồi chỗ và xét tiếp cho học sinh khác")
    KEEP = "keep", _("Giữ chỗ cho học sinh")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    OPEN = "open", _("Đang nhận hồ sơ")
    ASSIGNED = "assigned", _("Đã phân tuyến")
    PUBLISHED = "published", _("Đã công bố kết quả")
    CLOSED = "closed", _("Đã kết thúc")


# The conditions a priority group may use; the groups and their order are the campaign's data.
class GroupRule(models.TextChoices):
    IN_AREA = "in_area", _("Cư trú trong địa bàn của trường")
    IN_AREA_COMPLETED = "in_area_completed", _("Cư trú trong địa bàn và đã hoàn thành cấp học trước")
    LOCAL_PRIORITY = "local_priority", _("Có diện ưu tiên của địa phương (đã được trường xác minh)")
    ANY = "any", _("Các trường hợp còn lại")


class Campaign(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="admission_campaigns"
    )
    name = models.CharField(_("tên kì tuyển sinh"), max_length=200)
    school_year = models.CharField(_("năm học"), max_length=9)
    entry_grade = models.PositiveSmallIntegerField(_("khối tuyển sinh"), choices=EntryGrade.choices)
    kind = models.CharField(
        _("loại"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.GENERAL
    )
    general_campaign = models.ForeignKey(
        "self",
        verbose_name=_("kì tuyển sinh chung xét tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="special_campaigns",
    )
    area_rule = models.CharField(_("cách xác định địa bàn"), max_length=16, choices=AreaRule.choices)
    radius_km = models.DecimalField(
        _("bán kính địa bàn (km)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    residence_only = models.BooleanField(
        _("chỉ xét theo nơi cư trú (một nguyện vọng, không đủ chỗ thì xếp trường gần nhất còn chỗ)"),
        default=False,
    )
    choices_allowed = models.PositiveSmallIntegerField(_("số nguyện vọng"), default=3)
    # [{"code": "1", "label": "…", "rule": GroupRule}], first = highest priority.
    groups = models.JSONField(_("nhóm ưu tiên (theo thứ tự)"), default=list)
    review_end = models.DateField(_("hạn rà soát dữ liệu"))
    apply_start = models.DateField(_("bắt đầu nhận hồ sơ"))
    apply_end = models.DateField(_("kết thúc nhận hồ sơ"))
    verify_end = models.DateField(_("hạn xác minh hồ sơ"))
    publish_date = models.DateField(_("ngày công bố kết quả"))
    confirm_deadline = models.DateField(_("hạn xác nhận nhập học"))
    unconfirmed_policy = models.CharField(
        _("chỗ không xác nhận"),
        max_length=16,
        choices=UnconfirmedPolicy.choices,
        default=UnconfirmedPolicy.RELEASE,
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    # The published random seed of the tie-break: set when the assignment runs, never changed after.
    seed = models.CharField(_("hạt giống ngẫu nhiên"), max_length=64, blank=True)
    assigned_at = models.DateTimeField(_("phân tuyến lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("kì tuyển sinh")
        verbose_name_plural = _("kì tuyển sinh")
        ordering = ["-apply_start", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignSchool(models.Model):
    """A participating school, its seats and its area."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField(_("chỉ tiêu"))
    # Codes of the ward units that form the school's area (ward rule).
    wards = models.JSONField(_("phường/xã thuộc địa bàn"), default=list, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)

    scope = Scope(unit_field="campaign__unit", also_unit_fields=("school",))

    class Meta:
        verbose_name = _("trường tham gia tuyển sinh")
        verbose_name_plural = _("trường tham gia tuyển sinh")
        ordering = ["campaign_id", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="adm_school_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} ({self.seats})"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ xác minh")
    VERIFIED = "verified", _("Đã xác minh")
    REFUSED = "refused", _("Hồ sơ bị từ chối")
    ASSIGNED = "assigned", _("Trúng tuyển")
    UNASSIGNED = "unassigned", _("Chưa được xếp trường")
    CONFIRMED = "confirmed", _("Đã xác nhận nhập học")
    RELEASED = "released", _("Không xác nhận đúng hạn, đã thu hồi chỗ")
    ENROLLED = "enrolled", _("Đã nhập học (có hồ sơ học sinh của trường)")


class Application(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    code = models.CharField(_("mã hồ sơ"), max_length=20, unique=True)
    # The school that verifies the file: the first choice.
    school = models.ForeignKey(
        Unit, verbose_name=_("trường xác minh"), on_delete=models.PROTECT, related_name="+"
    )
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    date_of_birth = models.DateField(_("ngày sinh"))
    full_name = models.CharField(_("họ và tên"), max_length=255)
    sex = models.CharField(_("giới tính"), max_length=1)
    # The child's record in the shared database when there is one (grade 6: the primary-school record).
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="admission_applications"
    )
    previous_school = models.ForeignKey(
        Unit,
        verbose_name=_("trường đang học"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_previous_level = models.BooleanField(_("đã hoàn thành cấp học trước"), default=False)
    address = models.CharField(_("nơi cư trú hiện tại"), max_length=255)
    ward = models.ForeignKey(
        Unit,
        verbose_name=_("phường/xã cư trú"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.FloatField(_("vĩ độ nơi ở"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ nơi ở"), null=True, blank=True)
    local_priority = models.CharField(_("diện ưu tiên của địa phương"), max_length=255, blank=True)
    local_priority_verified = models.BooleanField(_("diện ưu tiên đã xác minh"), default=False)
    guardian_name = models.CharField(_("họ tên cha mẹ/người giám hộ"), max_length=255)
    guardian_phone = models.CharField(_("điện thoại liên hệ"), max_length=20)
    data_confirmed = models.BooleanField(_("cha mẹ xác nhận dữ liệu đúng"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    refusal_reason = models.CharField(_("lí do từ chối"), max_length=500, blank=True)
    assigned_school = models.ForeignKey(
        Unit,
        verbose_name=_("trường trúng tuyển"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_rank = models.PositiveSmallIntegerField(_("trúng tuyển nguyện vọng"), null=True, blank=True)
    # The pseudonym under which the application appears in the published inputs of the assignment.
    anonymous_id = models.CharField(max_length=24, blank=True, db_index=True)
    # The last day to confirm the seat: the campaign's deadline, or a later one for a seat offered on.
    confirm_by = models.DateField(_("hạn xác nhận nhập học"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận nhập học lúc"), null=True, blank=True)
    enrolled_student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", also_unit_fields=("campaign__unit", "assigned_school"))

    class Meta:
        verbose_name = _("hồ sơ tuyển sinh")
        verbose_name_plural = _("hồ sơ tuyển sinh")
        ordering = ["campaign_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "personal_id"],
                name="adm_one_application_per_child",
                violation_error_message=_("Trẻ này đã có hồ sơ trong kì tuyển sinh."),
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="adm_app_campaign_status")]

    def __str__(self) -> str:
        return f"{self.code} — {self.full_name}"


class Choice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("nguyện vọng"))
    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")

    scope = Scope(unit_field="application__school", also_unit_fields=("application__campaign__unit",))

    class Meta:
        verbose_name = _("nguyện vọng")
        verbose_name_plural = _("nguyện vọng")
        ordering = ["application_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="adm_choice_rank_once"),
            models.UniqueConstraint(fields=["application", "school"], name="adm_choice_school_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.school}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác minh")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    REFUSED = "refused", _("Đã từ chối")
    # Not decided when the run starts: the rules say data not confirmed by the review deadline is used as
    # it stands, so the run uses the record unchanged and says so here rather than waiting for the school.
    LAPSED = "lapsed", _("Hết hạn xác minh, dùng dữ liệu như hiện có")


class Correction(models.Model):
    """A parent's request to correct what the database holds, with a proof; the school decides."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("thông tin cần sửa"), max_length=32)
    value = models.CharField(_("thông tin đúng"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    reason = models.CharField(_("lí do từ chối"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit_field="application__school", also_unit_fields=("application__campaign__unit",))

    class Meta:
        verbose_name = _("đề nghị sửa thông tin")
        verbose_name_plural = _("đề nghị sửa thông tin")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.field} → {self.value}"


class Proof(StoredFile):
    """A birth certificate image, a residence proof: checked by content through core.uploads."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="proofs")

    scope = Scope(
        unit_field="correction__application__school",
        also_unit_fields=("correction__application__campaign__unit",),
    )

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.name


class AssignmentRun(models.Model):
    """One run of the assignment: its inputs exactly as published (anonymised), the seed and the digest of
    the result, so that anyone can re-run it and compare."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    seed = models.CharField(max_length=64)
    inputs = models.TextField()  # JSON, see assignment.inputs_document
    inputs_sha256 = models.CharField(max_length=64)
    result_sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    ran_at = models.DateTimeField(auto_now_add=True)
    ran_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit_field="campaign__unit")

    class Meta:
        verbose_name = _("lần phân tuyến")
        verbose_name_plural = _("lần phân tuyến")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.campaign_id} / {self.seed}"


class PublishedResult(models.Model):
    """Result day's table: the answer for (code, date of birth), found by a keyed hash of both."""

    key = models.CharField(max_length=64, primary_key=True)
    campaign_id = models.BigIntegerField(db_index=True)
    application_id = models.BigIntegerField(unique=True)
    answer = models.TextField()  # JSON, rendered at publication

    class Meta:
        verbose_name = _("kết quả đã công bố")
        verbose_name_plural = _("kết quả đã công bố")

    def __str__(self) -> str:
        return f"{self.campaign_id} / {self.application_id}"
