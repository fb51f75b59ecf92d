"""API responses checked against the committed OpenAPI document (docs/openapi.json), as Zulip does.

`assert_matches_schema(response, method, path_template)` checks one response; `OpenApiClient` is a test
client that checks every JSON response under /api/v1/ on its own. Use it in an API test module with

    @pytest.fixture
    def client():
        return OpenApiClient()

A response must match the schema documented for its path, method and status. An error status the
route does not document must still have the one error shape (`ErrorOut`); a success the route does not
document is a failure. When a route changes on purpose, regenerate the document:
`python manage.py export_openapi`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.test import Client
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from giaoducso.core.api.document import DOCUMENT_PATH, REGENERATE

API_PREFIX = "/api/v1/"
# The document describes itself nowhere; the docs page is HTML.
UNDESCRIBED = {"/api/v1/openapi.json", "/api/v1/docs"}


@cache
def document() -> dict[str, Any]:
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """(regex, template) for every documented path; literal paths before templated ones of equal length,
    so that /students/search never reads as /students/{student_id}."""
    patterns = []
    for template in document()["paths"]:
        regex = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", template)
        )
        patterns.append((re.compile(f"^{regex}$"), template))
    return sorted(patterns, key=lambda item: item[1].count("{"))


def path_template(path: str) -> str | None:
    """The documented template a concrete path falls under, e.g. /api/v1/units/TA01 → /api/v1/units/{code}."""
    return next((template for regex, template in _templates() if regex.match(path)), None)


@cache
def _validator(pointer: tuple[str, ...]) -> Draft202012Validator:
    schema: Any = document()
    for key in pointer:
        schema = schema[key]
    # `$ref`s point at #/components/…: carry the components along so that they resolve.
    return Draft202012Validator({**schema, "components": document()["components"]})


def _error_pointer() -> tuple[str, ...]:
    return ("components", "schemas", "ErrorOut")


def _pointer(method: str, template: str | None, status: int) -> tuple[str, ...] | None:
    """Where the schema of this response lives in the document; None when nothing describes it."""
    operation = document()["paths"].get(template or "", {}).get(method.lower())
    documented = (operation or {}).get("responses", {}).get(str(status))
    if documented is not None:
        if "application/json" not in documented.get("content", {}):
            return None
        return (
            "paths",
            template or "",
            method.lower(),
            "responses",
            str(status),
            "content",
            "application/json",
            "schema",
        )
    if status >= 400:
        return _error_pointer()  # errors have one shape everywhere, documented or not
    raise AssertionError(
        f"{method.upper()} {template} answered {status}, which docs/openapi.json does not document. "
        f"If the API changed on purpose, run: {REGENERATE}"
    )


def assert_matches_schema(response: Any, method: str, path_template: str | None) -> None:
    """Fails unless `response` (JSON) matches the committed document for `method` on `path_template`."""
    if path_template is not None and path_template not in document()["paths"]:
        raise AssertionError(f"{path_template} is not in docs/openapi.json; run: {REGENERATE}")
    pointer = _pointer(method, path_template, response.status_code)
    if pointer is None or not response.content:
        return
    body = json.loads(response.content)
    error = best_match(_validator(pointer).iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(the whole body)"
        raise AssertionError(
            f"{method.upper()} {path_template} → {response.status_code} does not match docs/openapi.json at "
            f"{where}: {error.message}\nIf the API changed on purpose, run: {REGENERATE}"
        )


class OpenApiClient(Client):
    """A test client that checks every JSON response of the API against the committed document."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        path = request.get("PATH_INFO", "")
        content_type = response.get("Content-Type", "")
        if (
            path.startswith(API_PREFIX)
            and path not in UNDESCRIBED
            and content_type.startswith("application/json")
            and request.get("REQUEST_METHOD", "GET") != "HEAD"
        ):
            assert_matches_schema(response, request.get("REQUEST_METHOD", "GET"), path_template(path))
        return response
