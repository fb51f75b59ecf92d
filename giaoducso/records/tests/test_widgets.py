"""The records' home-page cards: a teacher's grade books with the empty cells of this term, the school's
completion and pending corrections for its leaders, a parent's child's latest marks; each query-cheap."""

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.core.widgets import widgets_for
from giaoducso.records import services
from giaoducso.records.services import Cell
from giaoducso.testing.auth import sign_in

from .records_fixtures import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(world):
    rec = build_records(world)
    services.marks_write(
        actor=world.user(Role.HOMEROOM_TEACHER),
        school_class=rec.directory.class_a,
        subject=rec.gdcd,
        cells=[Cell(world.child.pk, 1, "tx", 1, value="8"), Cell(world.child.pk, 2, "tx", 1, value="9")],
    )
    return rec


def _widget(user, key):
    return next((w for w in widgets_for(user) if w.key == key), None)


def test_the_teacher_s_grade_books_with_empty_cells(world, rec):
    card = _widget(world.user(Role.HOMEROOM_TEACHER), "records.teacher_gradebooks")
    books = {(b["school_class"].name, b["subject"].name): b for b in card.context["books"]}
    gdcd = books[("6/1", "Giáo dục công dân")]
    # Two students × (2 regular + mid + end) in the current term, one of them filled in that term.
    assert gdcd["empty"] == 2 * 4 - 1
    assert ("5/1", "Toán") in books
    assert _widget(world.stranger, "records.teacher_gradebooks") is None


def test_the_principal_s_completion_and_pending_corrections(world, rec):
    principal = world.user(Role.PRINCIPAL)
    card = _widget(principal, "records.school_completion")
    assert card.context["class_count"] == 3 and card.context["pending_count"] == 0
    assert all(0 <= r["percent"] <= 100 for r in card.context["classes"])


def test_the_parent_sees_their_child_s_latest_marks_only(world, rec):
    card = _widget(world.user(Role.PARENT), "records.child_marks")
    shown = [(r["mark"].student.full_name, r["shown"]) for r in card.context["marks"]]
    assert ("Lê Minh Con", "9,0") in shown and all(name == "Lê Minh Con" for name, _ in shown)


def test_the_home_page_shows_the_cards_in_few_queries(client, world, rec, django_assert_max_num_queries):
    for role, title in (
        (Role.HOMEROOM_TEACHER, "Sổ điểm của tôi"),
        (Role.PRINCIPAL, "Tiến độ nhập điểm"),
        (Role.PARENT, "Điểm mới của con"),
    ):
        sign_in(client, world.user(role))
        with django_assert_max_num_queries(60):
            body = client.get(reverse("core:home")).content.decode()
        assert title in body, role
        client.logout()


def test_the_family_s_contact_book_card(client, world, rec):
    from giaoducso.records.services import family

    homeroom = world.user(Role.HOMEROOM_TEACHER)
    family.message_send(actor=homeroom, student=world.child, body="Chào anh chị")
    family.announcement_post(
        actor=homeroom, school_class=rec.directory.class_a, title="Họp lớp", body="Thứ bảy"
    )
    card = _widget(world.user(Role.PARENT), "records.contact_book")
    [row] = card.context["children"]
    assert row["student"] == world.child and row["unread"] == 1 and row["announcement"].title == "Họp lớp"
    student_card = _widget(world.user(Role.STUDENT), "records.contact_book")
    assert student_card.context["children"][0]["unread"] == 0  # the parents' thread is not the student's
    assert _widget(world.user(Role.TEACHER), "records.contact_book") is None
    sign_in(client, world.user(Role.PARENT))
    home = client.get(reverse("core:home")).content.decode()
    assert "1 tin nhắn mới" in home and "Họp lớp" in home
