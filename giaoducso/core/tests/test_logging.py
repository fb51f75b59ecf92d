"""Structured logs: one JSON object a line, each carrying the request id that the response announces."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from giaoducso.core import context
from giaoducso.core.logging import JsonFormatter, RequestContextFilter


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The request logger wired exactly as settings.LOGGING wires the console, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("giaoducso.request")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _parse(buffer: io.StringIO) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_formatter_writes_one_json_object_per_line() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("giaoducso.tests.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    token = context.bind(context.RequestContext(request_id="req-123"))
    try:
        logger.info("Học sinh %s\nđã chuyển trường", "Lê Minh Con")
        try:
            raise ValueError("hỏng")
        except ValueError:
            logger.exception("Lỗi khi nhập tệp")
    finally:
        context.reset(token)
        logger.removeHandler(handler)

    lines = buffer.getvalue().splitlines()
    # Newlines in messages and tracebacks stay inside their JSON string: still one line per record.
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "Học sinh Lê Minh Con\nđã chuyển trường"
    assert first["request_id"] == "req-123"
    assert first["level"] == "INFO"
    assert first["logger"] == "giaoducso.tests.json"
    assert first["ts"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "ValueError: hỏng" in second["exc"]
    # Vietnamese stays readable in the shipped logs rather than \\u escapes.
    assert "Lê Minh Con" in lines[0]


def test_outside_a_request_the_id_is_a_dash() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hi", None, None)
    RequestContextFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "-"


def test_each_request_logs_a_line_with_the_id_the_response_carries(
    client: Client, db: None, json_lines: io.StringIO
) -> None:
    first = client.get("/accounts/login/")
    second = client.get("/khong-co-trang-nay/")
    assert first["X-Request-ID"] and second["X-Request-ID"]
    assert first["X-Request-ID"] != second["X-Request-ID"]

    entries = _parse(json_lines)
    assert [e["request_id"] for e in entries] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert entries[0]["path"] == "/accounts/login/"
    assert entries[0]["method"] == "GET"
    assert entries[0]["status_code"] == 200
    assert entries[1]["status_code"] == 404
    assert isinstance(entries[0]["duration_ms"], float)


def test_a_proxy_request_id_is_kept(client: Client, db: None, json_lines: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.91:2"})
    assert response["X-Request-ID"] == "lb-7f3a.91:2"
    assert _parse(json_lines)[0]["request_id"] == "lb-7f3a.91:2"


@pytest.mark.parametrize("bad", ["a b", "x" * 65, "<script>", "id\u00e9"])
def test_an_odd_request_id_is_replaced(client: Client, db: None, bad: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_audit_lines_carry_the_request_id(client: Client, db: None) -> None:
    from giaoducso.core.models import AuditAction, AuditEntry

    response = client.post("/accounts/login/", {"username": "ai-do", "password": "x"})
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.request_id == response["X-Request-ID"]
