"""Requests the database must never see (a NUL character) and bodies over the size limit: a clear 4xx,
never a 500, in the HTML error page or the API's error shape."""

import json

import pytest
from django.test import Client, override_settings

from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.world import World

# Each of these answered 500 on PostgreSQL (psycopg DataError: a string literal cannot contain NUL).
NUL_URLS = [
    "/open-data/?unit=%00",
    "/open-data/students-by-grade.json?unit=%00",
    "/open-data/students-by-grade.csv?unit=abc%00",
    "/directory/search/?q=abc%00def",
    "/directory/search/export/?q=abc%00def",
    "/directory/search/?%00=x",
    "/directory/schools/%00/",
    "/units/%00/",
    "/directory/quality/%00/",
    "/directory/students/?q=%00",
]
NUL_API_URLS = [
    "/api/v1/units/%00",
    "/api/v1/students?q=%00",
    "/api/v1/open-data/students-by-grade?unit=%00",
]


def assert_html_400(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    assert "ký tự không hợp lệ" in response.content.decode()


def assert_api_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_is_refused_with_400_when_signed_out(client: Client, world: World, url: str) -> None:
    assert_html_400(client.get(url))


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_is_refused_with_400_when_signed_in(client: Client, world: World, url: str) -> None:
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    assert_html_400(client.get(url))


@pytest.mark.parametrize("url", NUL_API_URLS)
def test_nul_in_the_api_gets_its_error_shape(client: Client, world: World, url: str) -> None:
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    error = assert_api_error(client.get(url), 400, "bad_request")
    assert "ký tự không hợp lệ" in error["message"]


def test_api_names_the_parameter_that_carried_the_nul(client: Client, world: World) -> None:
    # It used to be a 422 from the route's own validation (on some routes) or a 500 (on others).
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    error = assert_api_error(client.get("/api/v1/students?page=1&q=a%00b"), 400, "bad_request")
    assert list(error["fields"]) == ["q"]
    assert error["fields"]["q"] == ["Không được chứa ký tự NUL."]


def test_raw_nul_byte_in_query_string_is_refused(world: World) -> None:
    # Not every client percent-encodes: the raw byte must meet the same guard.
    client = Client()
    response = client.get("/open-data/", QUERY_STRING="unit=a\x00b")
    assert_html_400(response)


def test_ordinary_requests_pass_the_guard(client: Client, world: World) -> None:
    assert client.get("/open-data/?unit=PGD06").status_code == 200
    # "%2500" is the text "%00", not a NUL: a search for it is harmless.
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    assert client.get("/directory/search/?q=%2500").status_code == 200


def test_nul_page_is_vietnamese_for_a_signed_out_visitor(client: Client, db: None) -> None:
    page = client.get("/units/%00/").content.decode()
    assert "Lỗi 400" in page


# --- body size --------------------------------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_api_body_over_the_limit_is_413_in_the_error_shape(client: Client, world: World) -> None:
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    body = json.dumps({"full_name": "x" * 5000})
    response = client.post("/api/v1/students", data=body, content_type="application/json")
    error = assert_api_error(response, 413, "too_large")
    assert "quá lớn" in error["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_api_body_over_the_limit_with_a_token_is_413(client: Client, world: World) -> None:
    from giaoducso.core.tokens import api_token_create

    user = world.user(Role.DEPARTMENT_OFFICER)
    _token, raw = api_token_create(
        actor=None, user=user, name="t", scopes=["directory:write"], expires_at=None
    )
    response = client.post(
        "/api/v1/students",
        data=json.dumps({"full_name": "x" * 5000}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert_api_error(response, 413, "too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_html_form_over_the_limit_is_a_413_page(client: Client, world: World) -> None:
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.post(
        "/accounts/password/",
        data="old_password=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_multipart_field_over_the_limit_is_a_413_page(client: Client, world: World) -> None:
    # Uploaded files may exceed the limit (imports); a plain field inside multipart may not.
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
