"""The contact book's share of the demo: the demo parent's child (in the demo homeroom teacher's 6/1, which
has a full term I) gets teachers' comments, exactly two absences — one unexcused, one excused through a
leave request the homeroom teacher approved — an announcement, a message thread and the term's results
published, so that every page of the parent's contact book shows something true.

Written through the services in the demo people's own names (the parent asks, the homeroom teacher
approves), so the rows, notifications and audit lines are what real use leaves behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from giaoducso.core import audit
from giaoducso.directory.models import Student

from .models import Absence, Mark, MarkKind
from .services import Cell, conduct_set
from .services import family as services
from .services.bulk import AbsenceRow, absences_bulk_add, marks_bulk_write
from .services.homeroom import term_of

ACTOR = "seed_demo"
PARENT, HOMEROOM = "phuhuynh", "gvcn"
COMMENTS = (
    "Em tiến bộ rõ trong học kì, cần luyện thêm cách trình bày bài giải.",
    "Hăng hái phát biểu; chú ý làm đủ bài tập về nhà.",
)


def _school_days(school_class: Any, count: int) -> list[dt.date]:
    """The last `count` weekdays of term I up to yesterday (none if the year has not started)."""
    year = school_class.year
    day = min(timezone.localdate() - dt.timedelta(days=1), year.end_date)
    days: list[dt.date] = []
    while day >= year.start_date and len(days) < count:
        if day.weekday() < 5 and term_of(school_class, day) == 1:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days


def write_contact_book(users: dict[str, Any]) -> None:
    parent, homeroom = users.get(PARENT), users.get(HOMEROOM)
    if parent is None or homeroom is None:
        return
    child = (
        Student.objects.filter(guardians__user=parent, current_class__isnull=False)
        .select_related("current_class__year", "current_class__homeroom_teacher")
        .first()
    )
    if child is None:
        return
    school_class = child.current_class
    assert school_class is not None
    if school_class.homeroom_teacher is None or school_class.homeroom_teacher.user_id != homeroom.pk:
        return
    # Two subject teachers' comments on the child's end-of-term marks.
    for text, mark in zip(
        COMMENTS,
        Mark.objects.filter(student=child, term=1, kind=MarkKind.FINAL, value__isnull=False)
        .select_related("subject")
        .order_by("subject__order")[:2],
        strict=False,
    ):
        marks_bulk_write(
            actor=ACTOR,
            school_class=school_class,
            subject=mark.subject,
            cells=[Cell(child.pk, 1, MarkKind.FINAL, 1, value=mark.value, comment=text)],
            system=True,
        )
    conduct_set(
        actor=homeroom,
        school_class=school_class,
        student=child,
        term=1,
        level=3,
        comment="Ngoan, lễ phép, tích cực tham gia hoạt động của lớp.",
    )
    days = _school_days(school_class, 4)
    if len(days) >= 2:
        # Exactly two absences: the seed's random ones for this child give way to a story that adds up.
        for old in Absence.objects.filter(student=child):
            audit.record_delete(actor=ACTOR, obj=old, note="dữ liệu mẫu")
            old.delete()
        absences_bulk_add(
            actor=ACTOR,
            school_class=school_class,
            rows=[AbsenceRow(child.pk, days[1], "am", excused=False)],
            system=True,
        )
        leave = services.leave_request_create(
            actor=parent,
            student=child,
            date_from=days[0],
            date_to=days[0],
            sessions="am",
            reason="Cháu bị sốt, gia đình xin cho cháu nghỉ buổi sáng để đi khám.",
        )
        services.leave_decide(actor=homeroom, leave=leave, approve=True, note="Chúc cháu mau khỏi bệnh.")
    services.announcement_post(
        actor=homeroom,
        school_class=school_class,
        title="Họp cha mẹ học sinh cuối học kì I",
        body="Kính mời quý phụ huynh dự họp lúc 7 giờ 30 sáng Chủ nhật cuối học kì I tại phòng học của lớp.",
    )
    services.message_send(
        actor=parent,
        student=child,
        body="Chào cô, dạo này cháu hay thức khuya học bài, nhờ cô nhắc cháu giữ sức khoẻ ạ.",
    )
    services.message_send(
        actor=homeroom,
        student=child,
        body="Chào anh/chị, cô sẽ để ý và nhắc cháu. Cháu học tập tiến bộ, gia đình yên tâm ạ.",
    )
    services.results_publish(actor=homeroom, school_class=school_class, term=1)
