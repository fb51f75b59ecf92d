"""The home page per role: which cards each role sees, what they hold, and that each stays query-cheap."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giaoducso.core.models import Job
from giaoducso.core.roles import Role
from giaoducso.core.widgets import widgets_for
from giaoducso.directory import transfers
from giaoducso.directory.models import Staff
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    GuardianFactory,
    MembershipFactory,
    SchoolFactory,
    StaffFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(world):
    """Records for every card: school records, a homeroom class, a pending transfer B → A, jobs."""
    SchoolFactory(unit=world.school_a, address="1 Văn Thân")
    SchoolFactory(unit=world.school_b)
    teacher = StaffFactory(school=world.school_a, full_name="Cô Chủ Nhiệm")
    Staff.objects.filter(pk=teacher.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    klass = ClassFactory(school=world.school_a, name="6/1", homeroom_teacher=teacher)
    world.child.current_class = klass
    world.child.save()
    # School B asks for school A's student: school A (the source) decides.
    world.principal_b = UserFactory(username="principal_b")
    MembershipFactory(user=world.principal_b, unit=world.school_b, role=Role.PRINCIPAL)
    transfers.transfer_request(
        actor=world.principal_b,
        student=world.other_student_a,
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    Job.objects.create(
        kind="directory_import_check",
        title="Kiểm tra tệp hs.xlsx",
        created_by=world.user(Role.PRINCIPAL),
        unit=world.school_a,
    )
    Job.objects.create(
        kind="system_check", title="Kiểm tra hệ thống", created_by=world.user(Role.DEPARTMENT_IT)
    )
    return world


def shown(user):
    """The directory's and core's cards (each app tests its own cards in its tests)."""
    apps = ("records.", "portal.", "office.", "admissions.", "reporting.")
    return [w for w in widgets_for(user) if not w.key.startswith(apps)]


def keys(user):
    return [w.key for w in shown(user)]


def test_each_role_gets_its_cards(home):
    assert keys(home.user(Role.DEPARTMENT_LEADER)) == [
        "directory.department_figures",
        "directory.pending_transfers",
        "directory.quality_alerts",
        "core.recent_jobs",
    ]
    assert keys(home.user(Role.PRINCIPAL)) == ["directory.school_figures", "directory.school_waiting"]
    assert keys(home.user(Role.SCHOOL_IT)) == ["directory.school_figures", "directory.school_waiting"]
    assert keys(home.user(Role.HOMEROOM_TEACHER)) == ["directory.teacher_classes"]
    assert keys(home.user(Role.PARENT)) == ["directory.parent_children"]
    assert keys(home.user(Role.STUDENT)) == ["directory.student_self"]
    assert keys(home.nobody) == []


def test_department_sees_its_figures_transfers_quality_and_jobs(client, home):
    body = sign_in(client, home.user(Role.DEPARTMENT_IT)).get(reverse("core:home")).content.decode()
    assert "Số liệu toàn ngành" in body
    assert "Hồ sơ chuyển trường đang chờ" in body and home.other_student_a.full_name in body
    assert reverse("directory:quality_school", args=[home.school_a.code]) in body
    assert "Kiểm tra hệ thống" in body


def test_school_sees_what_waits_for_it(client, home):
    body = sign_in(client, home.user(Role.PRINCIPAL)).get(reverse("core:home")).content.decode()
    assert "Trường THCS Văn Thân" in body
    # A transfer asked by school B for school A's student waits for school A's decision.
    assert home.other_student_a.full_name in body
    assert "Kiểm tra tệp hs.xlsx" in body
    # School B's leaders see it as their request, not as something to decide.
    [_figures, waiting] = shown(home.principal_b)
    assert waiting.context["transfer_count"] == 0


def test_teacher_sees_their_homeroom_class(client, home):
    body = sign_in(client, home.user(Role.HOMEROOM_TEACHER)).get(reverse("core:home")).content.decode()
    assert "Lớp của tôi" in body and "6/1" in body


def test_parent_sees_only_their_own_children(client, home):
    # A parent who also teaches at the school: the card lists their child, not the school's pupils.
    parent = home.user(Role.PARENT)
    MembershipFactory(user=parent, unit=home.school_a, role=Role.TEACHER)
    body = sign_in(client, parent).get(reverse("core:home")).content.decode()
    assert home.child.full_name in body
    assert home.other_student_a.full_name not in body
    assert reverse("directory:student_detail", args=[home.child.pk]) in body


def test_a_second_child_shows_too(client, home):
    sibling = StudentFactory(school=home.school_a, full_name="Lê Minh Em")
    GuardianFactory(student=sibling, user=home.user(Role.PARENT))
    body = sign_in(client, home.user(Role.PARENT)).get(reverse("core:home")).content.decode()
    assert "Lê Minh Con" in body and "Lê Minh Em" in body


@pytest.mark.parametrize(
    "role",
    [
        Role.DEPARTMENT_LEADER,
        Role.PRINCIPAL,
        Role.SCHOOL_OFFICE,
        Role.HOMEROOM_TEACHER,
        Role.PARENT,
        Role.STUDENT,
    ],
)
def test_home_page_queries_do_not_grow_with_the_data(home, role):
    """The home page runs the same number of queries with a few pupils as with many: no card queries per
    row. Measured against itself, so a new app's card needs no hand-summed budget here."""

    def add_pupils(n: int, offset: int) -> None:
        for k in range(offset, offset + n):
            student = StudentFactory(school=home.school_a, full_name=f"Học Sinh {k}")
            GuardianFactory(student=student, phone="")
            transfers.transfer_request(
                actor=home.principal_b,
                student=student,
                to_school=home.school_b,
                requested_by_school=home.school_b,
            )

    client = sign_in(Client(), home.user(role))

    def queries() -> int:
        client.get(reverse("core:home"))  # warm the session and the per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("core:home"))
        assert response.status_code == 200
        return len(captured)

    add_pupils(2, 0)
    few = queries()
    add_pupils(15, 2)
    assert queries() == few
