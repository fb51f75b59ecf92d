"""A system account (role "Hệ thống tích hợp") authenticates only with API tokens: no interactive
sign-in (it has no second factor), and no session in the API, where a session would skip token scopes."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create
from giaoducso.testing.factories import TEST_PASSWORD, MembershipFactory
from giaoducso.testing.world import World

LOGIN = "/accounts/login/"


def test_integration_account_cannot_sign_in_with_its_password(client: Client, world: World) -> None:
    system = world.user(Role.INTEGRATION)
    response = client.post(LOGIN, {"username": system.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "chỉ dùng khóa API" in page
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.object_id == str(system.pk)
    assert "khóa API" in entry.note
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_wrong_password_of_a_system_account_reveals_nothing_new(client: Client, world: World) -> None:
    # Only the right password learns that the account is a system one.
    system = world.user(Role.INTEGRATION)
    response = client.post(LOGIN, {"username": system.username, "password": "Sai-mat-khau-123"})
    assert response.status_code == 400
    assert "chỉ dùng khóa API" not in response.content.decode()


def test_a_person_who_also_holds_the_integration_role_is_a_system_account(
    client: Client, world: World
) -> None:
    teacher = world.user(Role.TEACHER)
    MembershipFactory(user=teacher, unit=world.school_a, role=Role.INTEGRATION)
    response = client.post(LOGIN, {"username": teacher.username, "password": TEST_PASSWORD})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_other_accounts_still_sign_in(client: Client, world: World) -> None:
    response = client.post(LOGIN, {"username": world.user(Role.TEACHER).username, "password": TEST_PASSWORD})
    assert response.status_code == 302


PLAIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@override_settings(AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, PLAIN_BACKEND])
def test_a_session_of_a_system_account_is_refused_by_the_api(client: Client, world: World) -> None:
    # Whatever backend made the session (one that predates this rule, say), the API wants the token.
    system = world.user(Role.INTEGRATION)
    client.force_login(system, backend=PLAIN_BACKEND)
    response = client.get("/api/v1/staff")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert "khóa API" in response.json()["error"]["message"]


def test_a_session_of_a_system_account_is_dropped_on_the_next_request(client: Client, world: World) -> None:
    client.force_login(world.user(Role.INTEGRATION))
    assert client.get("/").context["user"].is_authenticated is False
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(("scopes", "status"), [(["students:read"], 403), (["directory:read"], 200)])
def test_the_token_decides_what_a_system_account_reaches(
    client: Client, world: World, scopes: list[str], status: int
) -> None:
    _token, raw = api_token_create(
        actor=None, user=world.user(Role.INTEGRATION), name="t", scopes=scopes, expires_at=None
    )
    assert client.get("/api/v1/staff", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == status
