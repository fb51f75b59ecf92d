"""Administrative procedures: a catalogue of what a school or the department handles, and the requests
citizens send online, followed by a tracking code without an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.scoping import Scope
from giaoducso.core.uploads import StoredFile


class HandledBy(models.TextChoices):
    SCHOOL = "school", _("Trường")
    DEPARTMENT = "department", _("Phòng/Sở")


class Procedure(models.Model):
    """One procedure of the catalogue (the same for every unit that handles it; not a tenant table)."""

    code = models.SlugField(_("mã thủ tục"), max_length=60, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=255)
    handled_by = models.CharField(_("nơi giải quyết"), max_length=16, choices=HandledBy.choices)
    description = models.TextField(_("mô tả"), blank=True)
    documents_needed = models.TextField(_("hồ sơ cần có"), blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), default=5
    )
    online = models.BooleanField(_("nộp trực tuyến"), default=True)
    needs_student = models.BooleanField(_("cần thông tin học sinh"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ProcedureFile(StoredFile):
    """A blank form to download for a procedure."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="forms")
    title = models.CharField(_("tên mẫu"), max_length=255)

    def __str__(self) -> str:
        return self.title


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    NEEDS_INFO = "needs_info", _("Cần bổ sung")
    DONE = "done", _("Đã giải quyết")
    REFUSED = "refused", _("Từ chối")


CLOSED_STATUSES = frozenset({RequestStatus.DONE, RequestStatus.REFUSED})


class ProcedureRequest(models.Model):
    """A citizen's request, held by the unit that handles it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="requests")
    # Unguessable (50 bits of randomness): the code is the citizen's only key to the request.
    tracking_code = models.CharField(_("mã hồ sơ"), max_length=16, unique=True)
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    student_name = models.CharField(_("họ tên học sinh"), max_length=255, blank=True)
    student_class = models.CharField(_("lớp"), max_length=32, blank=True)
    details = models.TextField(_("nội dung đề nghị"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now)
    due_on = models.DateField(_("hạn giải quyết"))
    answer = models.TextField(_("trả lời"), blank=True)
    answer_document = models.ForeignKey(
        "RequestFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("hồ sơ thủ tục")
        verbose_name_plural = _("hồ sơ thủ tục")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.tracking_code} — {self.procedure.name}"


class RequestFile(StoredFile):
    request = models.ForeignKey(ProcedureRequest, on_delete=models.CASCADE, related_name="files")
    from_applicant = models.BooleanField(default=True)

    scope = Scope(unit_field="request__unit")
