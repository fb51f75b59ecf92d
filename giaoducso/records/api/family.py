"""The contact book's API: a family's children and, for one child, the scores as entered, the published
results, attendance, announcements, leave requests and the thread with the homeroom teacher; the homeroom
teacher's side (the class's leave requests, a decision, a reply).

A child is reached by a parent through their guardianship, by a student as themself; the thread and leave
by the parents and the homeroom teacher. Anything else is 404. No answer here holds a rank, a class average
or another student. Writes need a session or a token with `contactbook:write`.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StringConstraints

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.errors import error_response
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.uploads import UploadRefused, file_response
from giaoducso.directory.api.common import Strict
from giaoducso.directory.models import Student

from ..models import LeaveRequest
from ..selectors import family as selectors
from ..services import family as services
from .common import READ, WRITE_ERRORS, ClassId, class_and_access, refusal

router = Router(tags=["records"])

CONTACT = "contactbook:write"
StudentId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của học sinh.")]
LeaveId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của đơn xin nghỉ.")]
AttachmentId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của tệp đính kèm.")]


class ChildOut(Schema):
    id: int
    full_name: str
    class_id: int
    class_name: str
    school: str
    year: str


@router.get(
    "/records/family/children",
    response={200: list[ChildOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các con của cha mẹ (học sinh: chính mình) trong sổ liên lạc",
)
def records_family_children(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "full_name": c.full_name,
            "class_id": c.current_class_id,
            "class_name": c.current_class.name,
            "school": c.school.name,
            "year": c.current_class.year.name,
        }
        for c in selectors.children_for(request.user)[:50]
        if c.current_class is not None
    ]


class ScoreCellOut(Schema):
    label: str = Field(description="TX1…, GK, CK.")
    text: str = Field(description="Điểm hoặc mức như đã nhập (dấu phẩy thập phân).")
    comment: str


class TermScoresOut(Schema):
    label: str
    cells: list[ScoreCellOut]
    average: float | None = Field(description="Điểm trung bình môn của chính học sinh trong học kì.")
    passed: bool | None


class SubjectScoresOut(Schema):
    code: str
    name: str
    terms: list[TermScoresOut]
    year_average: float | None
    comments: list[str]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/records/family/children/{student_id}/scores",
    response={200: list[SubjectScoresOut], **ERRORS},
    auth=auth_for(READ),
    summary="Điểm, mức đánh giá và nhận xét từng môn của con (như đã nhập)",
)
def records_family_scores(request: HttpRequest, student_id: StudentId) -> list[dict[str, Any]]:
    child = selectors.child_or_404(request.user, student_id)
    return [
        {
            "code": s.subject.code,
            "name": s.subject.name,
            "terms": [{**row, "average": _number(row["average"])} for row in s.term_rows],
            "year_average": _number(s.year_average),
            "comments": s.comments,
        }
        for s in selectors.child_scores(child)
    ]


class LevelOut(Schema):
    code: str
    label: str


class TermResultOut(Schema):
    label: str
    learning: LevelOut | None
    conduct: LevelOut | None
    note: str = Field(description="Nhận xét của giáo viên chủ nhiệm.")


class ChildResultsOut(Schema):
    published_terms: list[int]
    terms: list[TermResultOut]
    outcome: LevelOut | None = Field(description="Cuối năm (khi đã công bố học kì II).")
    retests: list[str]
    award: str
    primary_result: LevelOut | None


def _level(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    code = value.value if isinstance(value.value, str) else value.name.lower()
    return {"code": code, "label": str(value.label)}


@router.get(
    "/records/family/children/{student_id}/results",
    response={200: ChildResultsOut, **ERRORS},
    auth=auth_for(READ),
    summary="Kết quả học tập, rèn luyện các học kì đã công bố của con",
)
def records_family_results(request: HttpRequest, student_id: StudentId) -> dict[str, Any]:
    child = selectors.child_or_404(request.user, student_id)
    results = selectors.child_results(request.user, child)
    return {
        "published_terms": results.published,
        "terms": [
            {**row, "learning": _level(row["learning"]), "conduct": _level(row["conduct"])}
            for row in results.term_rows
        ],
        "outcome": _level(results.outcome),
        "retests": results.retests,
        "award": results.award,
        "primary_result": _level(results.primary_result),
    }


class ChildAbsenceOut(Schema):
    date: dt.date
    session: str = Field(description="am: buổi sáng; pm: buổi chiều.")
    excused: bool
    reason: str


@router.get(
    "/records/family/children/{student_id}/attendance",
    response={200: list[ChildAbsenceOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các buổi nghỉ học của con trong năm học",
)
def records_family_attendance(request: HttpRequest, student_id: StudentId) -> Any:
    child = selectors.child_or_404(request.user, student_id)
    return list(selectors.child_absences(child)[:400])


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    created_at: dt.datetime


@router.get(
    "/records/family/children/{student_id}/announcements",
    response={200: list[AnnouncementOut], **ERRORS},
    auth=auth_for(READ),
    summary="Thông báo của giáo viên chủ nhiệm cho lớp của con",
)
def records_family_announcements(request: HttpRequest, student_id: StudentId) -> Any:
    child = selectors.child_or_404(request.user, student_id)
    return list(selectors.class_announcements(child.current_class)[:50])  # type: ignore[arg-type]


# --- messages ----------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="Dung lượng (byte).")
    content_type: str
    url: str = Field(
        description="Tải tệp qua API (cùng quyền như tin nhắn: cha mẹ của học sinh, giáo viên chủ nhiệm)."
    )

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/records/attachments/{obj.pk}"


class MessageOut(Schema):
    id: int
    from_family: bool
    sender: str
    body: str
    created_at: dt.datetime
    read: bool
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_sender(obj: Any) -> str:
        return obj.sender.full_name or obj.sender.username

    @staticmethod
    def resolve_read(obj: Any) -> bool:
        return obj.read_at is not None


class MessageIn(Strict):
    body: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


def _thread_student(request: HttpRequest, student_id: int) -> tuple[Student, bool]:
    """The student whose thread the caller reaches: a parent's child (True), the homeroom teacher's pupil
    (False); 404 otherwise — a student does not read the thread between their parents and the school."""
    student = Student.objects.filter(pk=student_id).select_related("current_class", "school").first()
    if student is None or student.current_class is None:
        raise Http404
    if selectors.is_parent_of(request.user, student):
        return student, True
    if services.is_homeroom_of(request.user, student.current_class):
        return student, False
    raise Http404


@router.get(
    "/records/students/{student_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    auth=auth_for(READ),
    summary="Tin nhắn giữa gia đình và giáo viên chủ nhiệm về một học sinh",
)
def records_messages_list(request: HttpRequest, student_id: StudentId) -> Any:
    student, _family = _thread_student(request, student_id)
    return list(selectors.thread(student)[:500])


@router.post(
    "/records/students/{student_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    auth=auth_for(CONTACT),
    summary="Gửi tin nhắn (cha mẹ hoặc giáo viên chủ nhiệm)",
    description="Từ chối nội dung rỗng, quá dài hoặc có mã HTML (`markup`).",
)
def records_messages_send(request: HttpRequest, student_id: StudentId, body: MessageIn) -> Any:
    student, _family = _thread_student(request, student_id)
    try:
        message = services.message_send(actor=request.user, student=student, body=body.body)
    except ValidationError as error:
        return refusal(error)
    return Status(201, message)


@router.post(
    "/records/students/{student_id}/messages/with-attachments",
    response={201: MessageOut, **WRITE_ERRORS},
    auth=auth_for(CONTACT),
    summary="Gửi tin nhắn kèm tệp (multipart: `body` và 1–3 tệp `attachment`)",
    description=(
        "Tệp được kiểm tra theo nội dung như trên màn hình: PDF, PNG hoặc JPEG, tối đa 5 MB mỗi tệp, tối đa "
        "3 tệp. Từ chối (422, không ghi gì): `wrong_kind`, `too_large`, `empty`, `extension_mismatch`, "
        "`too_many`, nội dung có mã HTML (`markup`)."
    ),
)
def records_messages_send_with_attachments(
    request: HttpRequest,
    student_id: StudentId,
    body: Annotated[str, Form(..., min_length=1, max_length=2000)],
    attachment: Annotated[list[UploadedFile], File(..., description="1–3 tệp PDF, PNG hoặc JPEG.")],
) -> Any:
    student, _family = _thread_student(request, student_id)
    try:
        message = services.message_send(
            actor=request.user, student=student, body=body, attachments=attachment
        )
    except UploadRefused as error:
        text = error.messages[0]
        code = error.error_list[0].code or "invalid_file"
        return error_response(422, code, text, {"attachment": [text]})
    except ValidationError as error:
        return refusal(error)
    return Status(201, message)


@router.get(
    "/records/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    auth=auth_for(READ),
    summary="Tải tệp đính kèm của tin nhắn hoặc đơn xin nghỉ",
    description="Cho cha mẹ của học sinh và giáo viên chủ nhiệm; người khác: 404.",
    openapi_extra={
        "responses": {
            200: {
                "description": "Nội dung tệp (PDF, PNG, JPEG).",
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("application/pdf", "image/png", "image/jpeg")
                },
            }
        }
    },
)
def records_attachment_download(request: HttpRequest, attachment_id: AttachmentId) -> Any:
    return file_response(selectors.attachment_or_404(request.user, attachment_id))


# --- leave requests ----------------------------------------------------------------------------------


class LeaveOut(Schema):
    id: int
    student_id: int
    date_from: dt.date
    date_to: dt.date
    sessions: str = Field(description="both: cả ngày; am: sáng; pm: chiều.")
    reason: str
    status: str = Field(description="pending, approved, refused.")
    decision_note: str


class LeaveIn(Strict):
    date_from: dt.date = Field(description="YYYY-MM-DD")
    date_to: dt.date = Field(description="YYYY-MM-DD")
    sessions: Literal["both", "am", "pm"] = "both"
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


@router.get(
    "/records/family/children/{student_id}/leave-requests",
    response={200: list[LeaveOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các đơn xin nghỉ của con",
)
def records_family_leave_list(request: HttpRequest, student_id: StudentId) -> Any:
    child = selectors.child_or_404(request.user, student_id)
    return list(selectors.child_leave_requests(child)[:200])


@router.post(
    "/records/family/children/{student_id}/leave-requests",
    response={201: LeaveOut, **WRITE_ERRORS},
    auth=auth_for(CONTACT),
    summary="Xin nghỉ học cho con (cha mẹ)",
    description=(
        "Từ chối khoảng ngày ngược (`reversed_range`), quá dài (`too_long`), quá xa (`too_far_ahead`), "
        "ngoài năm học (`outside_year`) hoặc trong học kì đã khoá sổ (`term_locked`)."
    ),
)
def records_family_leave_create(request: HttpRequest, student_id: StudentId, body: LeaveIn) -> Any:
    child = selectors.child_or_404(request.user, student_id)
    try:
        leave = services.leave_request_create(
            actor=request.user,
            student=child,
            date_from=body.date_from,
            date_to=body.date_to,
            sessions=body.sessions,
            reason=body.reason,
        )
    except ValidationError as error:
        return refusal(error)
    return Status(201, leave)


@router.get(
    "/records/classes/{class_id}/leave-requests",
    response={200: list[LeaveOut], **ERRORS},
    auth=auth_for(READ),
    summary="Các đơn xin nghỉ của lớp (giáo viên chủ nhiệm)",
)
def records_class_leave_list(request: HttpRequest, class_id: ClassId) -> Any:
    found, access = class_and_access(request, class_id)
    if not access.homeroom:
        raise Http404
    return list(LeaveRequest.objects.filter(school_class=found)[:500])


class DecisionIn(Strict):
    approve: bool
    note: Annotated[str, StringConstraints(max_length=500)] = ""


@router.post(
    "/records/leave-requests/{leave_id}/decision",
    response={200: LeaveOut, **WRITE_ERRORS},
    auth=auth_for(CONTACT),
    summary="Duyệt hoặc từ chối đơn xin nghỉ (giáo viên chủ nhiệm)",
    description="Duyệt: các buổi xin nghỉ thành nghỉ có phép. Đơn đã xử lí: `already_decided`.",
)
def records_leave_decide(request: HttpRequest, leave_id: LeaveId, body: DecisionIn) -> Any:
    leave = get_object_or_404(LeaveRequest.objects.select_related("school_class"), pk=leave_id)
    if not services.is_homeroom_of(request.user, leave.school_class):
        raise Http404
    try:
        return services.leave_decide(actor=request.user, leave=leave, approve=body.approve, note=body.note)
    except ValidationError as error:
        return refusal(error)
