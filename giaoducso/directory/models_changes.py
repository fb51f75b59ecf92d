"""Dated changes waiting for their day, and the history of corrected personal identifiers.

A change dated after today (a status from 01/01/2030, a transfer effective 15/12/2026) is a decision taken
now that acts later: it is kept here as *scheduled*, shown on the student's record and in the API, can be
cancelled until its day, and is carried out on that day by the scheduler (`core.periodic`), which is
audited as the system acting on the decision of the person named in `decided_by`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Role
from giaoducso.core.scoping import Scope


class ChangeKind(models.TextChoices):
    STATUS = "status", _("Đổi trạng thái")
    TRANSFER = "transfer", _("Chuyển trường")


class ChangeState(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    APPLIED = "applied", _("Đã thực hiện")
    CANCELLED = "cancelled", _("Đã hủy")
    # The day came but the change no longer fitted the record (the pupil had left, say): nothing changed.
    FAILED = "failed", _("Không thực hiện được")


class ScheduledChange(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "directory.Student", on_delete=models.CASCADE, related_name="scheduled_changes"
    )
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=ChangeKind.choices)
    status = models.CharField(_("trạng thái mới"), max_length=20, blank=True)
    date = models.DateField(_("ngày có hiệu lực"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    transfer = models.OneToOneField(
        "directory.Transfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scheduled_change",
    )
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=ChangeState.choices, default=ChangeState.SCHEDULED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("kết quả/lí do hủy"), max_length=500, blank=True)

    scope = Scope(
        unit_field="school",
        relations={Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"},
    )

    class Meta:
        verbose_name = _("thay đổi đã lên lịch")
        verbose_name_plural = _("thay đổi đã lên lịch")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["state", "date"], name="dir_change_state_date")]
        constraints = [
            # One decision waits at a time: a second one would be judged against a record not yet true.
            models.UniqueConstraint(
                fields=["student"], condition=models.Q(state="scheduled"), name="dir_one_scheduled_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.get_kind_display()} {self.date:%d/%m/%Y}"

    def get_status_display(self) -> str:
        from .models import StudentStatus

        return str(dict(StudentStatus.choices).get(self.status, self.status))


class PersonalIdChange(models.Model):
    """One correction of a student's personal identifier: the number before and after, who and why.

    The number can be cancelled and re-issued (a corrected sex or birth year, an entry error); the record
    keeps every earlier number here (shared/rules/identifiers.md)."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "directory.Student", on_delete=models.CASCADE, related_name="personal_id_history"
    )
    previous_id = models.CharField(_("số định danh cũ"), max_length=12)
    new_id = models.CharField(_("số định danh mới"), max_length=12)
    reason = models.CharField(_("lí do"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        unit_field="school",
        relations={Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"},
    )

    class Meta:
        verbose_name = _("lịch sử số định danh")
        verbose_name_plural = _("lịch sử số định danh")
        ordering = ["student_id", "-changed_at", "-id"]
        indexes = [models.Index(fields=["previous_id"], name="dir_pid_change_previous")]

    def __str__(self) -> str:
        return f"{self.student}: {self.previous_id} → {self.new_id}"
