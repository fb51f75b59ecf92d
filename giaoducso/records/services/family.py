"""The contact book's writes: announcements, messages, leave requests and their decision, and publishing a
term's results to the families. Each is checked (who may, what may be written), audited, and tells the
other side through `core.notifications` (in-app, e-mail, SMS as each person chose).

Who may: a parent writes about their own children (Perm.CONTACT_BOOK, a guardianship linked to their
account); the homeroom teacher of the child's class answers, posts, decides. A student reads their contact
book but does not write in it (leave is asked by a parent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit, notifications
from giaoducso.core.audit import Actor
from giaoducso.core.models import User
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.uploads import check_upload
from giaoducso.directory.models import SchoolClass, Student

from ..models import (
    Absence,
    Announcement,
    ContactAttachment,
    LeaveRequest,
    LeaveSessions,
    LeaveStatus,
    Message,
    ResultsPublication,
    Session,
    Term,
)
from ..selectors.access import class_access
from ..selectors.family import is_parent_of
from .homeroom import term_of
from .locks import ensure_open
from .marks import IN_CLASS_STATUSES

ATTACHMENT_KINDS = frozenset({"pdf", "png", "jpeg"})
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MESSAGE_MAX = 2000
ANNOUNCEMENT_MAX = 4000
# A leave request covers at most a month, asked at most a term ahead: a longer absence is a matter for
# the school's office (a status change), not the contact book.
LEAVE_MAX_DAYS = 31
LEAVE_MAX_AHEAD_DAYS = 120
# Markup in a message is refused, not cleaned: a parent's words are shown exactly as written, never as HTML.
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)

KIND_RESULTS = "records_results"
KIND_MESSAGE = "records_message"
KIND_LEAVE = "records_leave"
KIND_ANNOUNCEMENT = "records_announcement"


def _refused(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def clean_text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    """Plain text as written: stripped, bounded, without markup or NUL."""
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise _refused(field, _("Hãy nhập nội dung."), "required")
    if len(text) > limit:
        raise _refused(field, _("Nội dung dài tối đa %(limit)s ký tự.") % {"limit": limit}, "too_long")
    if "\x00" in text or _MARKUP.search(text):
        raise _refused(
            field,
            _("Nội dung không được chứa mã HTML hay mã lệnh (ví dụ thẻ <script>); hãy viết chữ thường."),
            "markup",
        )
    return text


def is_homeroom_of(actor: Actor, school_class: SchoolClass) -> bool:
    if not has_perm(actor, Perm.CONTACT_BOOK, school_class.school):
        return False
    access = class_access(actor, school_class)
    return access is not None and access.homeroom


def _class_of(student: Student) -> SchoolClass:
    if student.current_class_id is None or student.status not in IN_CLASS_STATUSES:
        raise _refused("student", _("Học sinh không còn học ở lớp nào của trường."), "not_in_class")
    return student.current_class  # type: ignore[return-value]


def _family_users(student: Student) -> list[User]:
    return list(User.objects.filter(guardianships__student=student, is_active=True).distinct())


def _class_family_users(school_class: SchoolClass) -> list[User]:
    students = Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES)
    parents = User.objects.filter(guardianships__student__in=students, is_active=True)
    own = User.objects.filter(student_record__in=students, is_active=True)
    return list((parents | own).distinct())


def _teacher_users(school_class: SchoolClass) -> list[User]:
    teacher = school_class.homeroom_teacher
    if teacher is None or teacher.user_id is None:
        return []
    return list(User.objects.filter(pk=teacher.user_id, is_active=True))


def _attach(
    actor: Actor, school_id: int, uploads: Iterable[UploadedFile], **owner: object
) -> list[ContactAttachment]:
    stored = []
    for upload in uploads:
        checked = check_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
        attachment = ContactAttachment.from_checked(checked, upload, school_id=school_id, **owner)
        attachment.save()
        audit.record_create(actor=actor, obj=attachment)
        stored.append(attachment)
    return stored


def _check_uploads(uploads: list[UploadedFile]) -> None:
    """Every file checked before anything is written, so a refused attachment changes nothing."""
    if len(uploads) > 3:
        raise _refused("attachment", _("Đính kèm tối đa 3 tệp."), "too_many")
    for upload in uploads:
        check_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
        upload.seek(0)


# --- announcements -----------------------------------------------------------------------------------


@transaction.atomic
def announcement_post(*, actor: Actor, school_class: SchoolClass, title: str, body: str) -> Announcement:
    if not is_homeroom_of(actor, school_class):
        raise PermissionDenied(_("Chỉ giáo viên chủ nhiệm lớp được đăng thông báo cho lớp."))
    title = clean_text("title", title, 200)
    body = clean_text("body", body, ANNOUNCEMENT_MAX)
    row = Announcement.objects.create(
        school_id=school_class.school_id, school_class=school_class, title=title, body=body, author=actor
    )
    audit.record_create(actor=actor, obj=row)
    notifications.notify(
        recipients=_class_family_users(school_class),
        kind=KIND_ANNOUNCEMENT,
        title=_("Lớp %(cls)s: %(title)s") % {"cls": school_class.name, "title": title},
        body=body[:500],
        url=reverse("records:family_home"),
        unit=school_class.school,
    )
    return row


# --- messages ----------------------------------------------------------------------------------------


@transaction.atomic
def message_send(
    *, actor: Actor, student: Student, body: str, attachments: Iterable[UploadedFile] = ()
) -> Message:
    """A message in the student's thread, from one of their parents or from their homeroom teacher."""
    school_class = _class_of(student)
    if is_parent_of(actor, student):
        from_family = True
    elif is_homeroom_of(actor, school_class):
        from_family = False
    else:
        raise PermissionDenied(_("Chỉ cha mẹ học sinh và giáo viên chủ nhiệm được nhắn trong sổ liên lạc."))
    body = clean_text("body", body, MESSAGE_MAX)
    uploads = list(attachments)
    _check_uploads(uploads)
    message = Message.objects.create(
        school_id=student.school_id, student=student, sender=actor, from_family=from_family, body=body
    )
    audit.record_create(actor=actor, obj=message)
    _attach(actor, student.school_id, uploads, message=message)
    if from_family:
        recipients = _teacher_users(school_class)
        url = reverse("records:contact_thread", args=[school_class.pk, student.pk])
    else:
        recipients = _family_users(student)
        url = reverse("records:family_messages", args=[student.pk])
    notifications.notify(
        recipients=recipients,
        kind=KIND_MESSAGE,
        title=_("Tin nhắn mới về học sinh %(name)s") % {"name": student.full_name},
        body=body[:300],
        url=url,
        unit=student.school,
    )
    return message


def thread_mark_read(*, actor: Actor, student: Student, family_side: bool) -> int:
    """Marks read what the other side wrote (reading is not a change to personal data: not audited)."""
    return (
        Message.objects.filter(student=student, from_family=not family_side, read_at__isnull=True)
        .exclude(sender=actor)
        .update(read_at=timezone.now())
    )


# --- leave requests ----------------------------------------------------------------------------------


def leave_sessions(leave: LeaveRequest) -> list[tuple[dt.date, str]]:
    """The (date, session) pairs a leave request covers: every day but Sunday, the sessions asked."""
    sessions = (
        [Session.MORNING, Session.AFTERNOON] if leave.sessions == LeaveSessions.BOTH else [leave.sessions]
    )
    days = []
    day = leave.date_from
    while day <= leave.date_to:
        if day.weekday() != 6:
            days += [(day, str(s)) for s in sessions]
        day += dt.timedelta(days=1)
    return days


def _check_leave_dates(
    school_class: SchoolClass, date_from: dt.date, date_to: dt.date, today: dt.date
) -> None:
    if date_to < date_from:
        raise _refused("date_to", _("Ngày kết thúc nghỉ phải từ ngày bắt đầu trở đi."), "reversed_range")
    if (date_to - date_from).days + 1 > LEAVE_MAX_DAYS:
        raise _refused(
            "date_to",
            _("Mỗi đơn xin nghỉ tối đa %(n)s ngày; nghỉ dài hơn hãy liên hệ nhà trường.")
            % {"n": LEAVE_MAX_DAYS},
            "too_long",
        )
    if date_from > today + dt.timedelta(days=LEAVE_MAX_AHEAD_DAYS):
        raise _refused(
            "date_from",
            _("Chỉ xin nghỉ trước tối đa %(n)s ngày.") % {"n": LEAVE_MAX_AHEAD_DAYS},
            "too_far_ahead",
        )
    terms = {term_of(school_class, date_from), term_of(school_class, date_to)}
    for term in sorted(terms):
        try:
            ensure_open(school_class, term)
        except ValidationError as error:
            raise _refused("date_from", error.messages[0], "term_locked") from None


@transaction.atomic
def leave_request_create(
    *,
    actor: Actor,
    student: Student,
    date_from: dt.date,
    date_to: dt.date,
    sessions: str = LeaveSessions.BOTH,
    reason: str,
    attachments: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
) -> LeaveRequest:
    school_class = _class_of(student)
    if not is_parent_of(actor, student):
        raise PermissionDenied(_("Chỉ cha mẹ học sinh được xin nghỉ cho con."))
    if sessions not in LeaveSessions.values:
        raise _refused("sessions", _("Buổi nghỉ là cả ngày, buổi sáng hoặc buổi chiều."), "invalid_sessions")
    reason = clean_text("reason", reason, 500)
    _check_leave_dates(school_class, date_from, date_to, today or timezone.localdate())
    uploads = list(attachments)
    _check_uploads(uploads)
    leave = LeaveRequest(
        school_id=student.school_id,
        school_class=school_class,
        student=student,
        date_from=date_from,
        date_to=date_to,
        sessions=sessions,
        reason=reason,
        requested_by=actor,
    )
    if not leave_sessions(leave):
        raise _refused("date_from", _("Những ngày này không có buổi học (Chủ nhật)."), "no_sessions")
    overlapping = LeaveRequest.objects.filter(
        student=student, date_from__lte=date_to, date_to__gte=date_from
    ).exclude(status=LeaveStatus.REFUSED)
    if overlapping.exists():
        raise _refused(
            "date_from", _("Đã có đơn xin nghỉ (chờ duyệt hoặc đã duyệt) cho những ngày này."), "overlapping"
        )
    leave.save()
    audit.record_create(actor=actor, obj=leave)
    _attach(actor, student.school_id, uploads, leave_request=leave)
    notifications.notify(
        recipients=_teacher_users(school_class),
        kind=KIND_LEAVE,
        title=_("Đơn xin nghỉ của học sinh %(name)s") % {"name": student.full_name},
        body=_("Từ %(a)s đến %(b)s: %(reason)s")
        % {"a": f"{date_from:%d/%m/%Y}", "b": f"{date_to:%d/%m/%Y}", "reason": reason[:200]},
        url=reverse("records:contact_inbox", args=[school_class.pk]),
        unit=student.school,
    )
    return leave


@transaction.atomic
def leave_decide(*, actor: Actor, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """The homeroom teacher's decision. Approved: each session asked becomes an excused absence (created,
    or an unexcused one made excused), audited one by one. Refused: nothing but the request changes."""
    leave = (
        LeaveRequest.objects.select_for_update().select_related("school_class", "student").get(pk=leave.pk)
    )
    school_class = leave.school_class
    if not is_homeroom_of(actor, school_class):
        raise PermissionDenied(_("Chỉ giáo viên chủ nhiệm lớp được duyệt đơn xin nghỉ."))
    if leave.status != LeaveStatus.PENDING:
        raise _refused("status", _("Đơn này đã được xử lí."), "already_decided")
    note = clean_text("decision_note", note, 500, required=False)
    if approve:
        terms = {term_of(school_class, leave.date_from), term_of(school_class, leave.date_to)}
        for term in sorted(terms):
            try:
                ensure_open(school_class, term)
            except ValidationError as error:
                raise _refused("status", error.messages[0], "term_locked") from None
        reason = (_("Xin nghỉ có phép: %(reason)s") % {"reason": leave.reason})[:200]
        existing = {
            (a.date, a.session): a
            for a in Absence.objects.filter(
                student=leave.student, date__range=(leave.date_from, leave.date_to)
            )
        }
        for day, session in leave_sessions(leave):
            old = existing.get((day, session))
            if old is None:
                row = Absence.objects.create(
                    school_id=leave.school_id,
                    school_class=school_class,
                    student=leave.student,
                    date=day,
                    session=session,
                    excused=True,
                    reason=reason,
                )
                audit.record_create(actor=actor, obj=row, note=f"đơn xin nghỉ #{leave.pk}")
            elif not old.excused:
                before = audit.snapshot(old, ["excused", "reason"])
                old.excused, old.reason = True, reason
                old.save(update_fields=["excused", "reason", "updated_at"])
                audit.record_update(actor=actor, obj=old, before=before, note=f"đơn xin nghỉ #{leave.pk}")
    before = audit.snapshot(leave, ["status", "decided_by", "decided_at", "decision_note"])
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_by = actor  # type: ignore[assignment]
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record_update(actor=actor, obj=leave, before=before)
    notifications.notify(
        recipients=_family_users(leave.student),
        kind=KIND_LEAVE,
        title=(
            _("Đơn xin nghỉ của %(name)s đã được duyệt")
            if approve
            else _("Đơn xin nghỉ của %(name)s không được duyệt")
        )
        % {"name": leave.student.full_name},
        body=note,
        url=reverse("records:family_attendance", args=[leave.student_id]),
        unit=leave.student.school,
    )
    return leave


# --- publishing a term's results ---------------------------------------------------------------------


@transaction.atomic
def results_publish(*, actor: Actor, school_class: SchoolClass, term: int) -> ResultsPublication:
    """Makes a term's results visible to the class's families and tells them (once: publishing again
    returns the publication already made)."""
    if term not in Term.values:
        raise _refused("term", _("Học kì phải là I hoặc II."), "invalid_term")
    if not (is_homeroom_of(actor, school_class) or has_perm(actor, Perm.LOCK_TERM, school_class.school)):
        raise PermissionDenied(_("Chỉ giáo viên chủ nhiệm hoặc Hiệu trưởng được công bố kết quả."))
    existing = ResultsPublication.objects.filter(school_class=school_class, term=term).first()
    if existing is not None:
        return existing
    publication = ResultsPublication.objects.create(
        school_id=school_class.school_id, school_class=school_class, term=term, published_by=actor
    )
    audit.record_create(actor=actor, obj=publication)
    notifications.notify(
        recipients=_class_family_users(school_class),
        kind=KIND_RESULTS,
        title=_("Đã có kết quả %(term)s của lớp %(cls)s")
        % {"term": Term(term).label, "cls": school_class.name},
        body=_("Mời xem kết quả học tập và rèn luyện của con trong sổ liên lạc điện tử."),
        url=reverse("records:family_home"),
        unit=school_class.school,
    )
    return publication
