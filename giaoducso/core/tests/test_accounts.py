"""Account administration: the one rule (who grants what, who manages whom), the screens, the one-time
password and the forced change, lockouts, "Quên mật khẩu" and a person's own contact details."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from giaoducso.core import accounts
from giaoducso.core.models import AuditEntry, User
from giaoducso.core.roles import Role
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import TEST_PASSWORD, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _lock(username: str) -> None:
    """What django-axes writes after too many failures."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "sai-mat-khau"})


# --- the rule ------------------------------------------------------------------------------------------


def test_who_may_grant_what_where(world):
    dept_it, school_it, principal = (
        world.user(r) for r in (Role.DEPARTMENT_IT, Role.SCHOOL_IT, Role.PRINCIPAL)
    )
    a, b, dept = world.school_a, world.school_b, world.department
    # Department IT: every role of its subtree, department roles on departments, school roles on schools.
    assert accounts.can_grant(dept_it, Role.DEPARTMENT_OFFICER, dept)
    assert accounts.can_grant(dept_it, Role.PRINCIPAL, b)
    assert not accounts.can_grant(dept_it, Role.PRINCIPAL, dept)  # a school role on a department
    assert not accounts.can_grant(dept_it, Role.DEPARTMENT_OFFICER, a)  # and the other way round
    assert not accounts.can_grant(dept_it, Role.DEPARTMENT_IT, world.province)  # above its unit
    assert not accounts.can_grant(dept_it, Role.INTEGRATION, dept)  # system accounts: the operator only
    # A principal: the school's roles below principal, at their school only.
    assert accounts.can_grant(principal, Role.VICE_PRINCIPAL, a)
    assert accounts.can_grant(principal, Role.SCHOOL_IT, a)
    assert not accounts.can_grant(principal, Role.PRINCIPAL, a)
    assert not accounts.can_grant(principal, Role.TEACHER, b)
    # School IT: below the school's leaders; never a department role, never another school.
    assert accounts.can_grant(school_it, Role.TEACHER, a)
    assert accounts.can_grant(school_it, Role.PARENT, a)
    assert not accounts.can_grant(school_it, Role.VICE_PRINCIPAL, a)
    assert not accounts.can_grant(school_it, Role.PRINCIPAL, a)
    assert not accounts.can_grant(school_it, Role.DEPARTMENT_OFFICER, dept)
    assert not accounts.can_grant(school_it, Role.TEACHER, b)
    # Everyone else grants nothing.
    for role in (Role.VICE_PRINCIPAL, Role.TEACHER, Role.DEPARTMENT_LEADER, Role.PARENT):
        assert not accounts.may_administer(world.user(role))
        assert accounts.grantable_roles(world.user(role), a) == []


def test_who_may_manage_whom(world):
    school_it, dept_it = world.user(Role.SCHOOL_IT), world.user(Role.DEPARTMENT_IT)
    teacher = world.user(Role.TEACHER)
    assert accounts.can_manage(school_it, teacher)
    assert not accounts.can_manage(school_it, world.user(Role.PRINCIPAL))
    assert not accounts.can_manage(school_it, world.stranger)
    assert accounts.can_manage(dept_it, world.user(Role.PRINCIPAL))
    # A department officer who also teaches at school A stays out of the school IT's reach.
    officer = world.user(Role.DEPARTMENT_OFFICER)
    MembershipFactory(user=officer, unit=world.school_a, role=Role.TEACHER)
    assert not accounts.can_manage(school_it, officer)
    # So does a teacher of two schools, for the IT of one of them.
    MembershipFactory(user=teacher, unit=world.school_b, role=Role.TEACHER)
    assert not accounts.can_manage(school_it, teacher)
    assert accounts.can_manage(dept_it, teacher)
    # Superusers are managed by superusers only.
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert not accounts.can_manage(dept_it, admin)


def test_the_actions_check_the_rule_themselves(world):
    school_it = world.user(Role.SCHOOL_IT)
    with pytest.raises(PermissionDenied):
        accounts.account_create(
            actor=school_it, username="x1", full_name="X", role=Role.PRINCIPAL, unit=world.school_a
        )
    with pytest.raises(PermissionDenied):
        accounts.account_reset_password(actor=school_it, user=world.user(Role.PRINCIPAL))
    with pytest.raises(PermissionDenied):
        accounts.account_revoke(actor=school_it, membership=world.user(Role.PRINCIPAL).memberships.get())
    with pytest.raises(PermissionDenied):
        accounts.account_grant(
            actor=school_it, user=world.user(Role.TEACHER), role=Role.TEACHER, unit=world.school_b
        )


# --- screens -------------------------------------------------------------------------------------------


def test_school_it_creates_an_account_and_sees_its_password_once(client, world):
    sign_in(client, world.user(Role.SCHOOL_IT))
    form = client.get(reverse("core:account_create")).content.decode()
    # Only school A is offered, and no role above what school IT grants.
    assert world.school_a.code in form and world.school_b.code not in form
    assert 'value="principal"' not in form and 'value="department_officer"' not in form
    response = client.post(
        reverse("core:account_create"),
        {
            "username": "gv.moi",
            "full_name": "Giáo Viên Mới",
            "unit": world.school_a.code,
            "role": Role.TEACHER,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'class="one-time-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="gv.moi")
    assert user.must_change_password and user.check_password(password)
    assert user.memberships.get().role == Role.TEACHER
    lines = lines_by_people().filter(object_type__in=["core.user", "core.membership"]).exclude(action="login")
    assert {(e.object_type, e.action) for e in lines} == {
        ("core.user", "create"),
        ("core.membership", "create"),
    }
    assert all(password not in str(e.changes) + e.note for e in AuditEntry.objects.all())

    # A role above the ceiling is refused by the form.
    refused = client.post(
        reverse("core:account_create"),
        {"username": "hieu.truong2", "full_name": "X", "unit": world.school_a.code, "role": Role.PRINCIPAL},
    )
    assert refused.status_code == 400 and not User.objects.filter(username="hieu.truong2").exists()


def test_a_one_time_password_must_be_changed_before_anything_else(world):
    teacher = world.user(Role.TEACHER)
    password = accounts.account_reset_password(actor=world.user(Role.SCHOOL_IT), user=teacher)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": teacher.username, "password": password}).status_code
        == 302
    )
    assert client.get("/").url == reverse("core:password_change")
    assert client.get(reverse("directory:student_list")).url == reverse("core:password_change")
    assert client.get("/api/v1/me").status_code == 403
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": password,
            "new_password1": "Mat-khau-rieng-2026",
            "new_password2": "Mat-khau-rieng-2026",
        },
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.must_change_password
    assert client.get("/").status_code == 200


def test_reset_deactivate_unlock_and_roles_through_the_screens(client, world):
    school_it = world.user(Role.SCHOOL_IT)
    teacher = world.user(Role.TEACHER)
    sign_in(client, school_it)
    detail = client.get(reverse("core:user_detail", args=[teacher.pk])).content.decode()
    assert "Đặt lại mật khẩu" in detail and "Khóa tài khoản" in detail

    # Locked by django-axes, listed by the "locked" filter, then unlocked.
    _lock(teacher.username)
    assert accounts.is_locked(teacher)
    listed = client.get(reverse("core:user_list"), {"locked": "1"}).content.decode()
    assert teacher.username in listed and world.user(Role.PRINCIPAL).username not in listed
    assert client.post(reverse("core:account_unlock", args=[teacher.pk])).status_code == 302
    assert not accounts.is_locked(teacher)
    assert (
        Client()
        .post("/accounts/login/", {"username": teacher.username, "password": TEST_PASSWORD})
        .status_code
        == 302
    )

    # Deactivation ends the teacher's open session at once.
    theirs = sign_in(Client(), teacher)
    assert client.post(reverse("core:account_set_active", args=[teacher.pk, "deactivate"])).status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert theirs.get("/").status_code == 200 and "Xin chào" not in theirs.get("/").content.decode()
    assert (
        client.get(reverse("core:user_list"), {"active": "0"}).content.decode().count(teacher.username) == 1
    )
    client.post(reverse("core:account_set_active", args=[teacher.pk, "activate"]))
    teacher.refresh_from_db()
    assert teacher.is_active

    # Grant and revoke a role.
    client.post(
        reverse("core:account_grant", args=[teacher.pk]),
        {"unit": world.school_a.code, "role": Role.HOMEROOM_TEACHER},
    )
    granted = teacher.memberships.get(role=Role.HOMEROOM_TEACHER, is_active=True)
    client.post(reverse("core:account_revoke", args=[teacher.pk, granted.pk]))
    granted.refresh_from_db()
    assert not granted.is_active
    actions = set(
        lines_by_people()
        .filter(object_id__in=[str(teacher.pk), str(granted.pk)])
        .values_list("note", flat=True)
    )
    assert {"mở khóa đăng nhập"} <= actions


def test_beyond_the_ceiling_the_screens_refuse(client, world):
    sign_in(client, world.user(Role.SCHOOL_IT))
    principal = world.user(Role.PRINCIPAL)
    # Visible (a role in the school) but above school IT: refused, and nothing is offered.
    assert (
        "Đặt lại mật khẩu"
        not in client.get(reverse("core:user_detail", args=[principal.pk])).content.decode()
    )
    assert client.post(reverse("core:account_reset_password", args=[principal.pk])).status_code == 403
    membership = principal.memberships.get()
    assert client.post(reverse("core:account_revoke", args=[principal.pk, membership.pk])).status_code == 403
    assert (
        client.post(
            reverse("core:account_grant", args=[principal.pk]),
            {"unit": world.school_b.code, "role": Role.TEACHER},
        ).status_code
        == 400
    )
    # Another school's account: 404, as for one that does not exist.
    assert client.post(reverse("core:account_reset_password", args=[world.stranger.pk])).status_code == 404
    assert client.get(reverse("core:user_detail", args=[world.stranger.pk])).status_code == 404
    principal.refresh_from_db()
    assert membership.is_active and not principal.must_change_password


def test_no_one_locks_themselves_out(client, world):
    dept_it = world.user(Role.DEPARTMENT_IT)
    sign_in(client, dept_it)
    client.post(reverse("core:account_set_active", args=[dept_it.pk, "deactivate"]))
    dept_it.refresh_from_db()
    assert dept_it.is_active


def test_teachers_reach_no_account_action(client, world):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("core:account_create")).status_code == 404
    assert (
        client.post(reverse("core:account_reset_password", args=[world.user(Role.PARENT).pk])).status_code
        == 404
    )


def test_list_filters_by_role_and_unit(client, world):
    sign_in(client, world.user(Role.DEPARTMENT_IT))
    by_role = client.get(reverse("core:user_list"), {"role": Role.PRINCIPAL}).content.decode()
    assert world.user(Role.PRINCIPAL).username in by_role and world.user(Role.TEACHER).username not in by_role
    by_unit = client.get(reverse("core:user_list"), {"unit": world.school_b.code}).content.decode()
    assert world.stranger.username in by_unit and world.user(Role.TEACHER).username not in by_unit
    assert (
        world.user(Role.TEACHER).username
        not in client.get(reverse("core:user_list"), {"unit": "KHONGCO"}).content.decode()
    )


def test_principal_manages_the_school_below_principal(client, world):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert (
        client.post(reverse("core:account_reset_password", args=[world.user(Role.SCHOOL_IT).pk])).status_code
        == 200
    )
    new_ward = UnitFactory(code="TC03", name="Trường C", parent=world.department)
    assert not accounts.can_grant(world.user(Role.PRINCIPAL), Role.TEACHER, new_ward)


# --- forgot password -------------------------------------------------------------------------------------


def test_forgot_password_says_the_same_for_any_address_and_mails_a_site_url_link(client, world, settings):
    settings.SITE_URL = "https://giaoducso.example.edu.vn"
    teacher = world.user(Role.TEACHER)
    User.objects.filter(pk=teacher.pk).update(email="gv@example.edu.vn", must_change_password=True)
    known = client.post(reverse("core:password_reset"), {"email": "GV@example.edu.vn"})
    unknown = client.post(reverse("core:password_reset"), {"email": "khong.co@example.edu.vn"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https://giaoducso\.example\.edu\.vn(/accounts/password/forgot/\S+)", body).group(1)
    assert teacher.username in body

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Mat-khau-moi-2026") and not teacher.must_change_password
    assert AuditEntry.objects.filter(
        object_id=str(teacher.pk), note="đặt lại mật khẩu qua thư điện tử"
    ).exists()
    # Used once: the link is dead now.
    assert "không còn dùng được" in client.get(link, follow=True).content.decode()


def test_forgot_password_quietly_stops_sending_after_a_few_requests(client, world):
    User.objects.filter(pk=world.user(Role.TEACHER).pk).update(email="gv@example.edu.vn")
    for _ in range(8):
        assert client.post(reverse("core:password_reset"), {"email": "gv@example.edu.vn"}).status_code == 302
    assert len(mail.outbox) == 5


def test_login_page_offers_forgot_password(client, db):
    assert reverse("core:password_reset") in client.get("/accounts/login/").content.decode()


# --- one's own contact details ---------------------------------------------------------------------------


def test_a_user_changes_their_phone_and_with_their_password_their_email(client, world):
    parent = world.user(Role.PARENT)
    sign_in(client, parent)
    old_phone = parent.phone
    response = client.post(reverse("core:my_account"), {"email": parent.email, "phone": "0909 123 456"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.phone == "0909 123 456"
    line = lines_by_people().get(object_type="core.user", object_id=str(parent.pk), action="update")
    assert line.changes == {"phone": [old_phone, "0909 123 456"]}
    assert line.unit == world.school_a

    refused = client.post(reverse("core:my_account"), {"email": "ph@example.vn", "phone": "0909123456"})
    assert refused.status_code == 400
    ok = client.post(
        reverse("core:my_account"),
        {"email": "ph@example.vn", "phone": "0909123456", "current_password": TEST_PASSWORD},
    )
    assert ok.status_code == 302
    parent.refresh_from_db()
    assert parent.email == "ph@example.vn"
    # An address already used by another account is refused.
    User.objects.filter(pk=world.user(Role.TEACHER).pk).update(email="gv@example.vn")
    taken = client.post(
        reverse("core:my_account"), {"email": "GV@example.vn", "phone": "", "current_password": TEST_PASSWORD}
    )
    assert taken.status_code == 400
