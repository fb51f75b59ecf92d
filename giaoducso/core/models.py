import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .scoping import Scope

# Width of one id segment in a unit's materialised path. 10 digits hold 10^10 units; fixed width keeps
# lexical order equal to tree order and lets a subtree be one indexed prefix query on any database.
PATH_SEGMENT = 10


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    PROVINCE_DEPARTMENT = "province_department", _("Sở Giáo dục và Đào tạo")
    DISTRICT_DEPARTMENT = "district_department", _("Phòng Giáo dục và Đào tạo")
    WARD = "ward", _("Phường/Xã")
    SCHOOL = "school", _("Trường")
    SCHOOL_GROUP = "school_group", _("Tổ chuyên môn/Bộ phận")


class Unit(models.Model):
    """A node of the organisation tree (đơn vị). The tree is data: any shape of parents is allowed."""

    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    # The name folded (rules.text.fold), so the unit and school lists match "truong thcs" like the search
    # page does (core.text_match); set by unit_create and unit_update.
    search_name = models.CharField(max_length=255, editable=False, default="")
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    # Materialised path: the zero-padded ids from the root down to this unit, e.g. "0000000001/0000000007/".
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A membership on a unit sees that unit's subtree.
    scope = Scope(unit_field="")

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="core_unit_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == UnitKind.SCHOOL

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and all its ancestors, root first."""
        step = PATH_SEGMENT + 1
        return [self.path[: i + step] for i in range(0, len(self.path), step)]


class User(AbstractUser):
    """A person or system that signs in. Names are stored whole, as Vietnamese names are written."""

    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    # The name folded (rules.text.fold) for the account lists' filter (core.text_match); set by user_create
    # and user_update. A trigram index serves it on PostgreSQL (migration 0005).
    search_name = models.CharField(max_length=255, editable=False, default="")
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")
    # Set when someone else chose the password (an IT officer's reset, a parent's letter): the account
    # reaches nothing but the password page until its owner picks their own (MustChangePasswordMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    objects = UserManager()
    # A membership sees the users who hold a role somewhere in its subtree.
    scope = Scope(unit_field="memberships__unit", distinct=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # Login accepts an e-mail address, so a non-empty address must identify one user.
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~models.Q(email=""),
                name="core_user_email_unique_ci",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role held by a user on a unit; it covers the unit's subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=128, blank=True)
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="core_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    VIEW = "view", _("Xem hồ sơ")
    EXPORT = "export", _("Xuất dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    # A lookup by secret-ish facts (identifier + date of birth) that matched nothing: guessing shows here.
    LOOKUP_FAILED = "lookup_failed", _("Tra cứu không khớp")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Append-only: bulk updates and deletes are refused here, and by database triggers below it."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which object, from where, with old → new values."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Kept as text too, so that the line still says who it was if the account is later renamed.
    actor_label = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    # Searched by equality only, which core_audit_object serves: no index of its own (each index is paid
    # for by every line a bulk write adds).
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    # The unit that owns the object; it decides who may read this line.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Read by prefix (a unit and everything under it): one pattern index, see Meta.
    unit_path = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = AuditEntryQuerySet.as_manager()
    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object"),
            models.Index(
                fields=["unit_path"], name="core_audit_unit_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def change_lines(self) -> list[tuple[str, str]]:
        """(field, "old → new") pairs for display; plain values for lines that are not diffs."""
        lines = []
        for key, value in (self.changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                old, new = ("∅" if v is None else str(v) for v in value)
                lines.append((key, f"{old} → {new}"))
            else:
                lines.append((key, str(value)))
        return lines


class Notification(models.Model):
    """An in-app notification for one user."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=64, default="general")
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_unread")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Trong ứng dụng")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationPreference(models.Model):
    """Whether a user wants a kind of notification on a channel. No row means the default (on)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("loại"), max_length=64)
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("nhận"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="core_notifpref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {'on' if self.enabled else 'off'}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Thất bại")


class Job(models.Model):
    """What a person sees of a background task: its progress, message and result."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại công việc"), max_length=64)
    title = models.CharField(_("tên công việc"), max_length=255)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(_("thông điệp"), max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ApiToken(models.Model):
    """A token for another system. Only a hash is stored; the secret is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=128)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=128)
    scopes = models.JSONField(_("phạm vi"), default=list)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    # CIDR ranges ("10.1.2.0/24") the token may be used from; empty = anywhere. A leaked secret is then
    # useless outside the partner's network.
    allowed_ips = models.JSONField(_("địa chỉ được phép"), default=list, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScheduleRun(models.Model):
    """One run of one scheduled entry (core.periodic) in one slot. Claimed before the work starts: the
    unique (name, slot) is what stops two schedulers, or a rerun, from doing a slot's work twice."""

    name = models.CharField(_("việc định kỳ"), max_length=100)
    slot = models.DateTimeField(_("khung giờ"))
    status = models.CharField(_("trạng thái"), max_length=16, default="running")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lần chạy việc định kỳ")
        verbose_name_plural = _("lần chạy việc định kỳ")
        ordering = ["-slot", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="core_schedule_run_once")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
