import pytest
from django.urls import reverse

from giaoducso.core import audit
from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_unit_list_is_scoped(client, world):
    sign_in(client, world.user(Role.TEACHER))
    body = client.get(reverse("core:unit_list")).content.decode()
    assert world.school_a.name in body and world.school_b.name not in body
    assert client.get(reverse("core:unit_detail", args=[world.school_b.code])).status_code == 404
    assert client.get(reverse("core:unit_detail", args=[world.school_a.code])).status_code == 200


def test_department_sees_all_units(client, world):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    body = client.get(reverse("core:unit_list")).content.decode()
    assert world.school_a.name in body and world.school_b.name in body
    assert world.province.name not in body  # above the department: not covered


def test_user_list_scoped_and_hidden_from_teachers(client, world):
    sign_in(client, world.user(Role.PRINCIPAL))
    body = client.get(reverse("core:user_list")).content.decode()
    assert world.user(Role.TEACHER).get_full_name() in body
    assert world.stranger.get_full_name() not in body
    assert client.get(reverse("core:user_detail", args=[world.stranger.pk])).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("core:user_list")).status_code == 404


def test_audit_list_scoped_and_filterable(client, world):
    audit.record(actor=None, action="update", obj=world.child, changes={"full_name": ["A", "B"]})
    audit.record(actor=None, action="update", obj=world.student_b, changes={"full_name": ["C", "D"]})
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    body = client.get(reverse("core:audit_list")).content.decode()
    assert world.child.full_name in body and world.student_b.full_name in body
    body = client.get(
        reverse("core:audit_list"), {"object_type": "directory.student", "actor": "zzz"}
    ).content.decode()
    assert world.child.full_name not in body
    response = client.get(reverse("core:audit_list"), {"date_from": "31/02/2026"})
    assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()
    response = client.get(reverse("core:audit_list"), {"date_from": "02/01/2026", "date_to": "01/01/2026"})
    assert response.status_code == 400
    # Page numbers that are not numbers fall back to a real page.
    assert client.get(reverse("core:audit_list"), {"page": "abc"}).status_code == 200


def test_audit_list_hidden_from_school_staff(client, world):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("core:audit_list")).status_code == 404


def test_excel_exports_are_scoped_and_audited(client, world):
    from io import BytesIO

    from openpyxl import load_workbook

    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("core:unit_export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    codes = {row[0] for row in rows[1:]}
    assert codes == {world.school_a.code}
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "core.unit" and entry.changes == {"rows": 1, "format": "xlsx"}
    response = client.get(reverse("core:user_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert world.stranger.username not in {row[1] for row in rows}


def test_export_neutralises_formulas():
    from giaoducso.core.exports import _cell_value

    assert _cell_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell_value("Nguyễn") == "Nguyễn"


def test_navigation_follows_roles(client, world):
    sign_in(client, world.user(Role.TEACHER))
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("core:unit_list") in body and reverse("core:audit_list") not in body
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("core:audit_list") in body


def test_unit_switcher(client, world):
    from giaoducso.testing.factories import MembershipFactory

    teacher = world.user(Role.TEACHER)
    second = MembershipFactory(user=teacher, unit=world.school_b, role=Role.TEACHER)
    sign_in(client, teacher)
    response = client.post(
        reverse("core:switch_unit"), {"membership": second.pk, "next": "/directory/students/"}
    )
    assert response.status_code == 302 and response["Location"] == "/directory/students/"
    body = client.get("/directory/students/").content.decode()
    assert world.student_b.full_name in body and world.child.full_name not in body
    # Someone else's membership, garbage, or an off-site next: refused without error.
    other = world.user(Role.PRINCIPAL).memberships.first()
    for data in (
        {"membership": other.pk},
        {"membership": "abc"},
        {"membership": second.pk, "next": "https://evil.example/"},
    ):
        response = client.post(reverse("core:switch_unit"), data)
        assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_home_pages(client, world):
    body = client.get("/").content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body
    sign_in(client, world.user(Role.TEACHER))
    # The workspace has its own address; `/` is the public portal, which links to it.
    assert "Xin chào" in client.get(reverse("core:home")).content.decode()
    assert reverse("core:home") in client.get("/").content.decode()


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_reports_database_down(client, db, monkeypatch):
    from django.db import DatabaseError
    from django.db.backends.utils import CursorWrapper

    def broken(self, *args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_favicon_and_password_link(client, world):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    sign_in(client, world.user(Role.TEACHER))
    assert reverse("core:password_change") in client.get(reverse("core:home")).content.decode()
