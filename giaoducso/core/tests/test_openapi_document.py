"""The committed OpenAPI document (docs/openapi.json) is the one the code generates, and the checker that
every API test runs through (giaoducso/testing/openapi.py) really catches a response that breaks it."""

import json

import pytest
from django.http import JsonResponse

from giaoducso.core.api.document import DOCUMENT_PATH, REGENERATE, render_document
from giaoducso.testing.openapi import assert_matches_schema, document, path_template


def test_committed_document_is_current():
    committed = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
    assert committed == render_document(), (
        f"docs/openapi.json differs from the API the code serves. If the change is intended, run: {REGENERATE}"
    )


@pytest.mark.django_db
def test_committed_document_is_the_served_one(client):
    assert json.loads(client.get("/api/v1/openapi.json").content) == document()


def test_paths_map_to_their_templates():
    assert path_template("/api/v1/units/TA01") == "/api/v1/units/{code}"
    assert path_template("/api/v1/units") == "/api/v1/units"
    assert (
        path_template("/api/v1/students/7/guardians/3")
        == "/api/v1/students/{student_id}/guardians/{guardian_id}"
    )
    assert path_template("/api/v1/nowhere/at/all") is None


def test_checker_accepts_a_good_body_and_names_what_is_wrong_in_a_bad_one():
    good = {
        "code": "TA01",
        "name": "Trường",
        "short_name": "",
        "kind": "school",
        "parent_code": None,
        "depth": 2,
        "is_active": True,
    }
    assert_matches_schema(JsonResponse(good), "get", "/api/v1/units/{code}")
    with pytest.raises(AssertionError, match=r"(?s)at depth: .*export_openapi"):
        assert_matches_schema(JsonResponse({**good, "depth": "two"}), "get", "/api/v1/units/{code}")
    with pytest.raises(AssertionError, match="is a required property"):
        assert_matches_schema(JsonResponse({"code": "TA01"}), "get", "/api/v1/units/{code}")


def test_errors_keep_their_shape_documented_or_not():
    error = {"error": {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}}
    assert_matches_schema(JsonResponse(error, status=404), "get", "/api/v1/units/{code}")
    assert_matches_schema(JsonResponse(error, status=405), "post", "/api/v1/me")
    with pytest.raises(AssertionError):
        assert_matches_schema(
            JsonResponse({"detail": "Not found"}, status=404), "get", "/api/v1/units/{code}"
        )


def test_an_undocumented_success_fails():
    with pytest.raises(AssertionError, match="does not document"):
        assert_matches_schema(JsonResponse({}, status=201), "get", "/api/v1/me")


def test_schema_names_are_unique_across_the_api():
    # The document keys components by class name: two `UnitOut`s of two apps would silently become one,
    # and the document would describe one route with the other's schema.
    from ninja import Schema

    import giaoducso.api  # noqa: F401  (every router, so every schema, is loaded)

    modules: dict[str, set[str]] = {}
    pending = [Schema]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("giaoducso."):
                modules.setdefault(sub.__name__, set()).add(sub.__module__)
            pending.append(sub)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}


def test_the_documents_groups_and_summaries_are_in_vietnamese():
    """ninja's defaults are English ("Student List", tag "students"); people read /api/v1/docs too."""
    from giaoducso.api import TAG_NAMES

    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            name = operation["operationId"].rsplit("_api_", 1)[-1].removeprefix("routes_")
            assert operation["summary"] != name.replace("_", " ").title(), (method, path)
            assert operation["summary"].isascii() is False, (method, path, operation["summary"])
            assert set(operation["tags"]) <= set(TAG_NAMES.values()), (method, path, operation["tags"])
