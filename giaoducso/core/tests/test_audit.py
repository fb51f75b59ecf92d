import pytest
from django.db import DatabaseError, connection, transaction

from giaoducso.core import audit, db_guards, services
from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role

pytestmark = pytest.mark.django_db


def test_unit_and_membership_changes_are_audited(world):
    actor = world.user(Role.DEPARTMENT_IT)
    unit = services.unit_create(
        actor=actor, kind="school", code="NEW1", name="Trường Mới", parent=world.department
    )
    services.unit_update(actor=actor, unit=unit, name="Trường Mới Đổi Tên")
    membership = services.membership_grant(actor=actor, user=world.nobody, unit=unit, role=Role.TEACHER)
    services.membership_revoke(actor=actor, membership=membership)
    entries = list(AuditEntry.objects.filter(actor=actor).order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "create", "update"]
    assert entries[1].changes == {"name": ["Trường Mới", "Trường Mới Đổi Tên"]}
    assert entries[2].unit == unit and entries[2].changes["role"] == [None, "teacher"]


def test_update_with_no_change_writes_nothing(world):
    services.unit_update(actor=None, unit=world.school_a, name=world.school_a.name)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_user_changes_audited_without_password(world):
    user = services.user_create(
        actor=None, username="moi", password="Mot-mat-khau-dai-2026", full_name="Người Mới"
    )
    services.user_update(actor=None, user=user, phone="0901111222")
    entries = list(AuditEntry.objects.filter(object_type="core.user").order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert all("password" not in e.changes for e in entries)
    assert entries[1].changes == {"phone": ["", "0901111222"]}


def test_request_context_recorded(client, world):
    from giaoducso.testing.auth import sign_in

    sign_in(client, world.user(Role.PRINCIPAL))
    client.post(
        f"/directory/students/{world.child.pk}/edit/",
        {"full_name": "Tên Mới", "date_of_birth": "17/05/2014", "sex": "M", "ethnicity": "Kinh"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="pytest-agent",
    )
    entry = AuditEntry.objects.get(object_type="directory.student")
    assert entry.ip_address == "10.1.2.3" and entry.user_agent == "pytest-agent" and entry.request_id


def test_orm_refuses_bulk_update_and_delete(world):
    audit.record(actor=None, action="update", obj=world.child)
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_database_triggers_refuse_update_and_delete(world):
    """The triggers that production migrations install hold against raw SQL too."""
    entry = audit.record(actor=None, action="update", obj=world.child, changes={"a": [1, 2]})
    count = AuditEntry.objects.count()
    db_guards.install(connection)
    try:
        for sql in (
            "UPDATE core_auditentry SET note = 'sửa' WHERE id = %s",
            "DELETE FROM core_auditentry WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
        # Appending still works.
        audit.record(actor=None, action="view", obj=world.child)
    finally:
        db_guards.uninstall(connection)
    entry.refresh_from_db()
    assert entry.note == "" and AuditEntry.objects.count() == count + 1


def test_admin_cannot_change_or_delete_audit(client, world):
    from giaoducso.testing.factories import UserFactory

    admin_user = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    from giaoducso.testing.auth import sign_in

    entry = audit.record(actor=None, action="update", obj=world.child)
    sign_in(client, admin_user)
    change_url = f"/admin/core/auditentry/{entry.pk}/change/"
    delete_url = f"/admin/core/auditentry/{entry.pk}/delete/"
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.post(change_url, {"note": "sửa"}).status_code in (403, 302, 200)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.note == ""
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
