"""The API of dated changes and corrections: cancel a scheduled change, correct a wrong status line,
correct the personal identifier. Same services as the screens, so the same checks and audit lines."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.types import Id, Name255, PersonalId
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404

from .. import services
from ..models import ScheduledChange
from .common import WRITE, WRITE_ERRORS, Strict
from .students import StudentDetailOut, _student, _student_detail

router = Router(tags=["students"])

_Reason = Field(description="Lí do (bắt buộc, không để trống), ghi vào nhật ký hệ thống.")


class ReasonIn(Strict):
    reason: Name255 = _Reason


@router.post(
    "/students/{student_id}/scheduled-changes/{change_id}/cancel",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    summary="Hủy thay đổi đã lên lịch (trước ngày có hiệu lực)",
)
def scheduled_change_cancel(
    request: HttpRequest, student_id: Id, change_id: Id, body: ReasonIn
) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    change = get_scoped_or_404(
        ScheduledChange.objects.select_related("transfer"),
        request.user,
        Perm.CHANGE_STUDENT,
        pk=change_id,
        student_id=student.pk,
    )
    services.scheduled_change_cancel(actor=request.user, change=change, reason=body.reason)
    return _student_detail(request.user, _student(request, student_id))


@router.post(
    "/students/{student_id}/status/correct",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    summary="Sửa trạng thái nhập sai (khôi phục trạng thái trước đó)",
    description="Hiệu trưởng hoặc chuyên viên Phòng/Sở; người khác nhận 403.",
)
def student_status_correct(request: HttpRequest, student_id: Id, body: ReasonIn) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    services.student_status_correct(actor=request.user, student=student, reason=body.reason)
    return _student_detail(request.user, _student(request, student_id))


class PersonalIdIn(Strict):
    personal_id: PersonalId
    reason: Name255 = _Reason


@router.post(
    "/students/{student_id}/personal-id",
    response={200: StudentDetailOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    summary="Sửa số định danh cá nhân (giữ lịch sử số cũ)",
    description="Hiệu trưởng hoặc chuyên viên Phòng/Sở; người khác nhận 403.",
)
def student_personal_id_correct(request: HttpRequest, student_id: Id, body: PersonalIdIn) -> dict[str, Any]:
    student = _student(request, student_id, Perm.CHANGE_STUDENT)
    services.student_personal_id_correct(
        actor=request.user, student=student, personal_id=body.personal_id, reason=body.reason
    )
    return _student_detail(request.user, _student(request, student_id))
