"""Tokens for people whose roles need a second factor; tokens tied to addresses; every use recorded;
scopes a user's roles can never use are refused."""

import logging
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from giaoducso.core.models import ApiToken, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import SCOPES, api_token_authenticate, api_token_create, usable_scopes
from giaoducso.testing.world import World

pytestmark = pytest.mark.django_db


def make(user, *, actor=None, scopes=("units:read",), allowed_ips=()):  # type: ignore[no-untyped-def]
    return api_token_create(
        actor=actor, user=user, name="Đồng bộ", scopes=list(scopes), expires_at=None, allowed_ips=allowed_ips
    )


def _verified(user, verified: bool):  # type: ignore[no-untyped-def]
    """What django-otp's middleware makes of request.user: is_verified() says whether the second
    factor passed in this session."""
    user.is_verified = lambda: verified
    return user


# --- second factor of the issuer ------------------------------------------------------------------


def test_a_token_for_a_two_factor_role_needs_an_issuer_past_the_second_factor(world: World) -> None:
    principal = world.user(Role.PRINCIPAL)
    with pytest.raises(PermissionDenied, match="xác thực hai lớp"):
        make(principal, actor=principal)  # a web request without a verified second factor
    with pytest.raises(PermissionDenied, match="xác thực hai lớp"):
        make(principal, actor=_verified(principal, verified=False))
    assert not ApiToken.objects.exists()
    token, _raw = make(principal, actor=_verified(principal, verified=True))
    assert token.user == principal


def test_an_administrator_issuing_for_a_two_factor_role_must_be_verified_too(world: World) -> None:
    officer, admin = world.user(Role.DEPARTMENT_OFFICER), world.user(Role.DEPARTMENT_IT)
    with pytest.raises(PermissionDenied):
        make(officer, actor=admin)
    make(officer, actor=_verified(admin, verified=True))


def test_the_server_operators_command_is_trusted(world: World) -> None:
    # No web session at all: whoever runs manage.py already controls the server.
    out = StringIO()
    call_command("create_api_token", "w_principal", "--name", "x", "--scope", "students:read", stdout=out)
    assert ApiToken.objects.filter(user=world.user(Role.PRINCIPAL)).exists()


def test_tokens_of_roles_without_a_second_factor_need_no_verification(world: World) -> None:
    teacher = world.user(Role.TEACHER)
    make(teacher, actor=teacher)


# --- scopes the roles can use -------------------------------------------------------------------


def test_scopes_the_roles_can_never_use_are_refused_clearly(world: World) -> None:
    system = world.user(Role.INTEGRATION)
    with pytest.raises(ValidationError) as exc:
        make(system, scopes=["students:read", "audit:read", "directory:write"])
    message = " ".join(exc.value.message_dict["scopes"])
    refused = message.split(".")[0]
    assert "audit:read" in refused and "directory:write" in refused and "students:read" not in refused
    assert system.username in message
    assert not ApiToken.objects.exists()


def test_usable_scopes_follow_the_roles(world: World) -> None:
    assert usable_scopes(world.user(Role.INTEGRATION)) == {
        "units:read",
        "students:read",
        "directory:read",
        "jobs:read",
        # The apps' reads a department's systems pull, and the asset inventory they keep in step.
        "admissions:read",
        "office:read",
        "reporting:read",
        "assets:read",
        "assets:write",
    }
    # An officer reads grade books but never writes a mark: that is the teachers' (records:write); nor does
    # an officer write to a family's contact book, submit a school's report or keep its asset inventory.
    assert usable_scopes(world.user(Role.DEPARTMENT_OFFICER)) == set(SCOPES) - {
        "records:write",
        "contactbook:write",
        "reporting:write",
        "assets:write",
    }
    assert "records:write" in usable_scopes(world.user(Role.TEACHER))
    assert "directory:write" not in usable_scopes(world.user(Role.TEACHER))
    assert usable_scopes(world.nobody) == {"jobs:read"}  # only their own jobs


def test_the_command_explains_a_scope_the_roles_cannot_use(world: World) -> None:
    with pytest.raises(CommandError, match="audit:read"):
        call_command(
            "create_api_token", "w_integration", "--name", "x", "--scope", "audit:read", stdout=StringIO()
        )


# --- addresses ----------------------------------------------------------------------------------


def test_a_token_tied_to_addresses_works_only_from_them(world: World) -> None:
    token, raw = make(world.user(Role.INTEGRATION), allowed_ips=["10.1.2.0/24", "2001:db8::/32", "192.0.2.7"])
    assert token.allowed_ips == ["10.1.2.0/24", "2001:db8::/32", "192.0.2.7/32"]
    assert api_token_authenticate(raw, ip="10.1.2.99") is not None
    assert api_token_authenticate(raw, ip="2001:db8::1") is not None
    assert api_token_authenticate(raw, ip="192.0.2.7") is not None
    assert api_token_authenticate(raw, ip="10.1.3.1") is None
    assert api_token_authenticate(raw, ip=None) is None
    assert api_token_authenticate(raw, ip="not-an-ip") is None


def test_a_token_without_addresses_works_from_anywhere(world: World) -> None:
    _token, raw = make(world.user(Role.INTEGRATION))
    assert api_token_authenticate(raw, ip="203.0.113.5") is not None


def test_bad_address_ranges_are_refused_in_vietnamese(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        make(world.user(Role.INTEGRATION), allowed_ips=["10.0.0.0/33", "ai-do"])
    assert "địa chỉ" in " ".join(exc.value.message_dict["allowed_ips"]).lower()


def test_the_api_applies_the_address_range(client: Client, world: World) -> None:
    _token, raw = make(world.user(Role.INTEGRATION), allowed_ips=["10.9.0.0/16"])
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", REMOTE_ADDR="10.9.1.1", **header).status_code == 200
    response = client.get("/api/v1/me", REMOTE_ADDR="10.8.1.1", **header)
    assert response.status_code == 401
    assert "địa chỉ" in response.json()["error"]["message"]


def test_the_command_ties_a_token_to_addresses(world: World) -> None:
    call_command(
        "create_api_token", "w_integration", "--name", "x", "--scope", "units:read",
        "--allow-ip", "10.0.0.0/8", "--allow-ip", "192.0.2.1", stdout=StringIO(),
    )  # fmt: skip
    assert ApiToken.objects.get().allowed_ips == ["10.0.0.0/8", "192.0.2.1/32"]
    entry = AuditEntry.objects.get(object_type="core.apitoken")
    assert entry.changes["allowed_ips"] == [None, ["10.0.0.0/8", "192.0.2.1/32"]]


# --- every use is recorded ----------------------------------------------------------------------


def test_every_use_is_logged_and_the_last_address_kept(
    client: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    token, raw = make(world.user(Role.INTEGRATION))
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with caplog.at_level(logging.INFO, logger="giaoducso.api.tokens"):
        client.get("/api/v1/me", REMOTE_ADDR="10.0.0.1", **header)
        client.get("/api/v1/me", REMOTE_ADDR="10.0.0.1", **header)
        client.get("/api/v1/me", REMOTE_ADDR="10.0.0.2", **header)
    uses = [r for r in caplog.records if r.name == "giaoducso.api.tokens" and token.prefix in r.getMessage()]
    assert len(uses) == 3
    assert uses[-1].token_prefix == token.prefix and uses[-1].client_ip == "10.0.0.2"  # type: ignore[attr-defined]
    token.refresh_from_db()
    assert token.last_used_at is not None
    # A new address is written at once, even within the minute that spares the database a write.
    assert token.last_used_ip == "10.0.0.2"


def test_readme_lists_every_scope() -> None:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## API") :]
    listed = set(re.findall(r"`([a-z]+:(?:read|write))`", section))
    assert set(SCOPES) <= listed, sorted(set(SCOPES) - listed)
