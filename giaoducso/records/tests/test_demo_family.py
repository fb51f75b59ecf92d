"""The demo parent's contact book has something true on every page: a term of scores with comments, two
absences (one excused through an approved leave request), an announcement, a message thread, published
results."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from giaoducso.core.models import User
from giaoducso.records.models import (
    Absence,
    Announcement,
    LeaveRequest,
    LeaveStatus,
    Message,
    ResultsPublication,
)
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_parent_finds_every_page_filled(client):
    call_command(
        "seed_demo", "--schools", "6", "--students", "400", "--school-year", "2026", stdout=io.StringIO()
    )
    parent = User.objects.get(username="phuhuynh")
    child = parent.guardianships.get().student
    absences = list(Absence.objects.filter(student=child).order_by("date"))
    assert len(absences) == 2 and sorted(a.excused for a in absences) == [False, True]
    leave = LeaveRequest.objects.get(student=child)
    assert leave.status == LeaveStatus.APPROVED
    assert Message.objects.filter(student=child, from_family=True).exists()
    assert Message.objects.filter(student=child, from_family=False).exists()
    assert Announcement.objects.filter(school_class=child.current_class).exists()
    assert ResultsPublication.objects.filter(school_class=child.current_class, term=1).exists()
    sign_in(client, parent)
    home = client.get(reverse("records:family_home"))
    assert home.status_code == 302
    scores = client.get(home.url).content.decode()
    assert "ĐTB môn" in scores and "Nhận xét" in scores and "Học kì I" in scores
    attendance = client.get(reverse("records:family_attendance", args=[child.pk])).content.decode()
    assert "Đã duyệt" in attendance and "có phép" in attendance and "không phép" in attendance
    assert "Chào cô" in client.get(reverse("records:family_messages", args=[child.pk])).content.decode()
    assert (
        "Họp cha mẹ" in client.get(reverse("records:family_announcements", args=[child.pk])).content.decode()
    )
