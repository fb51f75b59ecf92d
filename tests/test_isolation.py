"""The isolation matrix: every role of one tenant asks every route for the other tenant's records.

Routes come from the URL configuration (screens) and the OpenAPI document (API); parameters are filled
with the other tenant's ids as `giaoducso.testing.isolation.PARAMS` describes. Any route the matrix cannot
fill fails `test_every_route_is_described`, so a new route is covered the day it is added.

Expected: a route naming another tenant's record answers 404 (an unsafe method may also be refused before
the lookup: 405, or 422 for a body that is wrong whatever the id); no answer ever carries the other
tenant's marker, the made-up word in every one of its people's names.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from giaoducso.api import api
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import SYSTEM_ROLES, Role
from giaoducso.core.tokens import api_token_create, usable_scopes
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import UnitFactory
from giaoducso.testing.isolation import PROVINCE_OFFICER, Tenant, add_transfer, build_tenant, fill, skipped
from giaoducso.testing.world import DEPARTMENT_ROLES, SCHOOL_ROLES

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "patch", "delete")
FAMILY = {Role.PARENT, Role.STUDENT}
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def screen_routes() -> list[tuple[str, str, list[str]]]:
    """(name, route, parameters) of every screen in the URL configuration, the API's own patterns aside."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else (pattern.namespace or namespace)
                )
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or "")
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                route = prefix + str(pattern.pattern)
                found.append((name or route, route, [m["name"] for m in PARAM.finditer(route)]))

    walk(get_resolver().url_patterns, "/", "")
    return [r for r in found if not r[0].startswith("api:") and not r[1].startswith("/api/")]


def api_operations() -> list[tuple[str, str, str, list[str]]]:
    """(operation id, method, path, path parameters) of every operation in the OpenAPI document."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            operations.append((f"api:{operation['operationId']}", method, path, params))
    return operations


def text_of(response: Any) -> str:
    """What a person would read in the answer: the body, or the cells of a spreadsheet."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


@pytest.fixture
def tenants() -> tuple[Tenant, Tenant]:
    # One Sở each, so that each tenant has its own school-year calendar for the matrix to reach for.
    one = build_tenant(
        UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT 79"), "1", "Alphonse"
    )
    two = build_tenant(
        UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO01", name="Sở GD&ĐT 01"), "2", "Zenobia"
    )
    add_transfer(one, two)
    add_transfer(two, one)
    return one, two


def test_every_route_is_described(tenants: tuple[Tenant, Tenant]) -> None:
    _, other = tenants
    missing = [
        name
        for name, _route, params in screen_routes()
        if params and not skipped(name) and fill(name, params, other) is None
    ]
    missing += [
        f"{name} ({method.upper()} {path})"
        for name, method, path, params in api_operations()
        if params and not skipped(name) and fill(name, params, other) is None
    ]
    assert not missing, (
        "Routes the isolation matrix cannot fill with another tenant's ids: describe their parameters in "
        f"giaoducso/testing/isolation.py (PARAMS, or SKIPPED with a reason): {missing}"
    )


def _to_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _screen_url(name: str, route: str, values: dict[str, Any]) -> str:
    if ":" in name or name in {"healthz", "set_language"}:
        return reverse(name, kwargs=values)
    return route


def _check(response: Any, other: Tenant, where: str, expect_404: bool, unsafe: bool) -> list[str]:
    problems = []
    # 405: the route does not take this method at all, whatever the id.
    allowed = {404, 405} if not unsafe else {404, 405, 422}
    if _to_sign_in(response) or (response.status_code in (401, 403) and where.split()[1].startswith("/api/")):
        # A token-only account at a screen, or a token without the route's scope: refused before any lookup.
        return [] if other.marker not in text_of(response) else [f"{where}: shows the other tenant's data"]
    if expect_404 and response.status_code not in allowed:
        problems.append(f"{where}: {response.status_code}, expected {sorted(allowed)}")
    if response.status_code < 500 and other.marker in text_of(response):
        problems.append(f"{where}: shows the other tenant's data ({other.marker})")
    if response.status_code >= 500:
        problems.append(f"{where}: server error {response.status_code}")
    return problems


@pytest.mark.parametrize("direction", [0, 1])
@pytest.mark.parametrize("role", [*DEPARTMENT_ROLES, PROVINCE_OFFICER, *SCHOOL_ROLES])
def test_no_role_reaches_the_other_tenant(tenants: tuple[Tenant, Tenant], role: str, direction: int) -> None:
    mine, other = tenants if direction == 0 else tenants[::-1]
    user = mine.users[role]
    if role in SYSTEM_ROLES:
        # A system account signs in with a token only: every scope its roles can use.
        _token, raw = api_token_create(
            actor=None, user=user, name="ma trận", scopes=sorted(usable_scopes(user)), expires_at=None
        )
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    else:
        client = sign_in(Client(), user)
    problems: list[str] = []
    # A prefix of the marker: a search finds the other tenant's people by it, yet the page's echo of the
    # query is not the marker itself.
    lists_query = {"q": other.marker[:5], "school": other.school.code, "unit": other.school.code}

    for name, route, params in screen_routes():
        if skipped(name):
            continue
        values = fill(name, params, other) if params else {}
        if values is None:
            continue  # reported by test_every_route_is_described
        url = _screen_url(name, route, values)
        response = client.get(url, lists_query if not params else {})
        problems += _check(response, other, f"GET {url}", bool(params), unsafe=False)
        if params and role not in FAMILY:
            response = client.post(url, {})
            problems += _check(response, other, f"POST {url}", True, unsafe=True)

    for name, method, path, params in api_operations():
        if skipped(name):
            continue
        values = fill(name, params, other) if params else {}
        if values is None:
            continue
        url = path.format(**values)
        if method == "get":
            response = client.get(url, lists_query if not params else {})
            problems += _check(response, other, f"GET {url}", bool(params), unsafe=False)
        elif params and role not in FAMILY:
            response = client.generic(method.upper(), url, json.dumps({}), content_type="application/json")
            problems += _check(response, other, f"{method.upper()} {url}", True, unsafe=True)

    assert not problems, "\n".join(problems)


def test_the_matrix_sees_what_it_should_see_at_home(tenants: tuple[Tenant, Tenant]) -> None:
    """The matrix proves something only if its marker shows where it is allowed: at the tenant's own school."""
    mine, _ = tenants
    client = sign_in(Client(), mine.users[Role.PRINCIPAL])
    student_page = client.get(reverse("directory:student_detail", args=[mine.student.pk]))
    assert student_page.status_code == 200 and mine.marker in student_page.content.decode()
    api_detail = client.get(f"/api/v1/students/{mine.student.pk}")
    assert api_detail.status_code == 200 and mine.marker in api_detail.content.decode()
    assert Unit.objects.filter(kind=UnitKind.SCHOOL).count() == 4
