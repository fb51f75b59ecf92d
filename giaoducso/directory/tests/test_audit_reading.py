"""The audit log read in the user's language (defect 9): verbose names, choice labels, objects' names —
on the screen and in the export alike, through core.audit.describe_changes."""

import pytest
from django.urls import reverse
from django.utils import translation

from giaoducso.core import audit
from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory

pytestmark = pytest.mark.django_db

RAW = ("full_name", "current_class", "studying", "True", "directory.student", "school: ", "{")


@pytest.fixture
def line(world):
    new_class = ClassFactory(school=world.school_a, name="7/2")
    return audit.record(
        actor=world.user(Role.PRINCIPAL),
        action=AuditAction.UPDATE,
        obj=world.child,
        changes={
            "full_name": ["Lê Minh Con", "Lê Minh Còn"],
            "status": ["studying", "transferred_out"],
            "school": [world.school_b.pk, world.school_a.pk],
            "current_class": [None, new_class.pk],
            "date_of_birth": ["2014-09-05", "2014-09-06"],
        },
    )


def test_describe_changes_says_names_labels_and_objects(world, line):
    described = dict(audit.describe_changes(line))
    assert described["Họ và tên"] == "Lê Minh Con → Lê Minh Còn"
    assert described["Trạng thái"] == "Đang học → Chuyển đi"
    assert described["Lớp hiện tại"] == "∅ → 7/2"
    assert described["Ngày sinh"] == "05/09/2014 → 06/09/2014"
    school_label = next(label for label in described if described[label].endswith(world.school_a.name))
    assert described[school_label] == f"{world.school_b.name} → {world.school_a.name}"
    assert audit.object_type_label("directory.student") == "Học sinh"


def test_a_boolean_reads_yes_or_no(world):
    entry = audit.record(
        actor=None, action=AuditAction.UPDATE, obj=world.school_a, changes={"is_active": [True, False]}
    )
    assert audit.describe_changes(entry) == [("Đang hoạt động", "Có → Không")]


def test_in_english_the_labels_are_english(world, line):
    with translation.override("en"):
        described = dict(audit.describe_changes(line))
    assert "Đang học → Chuyển đi" not in described.values()


def test_the_audit_screen_shows_no_field_names_raw_values_or_model_labels(client, world, line):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("core:audit_list"), {"object_type": "directory.student"})
    body = response.content.decode()
    main = body[body.index("<tbody>") : body.index("</tbody>")]
    assert "Đang học → Chuyển đi" in main
    assert "Lớp hiện tại" in main and "Học sinh" in main
    for raw in RAW:
        assert raw not in main, raw


def test_the_screen_costs_the_same_queries_for_more_lines(client, world, line, django_assert_max_num_queries):
    for _ in range(20):
        AuditEntry.objects.create(
            action=AuditAction.UPDATE,
            object_type="directory.student",
            object_id=str(world.child.pk),
            unit=world.school_a,
            unit_path=world.school_a.path,
            changes=line.changes,
        )
    sign_in(client, world.user(Role.PRINCIPAL))
    with django_assert_max_num_queries(25):
        client.get(reverse("core:audit_list"))


def test_an_export_is_named_for_people():
    entry = audit.record_export(actor="test", what="directory.school", unit=None, rows=30000, fmt="xlsx")
    assert entry.object_repr == "Trường (30.000 dòng, XLSX)"
    assert dict(audit.describe_changes(entry)) == {"Số dòng": "30.000", "Định dạng": "xlsx"}
