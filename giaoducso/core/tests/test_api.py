"""The JSON API: auth (tokens and sessions), scoping on every route, pagination, errors, schema, docs.

Decisions proven here: a token without a route's scope gets 403 (the scope is a fact about the token and
reveals nothing about data); an object outside the caller's scope gets 404, as in the HTML pages.
"""

import json
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from giaoducso.core import audit
from giaoducso.core.api import errors
from giaoducso.core.api.auth import SessionOrTwoFactorAuth, auth_for
from giaoducso.core.models import ApiToken, Job
from giaoducso.core.roles import Role
from giaoducso.core.tokens import SCOPES, api_token_create, api_token_revoke, usable_scopes
from giaoducso.testing.auth import sign_in
from giaoducso.testing.openapi import OpenApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """Every API response of these tests is checked against the committed docs/openapi.json."""
    return OpenApiClient()


ALL_SCOPES = sorted(SCOPES)

# A throwaway API with an unsafe route, mounted only by the tests that need it: the real API has no
# write route yet, and CSRF on unsafe methods must be proven before one lands.
_write_api = NinjaAPI(urls_namespace="test_write_api")
errors.install(_write_api)


@_write_api.post("/echo", auth=auth_for(None))
def _echo(request):
    raise DjangoValidationError({"name": ["Tên không được để trống."]})


@_write_api.post("/denied", auth=auth_for(None))
def _denied(request):
    raise PermissionDenied


@_write_api.get("/boom", auth=None)
def _boom(request):
    raise RuntimeError("secret detail that must not leak")


urlpatterns = [path("api/test/", _write_api.urls)]


def bearer(user, scopes=ALL_SCOPES, **kwargs):
    token, raw = api_token_create(
        actor=None, user=user, name="kiểm thử", scopes=usable_part(user, scopes), expires_at=None, **kwargs
    )
    # Exactly `scopes`, even those the user's roles can never use (create_api_token now refuses them,
    # but older tokens may carry them): the roles must still decide what such a token reaches.
    ApiToken.objects.filter(pk=token.pk).update(scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def usable_part(user, scopes):
    return sorted(set(scopes) & usable_scopes(user)) or ["jobs:read"]


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def names(response):
    assert response.status_code == 200, response.content
    return {item["full_name"] for item in response.json()["items"]}


def codes(response):
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["items"]}


ROUTES = ["/api/v1/me", "/api/v1/units", "/api/v1/students", "/api/v1/audit"]


# --- auth -----------------------------------------------------------------------------------------


def test_me_with_a_token(world, client):
    teacher = world.user(Role.TEACHER)
    body = client.get("/api/v1/me", **bearer(teacher, ["units:read"])).json()
    assert body["user"]["username"] == teacher.username
    assert body["auth"] == "token"
    assert body["token"]["scopes"] == ["units:read"]
    assert body["memberships"] == [
        {
            "unit": {"code": "TA01", "name": world.school_a.name, "kind": "school"},
            "role": "teacher",
            "role_label": "Giáo viên",
            "title": "",
        }
    ]
    assert "directory.view_student" in body["permissions"]
    assert "core.view_audit" not in body["permissions"]


def test_me_with_a_session(world, client):
    sign_in(client, world.user(Role.PARENT))
    body = client.get("/api/v1/me").json()
    assert body["auth"] == "session" and body["token"] is None
    assert body["memberships"][0]["role"] == "parent"


@pytest.mark.parametrize(
    "route", [*ROUTES, "/api/v1/units/TA01", "/api/v1/jobs/6f1c2d3e-0000-4000-8000-000000000001"]
)
def test_anonymous_gets_401_in_the_error_shape(world, client, route):
    response = client.get(route)
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_malformed_expired_and_revoked_tokens_get_401(world, client):
    user = world.user(Role.DEPARTMENT_OFFICER)
    for header in ["Bearer ", "Bearer gds_nope", "Bearer " + "x" * 500, "Bearer gds_0123456789_" + "a" * 43]:
        assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION=header), 401, "unauthenticated")

    token, raw = api_token_create(
        actor=None, user=user, name="a", scopes=usable_part(user, ALL_SCOPES), expires_at=None
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(actor=None, token=token)
    error = assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}"), 401, "unauthenticated")
    assert "thu hồi" in error["message"]

    from django.utils import timezone

    token, raw = api_token_create(
        actor=None,
        user=user,
        name="b",
        scopes=usable_part(user, ALL_SCOPES),
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert_error(client.get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {raw}"), 401, "unauthenticated")


def test_a_bad_token_is_not_rescued_by_a_session(world, client):
    # A system that sends a token must learn that the token failed, whatever cookies ride along.
    sign_in(client, world.user(Role.TEACHER))
    assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer gds_broken"), 401)


@pytest.mark.parametrize(
    ("route", "scope"),
    [
        ("/api/v1/units", "units:read"),
        ("/api/v1/units/TA01", "units:read"),
        ("/api/v1/students", "students:read"),
        ("/api/v1/audit", "audit:read"),
    ],
)
def test_each_route_needs_its_scope(world, client, route, scope):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    others = [s for s in ALL_SCOPES if s != scope]
    error = assert_error(client.get(route, **bearer(officer, others)), 403, "forbidden")
    assert scope in error["message"]
    assert client.get(route, **bearer(officer, [scope])).status_code == 200


def test_student_detail_and_jobs_need_their_scopes(world, client):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    job = Job.objects.create(kind="x", title="Việc", created_by=officer)
    assert_error(client.get(f"/api/v1/students/{world.child.pk}", **bearer(officer, ["units:read"])), 403)
    assert_error(client.get(f"/api/v1/jobs/{job.pk}", **bearer(officer, ["units:read"])), 403)
    assert client.get(f"/api/v1/jobs/{job.pk}", **bearer(officer, ["jobs:read"])).status_code == 200


def test_me_needs_no_particular_scope(world, client):
    assert client.get("/api/v1/me", **bearer(world.user(Role.TEACHER), ["jobs:read"])).status_code == 200


def test_a_scope_never_widens_the_users_roles(world, client):
    # The teacher's token carries audit:read, but the teacher's role may not read the audit log.
    response = client.get("/api/v1/audit", **bearer(world.user(Role.TEACHER)))
    assert response.status_code == 200 and response.json()["count"] == 0


def test_session_without_second_factor_is_refused(world, client):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER), verified=False)
    response = client.get("/api/v1/students")
    # 403 from the 2FA middleware that guards every path, or 401 from the API's own authenticator.
    assert response.status_code in (401, 403)
    assert "hai lớp" in assert_error(response, response.status_code)["message"]
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))  # now with the second factor
    assert len(names(client.get("/api/v1/students"))) == 3


def test_session_authenticator_itself_demands_the_second_factor(world):
    # Independent of the middleware that also guards /api/: the authenticator must refuse on its own.
    request = RequestFactory().get("/api/v1/me")
    request.user = world.user(Role.DEPARTMENT_OFFICER)
    request.user.is_verified = lambda: False
    with pytest.raises(AuthenticationError):
        SessionOrTwoFactorAuth()(request)
    request.user.is_verified = lambda: True
    assert SessionOrTwoFactorAuth()(request) == request.user
    teacher_request = RequestFactory().get("/api/v1/me")
    teacher_request.user = world.user(Role.TEACHER)
    teacher_request.user.is_verified = lambda: False
    assert SessionOrTwoFactorAuth()(teacher_request) == teacher_request.user


@pytest.mark.urls(__name__)
def test_session_auth_enforces_csrf_on_unsafe_methods(world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.user(Role.TEACHER))
    assert_error(client.post("/api/test/echo"), 403, "csrf_failed")
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    # Past the CSRF check, the route's own Django ValidationError comes back as a 422 with fields.
    error = assert_error(client.post("/api/test/echo", HTTP_X_CSRFTOKEN=csrf), 422, "invalid")
    assert error["fields"] == {"name": ["Tên không được để trống."]}


@pytest.mark.urls(__name__)
def test_token_auth_needs_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    assert_error(client.post("/api/test/echo", **bearer(world.user(Role.TEACHER))), 422, "invalid")


@pytest.mark.urls(__name__)
def test_permission_denied_and_unexpected_errors_keep_the_shape(world, client, caplog):
    assert_error(client.post("/api/test/denied", **bearer(world.user(Role.TEACHER))), 403, "forbidden")
    error = assert_error(client.get("/api/test/boom"), 500, "server_error")
    assert "secret detail" not in json.dumps(error)
    assert "secret detail" in caplog.text  # …but it is in the log, for whoever runs the server


# --- scoping across every route -------------------------------------------------------------------


@pytest.fixture(params=["token", "session"])
def as_user(request, client):
    """Calls the API as a user, by token or by session (second factor passed when required)."""

    def make(user):
        headers = {}
        if request.param == "token":
            headers = bearer(user)
        else:
            sign_in(client, user)
        return lambda url: client.get(url, **headers)

    return make


def test_teacher_of_a_sees_school_a_only(world, as_user):
    get = as_user(world.user(Role.TEACHER))
    assert names(get("/api/v1/students")) == {"Lê Minh Con", "Phạm Thu Khác"}
    assert get(f"/api/v1/students/{world.child.pk}").status_code == 200
    assert_error(get(f"/api/v1/students/{world.student_b.pk}"), 404, "not_found")
    assert codes(get("/api/v1/units")) == {"TA01"}
    assert get("/api/v1/units/TA01").status_code == 200
    assert_error(get("/api/v1/units/TB02"), 404, "not_found")
    assert_error(get("/api/v1/units/PGD06"), 404, "not_found")
    assert names(get("/api/v1/students?school=TB02")) == set()


def test_stranger_of_b_sees_school_b_only(world, as_user):
    get = as_user(world.stranger)
    assert names(get("/api/v1/students")) == {"Võ Thành Bê"}
    assert_error(get(f"/api/v1/students/{world.child.pk}"), 404)
    assert_error(get("/api/v1/units/TA01"), 404)


def test_department_officer_sees_both_schools(world, as_user):
    get = as_user(world.user(Role.DEPARTMENT_OFFICER))
    assert names(get("/api/v1/students")) == {"Lê Minh Con", "Phạm Thu Khác", "Võ Thành Bê"}
    assert names(get("/api/v1/students?school=TB02")) == {"Võ Thành Bê"}
    for student in (world.child, world.student_b):
        assert get(f"/api/v1/students/{student.pk}").status_code == 200
    assert codes(get("/api/v1/units")) == {"PGD06", "TA01", "TB02"}
    assert codes(get("/api/v1/units?kind=school")) == {"TA01", "TB02"}
    assert codes(get("/api/v1/units?parent=PGD06")) == {"TA01", "TB02"}
    assert codes(get("/api/v1/units?q=Hậu")) == {"TB02"}
    assert_error(get("/api/v1/units/SO79"), 404)  # above the officer's unit


def test_parent_sees_only_own_child(world, as_user):
    get = as_user(world.user(Role.PARENT))
    assert names(get("/api/v1/students")) == {"Lê Minh Con"}
    detail = get(f"/api/v1/students/{world.child.pk}").json()
    assert detail["personal_id"] == world.child.personal_id  # the family sees its own record whole
    assert [g["phone"] for g in detail["guardians"]] == ["0901234567"]
    assert_error(get(f"/api/v1/students/{world.other_student_a.pk}"), 404)
    assert_error(get(f"/api/v1/students/{world.student_b.pk}"), 404)
    assert codes(get("/api/v1/units")) == set()
    assert_error(get("/api/v1/units/TA01"), 404)
    assert get("/api/v1/audit").json()["count"] == 0


def test_student_sees_only_self(world, as_user):
    get = as_user(world.user(Role.STUDENT))
    assert names(get("/api/v1/students")) == {"Lê Minh Con"}
    assert_error(get(f"/api/v1/students/{world.other_student_a.pk}"), 404)


def test_nobody_sees_nothing(world, as_user):
    get = as_user(world.nobody)
    assert names(get("/api/v1/students")) == set()
    assert codes(get("/api/v1/units")) == set()
    assert_error(get(f"/api/v1/students/{world.child.pk}"), 404)
    assert get("/api/v1/me").json()["permissions"] == []


def test_private_student_fields_only_for_record_keepers_and_family(world, client):
    url = f"/api/v1/students/{world.child.pk}"
    for role in (Role.TEACHER, Role.HOMEROOM_TEACHER, Role.INTEGRATION, Role.DEPARTMENT_LEADER):
        detail = client.get(url, **bearer(world.user(role))).json()
        assert detail["full_name"] == "Lê Minh Con"
        assert detail["personal_id"] is None and detail["guardians"] is None and detail["address"] is None, (
            role
        )
    for role in (Role.PRINCIPAL, Role.SCHOOL_OFFICE, Role.DEPARTMENT_OFFICER):
        assert client.get(url, **bearer(world.user(role))).json()["personal_id"] == world.child.personal_id
    # The list never carries identifiers, whoever asks.
    item = client.get("/api/v1/students", **bearer(world.user(Role.PRINCIPAL))).json()["items"][0]
    assert "personal_id" not in item and "address" not in item


def test_audit_is_scoped_and_filtered(world, as_user):
    audit.record(
        actor=None, action="update", object_type="directory.student", object_repr="B", unit=world.school_b
    )
    audit.record(
        actor=None, action="export", object_type="directory.student", object_repr="S", unit=world.province
    )
    get = as_user(world.user(Role.DEPARTMENT_LEADER))
    items = get("/api/v1/audit?object_type=directory.student").json()["items"]
    assert [(i["object_repr"], i["unit_code"]) for i in items] == [("B", "TB02")]  # not the province's line
    assert get("/api/v1/audit?action=export").json()["count"] == 0
    assert get("/api/v1/audit?action=update&date_from=2000-01-01&date_to=2999-12-31").json()["count"] >= 1
    assert get("/api/v1/audit?date_to=2000-01-01").json()["count"] == 0
    assert_error(get("/api/v1/audit?action=hack"), 422, "invalid")
    assert_error(get("/api/v1/audit?date_from=31/12/2025"), 422, "invalid")
    assert_error(get("/api/v1/audit?date_from=0001-01-01"), 422, "invalid")
    assert get("/api/v1/audit?date_to=2999-12-31").status_code == 200


def test_jobs_are_visible_to_their_owner_only(world, as_user):
    teacher = world.user(Role.TEACHER)
    job = Job.objects.create(kind="export", title="Xuất danh sách", created_by=teacher, progress=40)
    get = as_user(world.user(Role.DEPARTMENT_OFFICER))  # wider scope, still not the owner
    assert_error(get(f"/api/v1/jobs/{job.pk}"), 404, "not_found")


def test_own_job_shows_status_and_progress(world, client):
    teacher = world.user(Role.TEACHER)
    job = Job.objects.create(
        kind="export", title="Xuất danh sách", created_by=teacher, progress=40, message="Đang xuất"
    )
    body = client.get(f"/api/v1/jobs/{job.pk}", **bearer(teacher)).json()
    assert (body["status"], body["progress"], body["message"]) == ("queued", 40, "Đang xuất")
    assert body["status_label"] == "Đang chờ"
    assert_error(client.get(f"/api/v1/jobs/{uuid.uuid4()}", **bearer(teacher)), 404)
    assert_error(client.get("/api/v1/jobs/not-a-uuid", **bearer(teacher)), 422)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("route", ["/api/v1/audit", "/api/v1/me", "/api/v1/units"])
def test_there_are_no_write_routes(world, client, method, route):
    headers = bearer(world.user(Role.DEPARTMENT_OFFICER))
    response = getattr(client, method)(route, data="{}", content_type="application/json", **headers)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert_error(getattr(client, method)("/api/v1/audit/1", **headers), 404)


# --- pagination -----------------------------------------------------------------------------------


def test_pagination_pages_through_the_list(world, client):
    headers = bearer(world.user(Role.DEPARTMENT_OFFICER))
    pages = [client.get(f"/api/v1/students?page={p}&page_size=2", **headers).json() for p in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    assert {p["count"] for p in pages} == {3}
    assert [(p["page"], p["page_size"]) for p in pages] == [(1, 2), (2, 2), (3, 2)]
    seen = [i["full_name"] for p in pages for i in p["items"]]
    assert sorted(seen) == sorted({"Lê Minh Con", "Phạm Thu Khác", "Võ Thành Bê"})


@override_settings(API_PAGE_SIZE=2)
def test_default_page_size_comes_from_settings(world, client):
    body = client.get("/api/v1/students", **bearer(world.user(Role.DEPARTMENT_OFFICER))).json()
    assert (body["page"], body["page_size"], len(body["items"]), body["count"]) == (1, 2, 2, 3)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=99999999999999999999999", "page"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=", "page_size"),
        ("q=" + "x" * 101, "q"),
        ("kind=galaxy", "kind"),
    ],
)
def test_bad_paging_and_filters_are_422_with_fields(world, client, query, field):
    route = "/api/v1/units" if query.startswith("kind") else "/api/v1/students"
    error = assert_error(
        client.get(f"{route}?{query}", **bearer(world.user(Role.DEPARTMENT_OFFICER))), 422, "invalid"
    )
    assert field in error["fields"]
    assert all(re.search(r"[à-ỹ]", m) for m in error["fields"][field]), error  # said in Vietnamese


def test_largest_allowed_page_and_size_work(world, client):
    headers = bearer(world.user(Role.DEPARTMENT_OFFICER))
    assert client.get("/api/v1/students?page_size=500", **headers).json()["page_size"] == 500
    assert client.get("/api/v1/students?page=10000000&page_size=500", **headers).json()["items"] == []


def test_list_pages_run_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    headers = bearer(world.user(Role.DEPARTMENT_OFFICER))
    client.get("/api/v1/units", **headers)  # warm the token's last_used_at
    # token lookup, memberships, count, page — and no query per row (parent codes are joined).
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/units", **headers).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/students", **headers).status_code == 200


# --- errors, schema and docs ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/nowhere", "/api/v1/", "/api/v2/me", "/api/v1/units/TA01/extra"])
def test_unknown_api_urls_are_json_404(world, client, url):
    assert_error(client.get(url), 404, "not_found")


def test_openapi_document_lists_every_route(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    paths = {p: sorted(ops) for p, ops in document["paths"].items()}
    # Every app adds its routes (the directory's are proven in giaoducso/directory/tests/test_api_directory.py);
    # the core ones and the students' reads must stay as they are.
    expected = {
        "/api/v1/me": ["get"],
        "/api/v1/units": ["get"],
        "/api/v1/units/{code}": ["get"],
        "/api/v1/students": ["get", "post"],
        "/api/v1/students/{student_id}": ["get", "patch"],
        "/api/v1/audit": ["get"],
        "/api/v1/jobs/{job_id}": ["get"],
    }
    assert {p: paths.get(p) for p in expected} == expected
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    # Errors are documented in their one shape.
    error_ref = document["paths"]["/api/v1/students"]["get"]["responses"]["422"]["content"][
        "application/json"
    ]
    assert error_ref["schema"]["$ref"].endswith("/ErrorOut")


def test_openapi_and_docs_refuse_writes_in_the_error_shape(client):
    for url in ("/api/v1/openapi.json", "/api/v1/docs"):
        assert_error(Client(enforce_csrf_checks=True).post(url), 405, "method_not_allowed")


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/") and not url.startswith("//"), url
        assert finders.find(url.removeprefix("/static/")), f"missing static file {url}"
    # Only the JSON data block is inline; every script that runs comes from a file.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' id="swagger-settings" type="application/json"']
    assert "'self'" in response["Content-Security-Policy"]
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io


# --- never a 500 ----------------------------------------------------------------------------------

_param_names = st.sampled_from(
    [
        "page",
        "page_size",
        "q",
        "kind",
        "parent",
        "school",
        "action",
        "object_type",
        "date_from",
        "date_to",
        "x",
    ]
)
_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", "1", "0", "-1", "1e9", "2025-02-30", "9999-12-31", "0001-01-01", "school", "create"]
    ),
)
_segments = st.one_of(
    st.text(min_size=1, max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.uuids().map(str),
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


@st.composite
def _requests(draw):
    template = draw(
        st.sampled_from(
            [
                "/api/v1/me",
                "/api/v1/units",
                "/api/v1/units/{}",
                "/api/v1/students",
                "/api/v1/students/{}",
                "/api/v1/audit",
                "/api/v1/jobs/{}",
                "/api/v1/{}",
            ]
        )
    )
    url = template.format(quote(draw(_segments), safe="")) if "{}" in template else template
    query = urlencode(draw(st.lists(st.tuples(_param_names, _values), max_size=5)))
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]))
    body = draw(st.one_of(_json.map(json.dumps), st.binary(max_size=50).map(lambda b: b.decode("latin-1"))))
    return method, f"{url}?{query}" if query else url, body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=_requests(), authorised=st.booleans())
def test_random_requests_never_500_and_errors_keep_their_shape(world, client, request, authorised):
    method, url, body = request
    headers = bearer(world.user(Role.DEPARTMENT_OFFICER)) if authorised else {}
    response = client.generic(method, url, data=body, content_type="application/json", **headers)
    assert response.status_code < 500, (method, url, response.content)
    if method == "HEAD":
        return  # no body to check; the status alone says enough
    if response.status_code >= 400:
        assert_error(response, response.status_code)
    else:
        assert isinstance(response.json(), dict)


# --- the docs page in a real browser --------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_under_the_csp_without_leaving_the_server(live_server):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    foreign: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on(
                "request",
                lambda r: foreign.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None,
            )
            document = json.loads(Client().get("/api/v1/openapi.json").content)
            expected_operations = sum(len(ops) for ops in document["paths"].values())
            page.goto(f"{live_server.url}/api/v1/docs")
            # Swagger UI draws one block per operation once it has fetched and parsed the schema.
            page.wait_for_selector(".opblock", timeout=15000)
            operations = page.locator(".opblock").count()
            title = page.locator(".info .title").inner_text()
        finally:
            browser.close()
    assert operations == expected_operations > 7
    assert "Giáo Dục Số API" in title
    assert foreign == []
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
