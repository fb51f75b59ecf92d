"""Who sees a student's private fields: one rule (selectors.privacy), the same on screen, in the API and in
exports, for every role of the shared world and for a stranger of another school."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import SYSTEM_ROLES, Perm, Role, role_allows
from giaoducso.core.tokens import api_token_create, usable_scopes
from giaoducso.directory import selectors
from giaoducso.directory.models import Student
from giaoducso.directory.selectors.privacy import FULL, RULES, Reach, Visibility
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StudentFactory
from giaoducso.testing.world import DEPARTMENT_ROLES, SCHOOL_ROLES

from .directory_fixtures import build_directory, put_in_class

ETHNICITY = "Tày"
ADDRESS = "12 Hẻm Bình Tiên"
PHONE = "0901234567"  # the child's guardian (GuardianFactory)

# The rule of selectors.privacy, written out: who reads the whole record of `world.child`, a pupil of
# class 6/1 of school A whose homeroom teacher is the homeroom-teacher user.
WHOLE_RECORD = {
    Role.DEPARTMENT_OFFICER,
    Role.DEPARTMENT_IT,
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.SCHOOL_OFFICE,
    Role.SCHOOL_IT,
    Role.HOMEROOM_TEACHER,
    Role.PARENT,
    Role.STUDENT,
}
BASIC_ONLY = {Role.DEPARTMENT_LEADER, Role.TEACHER, Role.INTEGRATION}
FROM_OUTSIDE_THE_SCHOOL = set(DEPARTMENT_ROLES)


@pytest.fixture
def directory(world):
    directory = build_directory(world)
    # The homeroom-teacher account is the Staff record that is homeroom teacher of the child's class.
    directory.teacher_a.user = world.user(Role.HOMEROOM_TEACHER)
    directory.teacher_a.save(update_fields=["user"])
    Student.objects.filter(pk=world.child.pk).update(ethnicity=ETHNICITY, address=ADDRESS)
    world.child.refresh_from_db()
    return directory


def _content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(response):
    return response.content.decode()


def _export_row(client, url, params, name):
    """The child's row of an export as {header: value}, or None when the user may not export."""
    response = client.get(url, params)
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(_content(response))).active.iter_rows(values_only=True))
    header = rows[0]
    matches = [dict(zip(header, r, strict=True)) for r in rows[1:] if name in r]
    assert len(matches) == 1
    return matches[0]


def _seen(client, world):
    """What one signed-in user sees of the child on screen, in the API and in the two exports."""
    child = world.child
    page = client.get(reverse("directory:student_detail", args=[child.pk]))
    if page.status_code == 404:
        return None
    assert page.status_code == 200
    html = page.content.decode()
    screen = {
        "personal_id": child.personal_id in html,
        "address": ADDRESS in html,
        "guardian_phone": PHONE in html,
        "history": "6/1</td>" in html,  # the class history table
        "ethnicity": ETHNICITY in html,
    }
    assert child.full_name in html

    api = client.get(f"/api/v1/students/{child.pk}").json()
    assert api["full_name"] == child.full_name and api["current_class"]["name"] == "6/1"
    guardians = client.get(f"/api/v1/students/{child.pk}/guardians").json()
    api_seen = {
        "personal_id": api["personal_id"] == child.personal_id,
        "address": api["address"] == ADDRESS,
        "guardian_phone": api["guardians"] is not None and [g["phone"] for g in api["guardians"]] == [PHONE],
        "history": api["enrolments"] is not None and api["status_history"] is not None,
        "ethnicity": api["ethnicity"] == ETHNICITY,
    }
    # One convention: a withheld field is null (an empty list for /guardians), never partly masked.
    for field in ("personal_id", "address", "ethnicity"):
        assert api[field] in (None, getattr(child, field))
    assert (guardians != []) == api_seen["guardian_phone"]

    exports = []
    row = _export_row(client, reverse("directory:student_export"), {"school": "TA01"}, child.full_name)
    if row is not None:
        exports.append(
            {
                "personal_id": row["Số định danh cá nhân"] == child.personal_id,
                "address": row["Địa chỉ"] == ADDRESS,
                "ethnicity": row["Dân tộc"] == ETHNICITY,
            }
        )
        for label in ("Số định danh cá nhân", "Địa chỉ", "Dân tộc"):
            assert row[label] in (None, child.personal_id, ADDRESS, ETHNICITY)  # empty or whole
    row = _export_row(client, reverse("directory:search_export"), {"q": "6/1"}, child.full_name)
    if row is not None:
        exports.append({"personal_id": row["Số định danh cá nhân"] == child.personal_id})
    return screen, api_seen, exports


@pytest.mark.parametrize("role", [*DEPARTMENT_ROLES, *SCHOOL_ROLES, "stranger"])
def test_screen_api_and_exports_show_the_same_fields(client, world, directory, role):
    user = world.stranger if role == "stranger" else world.user(role)
    if role in SYSTEM_ROLES:
        # A system account has no screens (it signs in with tokens only): the API is its one channel.
        _token, raw = api_token_create(
            actor=None, user=user, name="kiểm thử", scopes=sorted(usable_scopes(user)), expires_at=None
        )
        detail = client.get(f"/api/v1/students/{world.child.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert detail.status_code == 200
        assert detail.json()["personal_id"] is None and detail.json()["address"] is None
        assert selectors.student_visibility(user=user, student=world.child) == Visibility(False, False)
        return
    sign_in(client, user)
    seen = _seen(client, world)
    if role == "stranger":
        # Another school's teacher does not learn that the student exists, through any channel.
        assert seen is None
        assert client.get(f"/api/v1/students/{world.child.pk}").status_code == 404
        assert client.get(reverse("directory:search"), {"q": world.child.personal_id}).status_code == 200
        assert world.child.full_name not in _text(client.get(reverse("directory:search"), {"q": "6/1"}))
        return
    screen, api, exports = seen
    whole = role in WHOLE_RECORD
    assert role in WHOLE_RECORD | BASIC_ONLY
    expected = dict.fromkeys(screen, whole)
    assert screen == expected, role
    assert api == expected, role
    for row in exports:
        assert row == dict.fromkeys(row, whole), role
    # Only the roles that may export have an export to compare; the others get none at all.
    assert bool(exports) == role_allows(role, Perm.EXPORT_DATA), role
    # The selector itself says the same.
    assert selectors.student_visibility(user=user, student=world.child) == Visibility(whole, whole)
    # Search by identifier finds the child only where the identifier is readable.
    found = _text(client.get(reverse("directory:search"), {"q": world.child.personal_id}))
    assert (world.child.full_name in found) == whole, role
    listed = client.get("/api/v1/students", {"q": world.child.personal_id}).json()["items"]
    assert bool(listed) == whole, role
    # Reads of the full record from outside the school stay logged; the school's own reads do not.
    logged = AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(world.child.pk), actor=user)
    assert logged.exists() == (role in FROM_OUTSIDE_THE_SCHOOL), role


def test_a_homeroom_teacher_sees_other_classes_like_a_subject_teacher(client, world, directory):
    pupil = StudentFactory(school=world.school_a, full_name="Đinh Lớp Khác")
    put_in_class(pupil, directory.class_a2)
    user = world.user(Role.HOMEROOM_TEACHER)
    assert selectors.student_visibility(user=user, student=pupil) == Visibility(False, False)
    assert selectors.student_visibility(user=user, student=world.child) == FULL
    sign_in(client, user)
    assert pupil.personal_id not in _text(client.get(reverse("directory:student_detail", args=[pupil.pk])))
    assert client.get(f"/api/v1/students/{pupil.pk}").json()["personal_id"] is None


def test_a_superuser_sees_everything(client, world, directory):
    admin = world.nobody
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    assert selectors.student_visibility(user=admin, student=world.student_b) == FULL


def test_the_rule_covers_every_role_and_whoever_may_change_sees_all():
    assert set(RULES) == set(Role)
    for role, reach in RULES.items():
        if role_allows(role, Perm.CHANGE_STUDENT):
            # A form cannot edit a value it hides.
            assert reach == (Reach.SUBTREE, Reach.SUBTREE), role


def test_lists_and_exports_decide_per_row_in_one_query(world, directory, django_assert_num_queries):
    for n in range(30):
        StudentFactory(school=world.school_a if n % 2 else world.school_b, full_name=f"Học Sinh {n}")
    for role in (Role.DEPARTMENT_OFFICER, Role.PRINCIPAL, Role.PARENT, Role.HOMEROOM_TEACHER):
        user = world.user(role)
        with django_assert_num_queries(2):  # the user's memberships, then the rows with their visibility
            rows = list(selectors.with_visibility(selectors.student_list(user=user), user))
        whole = {s.full_name for s in rows if selectors.visibility_of(s) == FULL}
        expected = {
            Role.DEPARTMENT_OFFICER: {s.full_name for s in rows},
            Role.PRINCIPAL: {s.full_name for s in rows},
            Role.PARENT: {world.child.full_name},
            Role.HOMEROOM_TEACHER: {world.child.full_name, world.other_student_a.full_name},
        }[role]
        assert whole == expected, role
