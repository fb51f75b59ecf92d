"""Security headers, cookies, the production configuration check, and .env.example completeness."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from giaoducso.core.roles import Role
from giaoducso.testing.factories import TEST_PASSWORD
from giaoducso.testing.world import World

REPO = Path(settings.BASE_DIR)


def _csp_directives(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_csp_allows_only_our_own_assets_and_nothing_inline(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    directives = _csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "http:" not in header and "https:" not in header


def test_frame_referrer_and_sniffing_headers(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_over_https(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_no_hsts_over_plain_http(client: Client, db: None) -> None:
    # Browsers ignore HSTS over http; sending it there would only hide a missing TLS redirect.
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_except_health(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # The load balancer probes over http inside the network.
    assert client.get("/healthz").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client: Client, world: World) -> None:
    client.post(
        "/accounts/login/", {"username": world.user(Role.TEACHER).username, "password": TEST_PASSWORD}
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_when_configured(client: Client, world: World) -> None:
    client.post(
        "/accounts/login/",
        {"username": world.user(Role.TEACHER).username, "password": TEST_PASSWORD},
        secure=True,
    )
    assert client.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True
    assert client.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True


def test_session_cookie_is_httponly_by_default_setting() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/two-factor/", "/accounts/password/"])
def test_sign_in_pages_have_no_inline_script_or_style(client: Client, world: World, path: str) -> None:
    # The CSP would block them in the browser; catching them here names the template at fault.
    client.force_login(world.user(Role.PRINCIPAL))
    page = client.get(path).content.decode()
    assert "<svg" in page or path != "/accounts/two-factor/"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\sstyle=", page)
    assert "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)


# --- production configuration -------------------------------------------------------------------


def _production_env(**overrides: str) -> dict[str, str]:
    """A clean environment: nothing leaks from the test settings that pytest loaded into os.environ."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="p9Xr-2vLq7#Wm4zT!bN8sKd5hJc3yGf6aE1uR0oQ_iVxZtYpMnBk",
        ALLOWED_HOSTS="example.edu.vn",
        CSRF_TRUSTED_ORIGINS="https://example.edu.vn",
        # Preload is an opt-in commitment for the whole domain; a real deployment turns it on knowingly.
        SECURE_HSTS_PRELOAD="true",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_check_deploy_catches_debug_in_production() -> None:
    # Proves the check above could fail: the same command flags DEBUG left on.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(DEBUG="true"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key() -> None:
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- .env.example documents every variable ------------------------------------------------------

_ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
_ENV_DOC = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_env_example_documents_every_variable_settings_read() -> None:
    source = (REPO / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(_ENV_READ.findall(source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the regex still works
    documented = set(_ENV_DOC.findall((REPO / ".env.example").read_text(encoding="utf-8")))
    assert read - documented == set(), f"missing from .env.example: {sorted(read - documented)}"


def test_env_example_has_a_comment_for_each_variable_and_no_real_secret() -> None:
    lines = (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = _ENV_DOC.match(line)
        if match:
            above = lines[index - 1] if index else ""
            assert above.startswith("#") and not _ENV_DOC.match(above), f"{match[1]} needs a comment line"
    text = "\n".join(lines)
    secret = re.search(r"^#?\s*SECRET_KEY=(.*)$", text, re.MULTILINE)
    assert secret is not None
    assert "change-me" in secret[1] or "thay" in secret[1].lower()
