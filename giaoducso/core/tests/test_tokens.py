import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from giaoducso.core import tokens
from giaoducso.core.models import ApiToken, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_authenticate, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def make(user, scopes=("units:read",), expires_at=None, actor=None):
    return api_token_create(
        actor=actor, user=user, name="Đồng bộ", scopes=list(scopes), expires_at=expires_at
    )


def test_secret_is_returned_once_and_only_its_hash_is_stored(world):
    user = world.user(Role.INTEGRATION)
    token, raw = make(user)
    assert raw.startswith(f"gds_{token.prefix}_")
    secret = raw.split("_", 2)[2]
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The secret itself is nowhere in the row, nor in the audit log.
    row_text = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values())
    assert secret not in row_text
    entry = AuditEntry.objects.get(object_type="core.apitoken", object_id=str(token.pk))
    assert secret not in str(entry.changes) and "key_hash" not in entry.changes
    assert entry.action == "create"
    assert entry.changes["scopes"] == [None, ["units:read"]]
    # Audited on the user's unit, so that the department's auditors can read the line.
    assert entry.unit == world.department


def test_two_tokens_get_different_prefixes_and_secrets(world):
    user = world.user(Role.INTEGRATION)
    (a, raw_a), (b, raw_b) = make(user), make(user)
    assert a.prefix != b.prefix and raw_a != raw_b


def test_authenticate_accepts_the_secret_and_records_use(world):
    token, raw = make(world.user(Role.INTEGRATION))
    assert token.last_used_at is None
    found = api_token_authenticate(raw)
    assert found is not None and found.pk == token.pk and found.user == world.user(Role.INTEGRATION)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(world):
    token, raw = make(world.user(Role.INTEGRATION))
    api_token_authenticate(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    api_token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    api_token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: "",
        lambda raw: "gds_",
        lambda raw: raw[:-1],  # too short
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # wrong secret
        lambda raw: raw.replace("gds_", "xyz_", 1),
        lambda raw: "gds_0000000000_" + raw.split("_", 2)[2],  # unknown prefix
        lambda raw: raw + "x" * 200,
        lambda raw: raw.upper(),
        lambda raw: "gds_" + "\x00" * 60,
    ],
)
def test_authenticate_rejects_malformed_and_wrong_tokens(world, mangle):
    _token, raw = make(world.user(Role.INTEGRATION))
    assert api_token_authenticate(mangle(raw)) is None
    assert api_token_authenticate(raw) is not None  # the real one still works


def test_expired_token_is_refused(world):
    token, raw = make(world.user(Role.INTEGRATION), expires_at=timezone.now() + dt.timedelta(days=1))
    assert api_token_authenticate(raw) is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_token_authenticate(raw) is None


def test_revoked_token_is_refused_and_revocation_is_audited_once(world):
    officer = world.user(Role.DEPARTMENT_IT)
    token, raw = make(world.user(Role.INTEGRATION))
    api_token_revoke(actor=officer, token=token)
    api_token_revoke(actor=officer, token=token)
    assert api_token_authenticate(raw) is None
    lines = AuditEntry.objects.filter(object_type="core.apitoken", object_id=str(token.pk), action="update")
    assert lines.count() == 1
    assert lines.get().actor == officer


def test_token_of_deactivated_user_is_refused(world):
    user = world.user(Role.INTEGRATION)
    _token, raw = make(user)
    user.is_active = False
    user.save()
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("scopes", [[], ["units:write"], ["units:read", "everything"]])
def test_unknown_or_missing_scopes_are_refused_in_vietnamese(world, scopes):
    with pytest.raises(ValidationError) as exc:
        make(world.user(Role.INTEGRATION), scopes=scopes)
    message = " ".join(exc.value.message_dict["scopes"])
    assert "phạm vi" in message.lower()
    assert not ApiToken.objects.exists()


def test_scopes_are_deduplicated_and_sorted(world):
    token, _raw = make(world.user(Role.INTEGRATION), scopes=["units:read", "students:read", "units:read"])
    assert token.scopes == ["students:read", "units:read"]


def test_blank_name_and_past_expiry_are_refused(world):
    user = world.user(Role.INTEGRATION)
    with pytest.raises(ValidationError) as exc:
        api_token_create(
            actor=None,
            user=user,
            name="  ",
            scopes=["units:read"],
            expires_at=timezone.now() - dt.timedelta(1),
        )
    assert set(exc.value.message_dict) == {"name", "expires_at"}


def test_only_the_user_or_their_administrators_may_create_tokens(world):
    target = world.user(Role.TEACHER)  # on school A
    make(target, actor=target)  # one's own
    make(target, actor=world.user(Role.SCHOOL_IT))  # manages users of school A
    make(target, actor=world.user(Role.DEPARTMENT_IT))  # manages the whole district
    with pytest.raises(PermissionDenied):
        make(target, actor=world.stranger)
    with pytest.raises(PermissionDenied):
        make(target, actor=world.user(Role.PRINCIPAL))  # may view users, not manage them
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=world.stranger, token=ApiToken.objects.filter(user=target).first())


def test_command_prints_the_secret_once(world):
    out = StringIO()
    call_command(
        "create_api_token",
        "w_integration",
        "--name",
        "Bộ GD&ĐT",
        "--scope",
        "students:read",
        "--days",
        "30",
        stdout=out,
    )
    token = ApiToken.objects.get(user=world.user(Role.INTEGRATION))
    raw = next(line for line in out.getvalue().splitlines() if line.startswith("gds_"))
    assert api_token_authenticate(raw).pk == token.pk
    assert token.scopes == ["students:read"]
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert out.getvalue().count(raw) == 1


def test_command_refuses_unknown_user_and_scope(world):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("create_api_token", "ghost", "--name", "x", "--scope", "units:read", stdout=StringIO())
    with pytest.raises(CommandError, match="scopes"):
        call_command("create_api_token", "w_integration", "--name", "x", "--scope", "root", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_scope_vocabulary_is_small_and_fixed():
    assert set(tokens.SCOPES) == {
        "units:read",
        "students:read",
        "directory:read",
        "directory:write",
        "audit:read",
        "jobs:read",
        "records:read",
        "records:write",
        "contactbook:write",
        # --- office ---
        "office:read",
        "office:write",
        # admissions
        "admissions:read",
        "admissions:write",
        # reporting
        "reporting:read",
        "reporting:write",
        "assets:read",
        "assets:write",
    }
