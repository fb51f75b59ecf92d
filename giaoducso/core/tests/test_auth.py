"""The sign-in journey: password, lockout, the second factor, redirects, sign-out, password change."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.factories import TEST_PASSWORD, UserFactory
from giaoducso.testing.world import World

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/two-factor/"


def _login(client: Client, username: str, password: str = TEST_PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- password step ------------------------------------------------------------------------------


def test_login_page_renders_in_vietnamese(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên đăng nhập hoặc thư điện tử" in page
    assert "Mật khẩu" in page
    assert 'autocomplete="current-password"' in page


def test_login_by_username(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    response = _login(client, teacher.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert _signed_in_user_id(client) == str(teacher.pk)


def test_login_by_email_is_case_insensitive(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    response = _login(client, teacher.email.upper())
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(teacher.pk)


def test_login_by_username_ignores_case(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    _login(client, teacher.username.upper())
    assert _signed_in_user_id(client) == str(teacher.pk)


def test_wrong_password_shows_vietnamese_message(client: Client, world: World) -> None:
    response = _login(client, world.user(Role.TEACHER).username, "sai-mat-khau")
    assert response.status_code == 400
    assert "hoặc mật khẩu không đúng" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_unknown_user_gets_the_same_message(client: Client, db: None) -> None:
    response = _login(client, "khong-ton-tai", "sai-mat-khau")
    assert response.status_code == 400
    assert "hoặc mật khẩu không đúng" in response.content.decode()


def test_inactive_user_cannot_sign_in(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    response = _login(client, teacher.username)
    assert response.status_code == 400
    assert _signed_in_user_id(client) is None
    assert "hoặc mật khẩu không đúng" in response.content.decode()


def test_empty_form_is_a_vietnamese_400(client: Client, db: None) -> None:
    response = client.post(LOGIN, {})
    assert response.status_code == 400
    assert "Mục này là bắt buộc" in response.content.decode()


# --- lockout (django-axes) ----------------------------------------------------------------------


def test_lockout_after_failure_limit_then_even_the_right_password_is_refused(
    client: Client, world: World
) -> None:
    teacher = world.user(Role.TEACHER)
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, teacher.username, "sai-mat-khau").status_code == 400
    locked = _login(client, teacher.username, "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} phút" in page

    right = _login(client, teacher.username, TEST_PASSWORD)
    assert right.status_code == 429
    assert _signed_in_user_id(client) is None


def test_lockout_ends_after_cooloff(client: Client, world: World) -> None:
    from axes.models import AccessAttempt

    teacher = world.user(Role.TEACHER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, teacher.username, "sai-mat-khau")
    assert _login(client, teacher.username).status_code == 429
    # The cool-off has passed: axes forgets attempts older than AXES_COOLOFF_TIME.
    first_failure = AccessAttempt.objects.earliest("attempt_time").attempt_time
    AccessAttempt.objects.update(attempt_time=first_failure - settings.AXES_COOLOFF_TIME * 2)
    assert _login(client, teacher.username).status_code == 302
    assert _signed_in_user_id(client) == str(teacher.pk)


def test_lockout_of_one_account_leaves_others_alone(client: Client, world: World) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, world.user(Role.TEACHER).username, "sai-mat-khau")
    other = world.user(Role.HOMEROOM_TEACHER)
    assert _login(client, other.username).status_code == 302


# --- redirects ----------------------------------------------------------------------------------


def test_next_is_followed_when_local(client: Client, world: World) -> None:
    response = _login(client, world.user(Role.TEACHER).username, next="/notifications/")
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "https:evil.example", "javascript:alert(1)"]
)
def test_open_redirect_is_refused(client: Client, world: World, target: str) -> None:
    response = _login(client, world.user(Role.TEACHER).username, next=target)
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"] == reverse("core:home")


def test_open_redirect_is_refused_after_two_factor(client: Client, world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    device = TOTPDevice.objects.create(user=principal, name="default", confirmed=True)
    client.force_login(principal)
    response = client.post(f"{TWO_FACTOR}?next=https://evil.example/", {"otp_token": _code(device)})
    assert response.status_code == 302
    # To the workspace, like a sign-in without "next" (`/` is the public portal).
    assert response["Location"] == reverse("core:home")


def test_protected_page_sends_anonymous_user_to_login(client: Client, db: None) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- second factor ------------------------------------------------------------------------------


def test_teacher_is_not_asked_for_two_factor(client: Client, world: World) -> None:
    _login(client, world.user(Role.TEACHER).username)
    response = client.get("/notifications/")
    assert response.status_code == 200


def test_principal_must_enrol_then_reaches_pages(client: Client, world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    response = _login(client, principal.username, next="/notifications/")
    assert response.status_code == 302

    # Any page but the sign-in steps sends them to the second factor, keeping where they were going.
    blocked = client.get("/notifications/?page=2&q=a")
    assert blocked.status_code == 302
    location = urlsplit(blocked["Location"])
    assert location.path == TWO_FACTOR
    assert parse_qs(location.query)["next"] == ["/notifications/?page=2&q=a"]
    assert client.get("/accounts/password/").status_code == 302

    enrol = client.get(TWO_FACTOR, {"next": "/notifications/"})
    page = enrol.content.decode()
    assert enrol.status_code == 200
    assert "<svg" in page and "<?xml" not in page
    device = TOTPDevice.objects.get(user=principal)
    assert not device.confirmed
    secret = enrol.context["secret"]
    assert secret in page
    # Reloading the page must not change the secret the user is scanning.
    assert client.get(TWO_FACTOR).context["secret"] == secret

    done = client.post(f"{TWO_FACTOR}?next=/notifications/", {"otp_token": _code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/notifications/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/notifications/").status_code == 200
    assert AuditEntry.objects.filter(actor=principal, note="bật xác thực hai lớp").exists()


def test_later_visit_verifies_with_existing_device(client: Client, world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    device = TOTPDevice.objects.create(user=principal, name="default", confirmed=True)
    _login(client, principal.username)
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200
    assert not page.context["enrolling"]
    assert "<svg" not in page.content.decode()
    assert client.post(TWO_FACTOR, {"otp_token": _code(device)}).status_code == 302
    assert client.get("/notifications/").status_code == 200


@pytest.mark.parametrize("token", ["000000", "abcdef", "12 34", "1234567890123", "", "<script>"])
def test_wrong_or_garbage_code_is_a_vietnamese_400(client: Client, world: World, token: str) -> None:
    principal = world.user(Role.PRINCIPAL)
    device = TOTPDevice.objects.create(user=principal, name="default", confirmed=True)
    if token == "000000" and _code(device) == "000000":
        token = "000001"
    _login(client, principal.username)
    response = client.post(TWO_FACTOR, {"otp_token": token})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mã xác thực" in page
    assert "<script>" not in page
    assert client.get("/notifications/").status_code == 302


def test_wrong_code_is_audited(client: Client, world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    device = TOTPDevice.objects.create(user=principal, name="default", confirmed=True)
    _login(client, principal.username)
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post(TWO_FACTOR, {"otp_token": wrong})
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED, actor=principal)
    assert entry.note == "mã xác thực hai lớp sai"


def test_a_used_code_cannot_be_replayed(world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    device = TOTPDevice.objects.create(user=principal, name="default", confirmed=True)
    code = _code(device)
    first, second = Client(), Client()
    _login(first, principal.username)
    _login(second, principal.username)
    assert first.post(TWO_FACTOR, {"otp_token": code}).status_code == 302
    assert second.post(TWO_FACTOR, {"otp_token": code}).status_code == 400


def test_unverified_session_cannot_use_the_api(client: Client, world: World) -> None:
    _login(client, world.user(Role.PRINCIPAL).username)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_two_factor_page_needs_a_signed_in_user(client: Client, db: None) -> None:
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- sign-out -----------------------------------------------------------------------------------


def test_logout_is_post_only(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    client.force_login(teacher)
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in_user_id(client) == str(teacher.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert _signed_in_user_id(client) is None


# --- audit --------------------------------------------------------------------------------------


def test_login_failed_login_and_logout_are_audited_without_the_password(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    _login(client, teacher.username, "Sai-Mat-Khau-Bi-Mat-42")
    _login(client, teacher.username)
    client.post("/accounts/logout/")

    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.object_id == str(teacher.pk)
    assert failed.object_repr == teacher.username
    assert failed.unit == world.school_a
    login = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert login.actor == teacher
    assert login.ip_address == "127.0.0.1"
    assert login.request_id
    assert AuditEntry.objects.get(action=AuditAction.LOGOUT).actor == teacher

    for entry in AuditEntry.objects.all():
        text = f"{entry.changes} {entry.note} {entry.object_repr} {entry.actor_label}"
        assert "Sai-Mat-Khau-Bi-Mat-42" not in text
        assert TEST_PASSWORD not in text


def test_failed_login_for_unknown_name_is_audited(client: Client, db: None) -> None:
    _login(client, "ai-do@example.edu.vn", "x")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.object_id == ""
    assert entry.actor_label == "ai-do@example.edu.vn"


# --- password change ----------------------------------------------------------------------------


def test_password_change_needs_sign_in(client: Client, db: None) -> None:
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("ngan1!", "Mật khẩu quá ngắn"),
        ("12345678901234", "Mật khẩu này hoàn toàn là số"),
        ("password1234", "Mật khẩu này quá phổ biến"),
    ],
)
def test_weak_password_is_refused_in_vietnamese(
    client: Client, world: World, new_password: str, message: str
) -> None:
    teacher = world.user(Role.TEACHER)
    client.force_login(teacher)
    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(TEST_PASSWORD)


def test_password_similar_to_username_is_refused(client: Client, db: None) -> None:
    user = UserFactory(username="nguyenvanminh", email="minh@example.edu.vn")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": "nguyenvanminh1", "new_password2": "nguyenvanminh1"},
    )
    assert response.status_code == 400
    assert "Mật khẩu quá giống" in response.content.decode()


def test_wrong_old_password_is_refused(client: Client, world: World) -> None:
    client.force_login(world.user(Role.TEACHER))
    response = client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": "Mot-Mat-Khau-Moi-9", "new_password2": "Mot-Mat-Khau-Moi-9"},
    )
    assert response.status_code == 400
    assert "Mật khẩu hiện tại không đúng" in response.content.decode()


def test_password_change_keeps_session_and_new_password_works(client: Client, world: World) -> None:
    teacher = world.user(Role.TEACHER)
    client.force_login(teacher)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "Mật khẩu hiện tại" in page.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Mot-Mat-Khau-Moi-9",
            "new_password2": "Mot-Mat-Khau-Moi-9",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã đổi mật khẩu." in response.content.decode()
    assert _signed_in_user_id(client) == str(teacher.pk)
    assert AuditEntry.objects.filter(actor=teacher, note="đổi mật khẩu").exists()

    fresh = Client()
    assert _login(fresh, teacher.username, "Mot-Mat-Khau-Moi-9").status_code == 302
    assert _login(Client(), teacher.username, TEST_PASSWORD).status_code == 400


# --- the admin ----------------------------------------------------------------------------------


def test_admin_login_goes_through_our_login(client: Client, db: None) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == LOGIN
    assert parse_qs(location.query)["next"] == ["/admin/"]


def test_admin_is_refused_without_use_admin(client: Client, world: World) -> None:
    client.force_login(world.user(Role.TEACHER))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_admin_asks_school_it_for_the_second_factor(client: Client, world: World) -> None:
    # School IT staff are not in TWO_FACTOR_ROLES, but the admin reaches more than their daily screens.
    school_it = world.user(Role.SCHOOL_IT)
    _login(client, school_it.username)
    assert client.get("/notifications/").status_code == 200
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(TWO_FACTOR)

    device = TOTPDevice.objects.get(user=school_it)
    response = client.post(f"{TWO_FACTOR}?next=/admin/", {"otp_token": _code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_opens_for_verified_superuser(client: Client, db: None) -> None:
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=admin, name="default", confirmed=True)
    _login(client, admin.username)
    assert client.get("/admin/").status_code == 302
    client.post(TWO_FACTOR, {"otp_token": _code(device)})
    assert client.get("/admin/").status_code == 200
