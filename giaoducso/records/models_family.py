"""The parents' side of the records (the contact book): the homeroom teacher's announcements, the messages
between a family and the homeroom teacher, leave requests, the publication of a term's results, and the
end-of-year step (re-test results entered in summer, the audited rollover to the next school year).

A message thread is one student's: their guardians with an account and their homeroom teacher write in it.
Attachments go through `core.uploads` (checked by content, stored with their fingerprint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Role
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile
from giaoducso.directory.models import SchoolClass, SchoolYear, Student

FAMILY_RELATIONS = {Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"}


class Announcement(models.Model):
    """A homeroom teacher's announcement to the families of their class."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.CASCADE, related_name="announcements"
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("đăng lúc"), auto_now_add=True)

    scope = Scope(
        unit_field="school",
        relations={
            Role.PARENT: "school_class__students__guardians__user",
            Role.STUDENT: "school_class__students__user",
        },
        distinct=True,
    )

    class Meta:
        verbose_name = _("thông báo của lớp")
        verbose_name_plural = _("thông báo của lớp")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One message of a student's thread between their family and their homeroom teacher."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_family = models.BooleanField(_("do gia đình gửi"))
    body = models.TextField(_("nội dung"), max_length=2000)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    scope = Scope(unit_field="school", relations={Role.PARENT: "student__guardians__user"})

    class Meta:
        verbose_name = _("tin nhắn sổ liên lạc")
        verbose_name_plural = _("tin nhắn sổ liên lạc")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["student", "created_at"], name="rec_message_thread")]

    def __str__(self) -> str:
        return f"Tin nhắn #{self.pk} — {self.student}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REFUSED = "refused", _("Không duyệt")


class LeaveSessions(models.TextChoices):
    BOTH = "both", _("Cả ngày")
    MORNING = "am", _("Buổi sáng")
    AFTERNOON = "pm", _("Buổi chiều")


class LeaveRequest(models.Model):
    """A parent asks leave for their child for some days; the homeroom teacher approves (the sessions
    become excused absences) or refuses (nothing changes)."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    sessions = models.CharField(
        _("buổi"), max_length=4, choices=LeaveSessions.choices, default=LeaveSessions.BOTH
    )
    reason = models.CharField(_("lí do"), max_length=500)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)

    scope = Scope(unit_field="school", relations={Role.PARENT: "student__guardians__user"})

    class Meta:
        verbose_name = _("đơn xin nghỉ học")
        verbose_name_plural = _("đơn xin nghỉ học")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Xin nghỉ #{self.pk} — {self.student}"


class ContactAttachment(StoredFile):
    """A file attached to a message or a leave request (a doctor's note, a photo)."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    leave_request = models.ForeignKey(
        LeaveRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("tệp đính kèm sổ liên lạc")
        verbose_name_plural = _("tệp đính kèm sổ liên lạc")

    def __str__(self) -> str:
        return self.name


class ResultsPublication(models.Model):
    """A term's results of a class made visible to its families (and the families told so)."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("công bố lúc"), auto_now_add=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("công bố kết quả học kì")
        verbose_name_plural = _("công bố kết quả học kì")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "term"], name="rec_publication_unique"),
        ]

    def __str__(self) -> str:
        return f"Công bố HK{self.term} {self.school_class}"


class Retest(models.Model):
    """A summer re-test result (kiểm tra lại) of a secondary subject: it replaces the subject's year
    result when the end-of-year decision is worked out again (a score, or 1 Đạt / 0 Chưa đạt)."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="retests"
    )
    subject = models.ForeignKey("records.Subject", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("điểm"), max_digits=3, decimal_places=1, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("mức"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", relations=FAMILY_RELATIONS)

    class Meta:
        verbose_name = _("kết quả kiểm tra lại")
        verbose_name_plural = _("kết quả kiểm tra lại")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "student", "subject"], name="rec_retest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.student} kiểm tra lại {self.subject}"


class YearEndRun(models.Model):
    """The end-of-year step of one school: the plan previewed (`plan`, JSON) and, once applied, when and by
    whom. Applying a school's year twice finds this row and changes nothing."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    from_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    to_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    plan = models.JSONField(_("kế hoạch"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("thực hiện lúc"), auto_now_add=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("chuyển năm học")
        verbose_name_plural = _("chuyển năm học")
        constraints = [
            models.UniqueConstraint(fields=["school", "from_year"], name="rec_yearend_once"),
        ]

    def __str__(self) -> str:
        return f"Chuyển năm {self.from_year} → {self.to_year} ({self.school})"
