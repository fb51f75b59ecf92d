"""Parents and students: a menu of what serves them, each link a page with content (defect 6)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from giaoducso.core.models import User
from giaoducso.core.navigation import navigation_for
from giaoducso.core.roles import Role
from giaoducso.directory.models import Student
from giaoducso.testing.factories import GuardianFactory, StudentFactory

pytestmark = pytest.mark.django_db

MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)


def _main_text(response) -> str:
    html = MAIN.search(response.content.decode()).group(1)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("username", ["phuhuynh", "hocsinh"])
def test_every_menu_link_of_the_demo_parent_and_student_answers_with_content(client, username):
    call_command(
        "seed_demo", "--schools", "3", "--students", "60", "--school-year", "2026", stdout=io.StringIO()
    )
    user = User.objects.get(username=username)
    client.force_login(user)
    items = navigation_for(user)
    urls = {item["url_name"] for item in items}
    # Only what serves them: no staff screen that would be empty for them or answer 404.
    assert urls == {
        "core:home",
        "directory:my_children" if username == "phuhuynh" else "directory:my_record",
        "records:class_list",
        "records:family_home",  # the contact book
        "core:notification_list",
        "core:my_account",
    }
    child = (
        Student.objects.filter(guardians__user=user).first()
        if username == "phuhuynh"
        else Student.objects.get(user=user)
    )
    for item in items:
        # The contact book sends a family with one child straight to that child's page.
        response = client.get(item["url"], follow=True)
        assert response.status_code == 200, item["url"]
        assert len(_main_text(response).split()) > 3, item["url"]
    family_page = client.get(
        reverse("directory:my_children" if username == "phuhuynh" else "directory:my_record")
    )
    assert child.full_name in family_page.content.decode()


def test_my_children_lists_only_the_parents_own_children(client, world):
    second = StudentFactory(school=world.school_b, full_name="Lê Minh Em")
    GuardianFactory(student=second, user=world.user(Role.PARENT))
    client.force_login(world.user(Role.PARENT))
    body = client.get(reverse("directory:my_children")).content.decode()
    assert world.child.full_name in body
    assert reverse("directory:student_detail", args=[world.child.pk]) in body
    assert world.other_student_a.full_name not in body
    assert client.get(reverse("directory:student_detail", args=[world.child.pk])).status_code == 200


def test_family_pages_are_not_for_staff(client, world):
    client.force_login(world.user(Role.TEACHER))
    assert client.get(reverse("directory:my_children")).status_code == 404
    assert client.get(reverse("directory:my_record")).status_code == 404


def test_the_student_sees_their_own_record(client, world):
    client.force_login(world.user(Role.STUDENT))
    response = client.get(reverse("directory:my_record"))
    assert response.status_code == 200
    assert world.child.full_name in response.content.decode()


def test_staff_menu_is_unchanged_for_staff(world):
    urls = {i["url_name"] for i in navigation_for(world.user(Role.PRINCIPAL))}
    assert {"directory:student_list", "directory:school_list", "core:audit_list"} <= urls
    assert "directory:my_children" not in urls
