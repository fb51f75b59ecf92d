"""Result day: the public lookup by application code and date of birth, lean enough for every family at
once.

Publication writes one `PublishedResult` row per application, keyed by HMAC-SHA256(code | date of birth)
under a key derived from SECRET_KEY, holding the answer as JSON already rendered. A lookup computes the key
and runs one indexed query; a wrong date of birth is a key that is not in the table, exactly like a code that
does not exist, so both get the same answer through the same steps (same query, same work): the lookup
cannot tell anyone whether a code exists. Answers (found or not) are kept in a small per-process cache for a
few seconds, which is what result day's repeated refreshes hit.

`ResultRoute` serves `POST /admissions/result.json` before Django's stack (config/wsgi.py wraps the Django
application with it): no session, no cookie, nothing changes, so there is no CSRF to protect, and the
request costs a hash, a rate-limit count and at most one query. The HTML page (views/public.py) goes
through Django with CSRF and reads the same table through `find_answer`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

PATH = "/admissions/result.json"
CACHE_SECONDS = 15.0
CACHE_SIZE = 50_000
MAX_BODY = 1024
NOT_FOUND_MESSAGE = "Không tìm thấy kết quả với mã hồ sơ và ngày sinh này. Hãy kiểm tra lại cả hai."


def _secret() -> bytes:
    return hashlib.sha256(b"giaoducso.admissions.result|" + settings.SECRET_KEY.encode()).digest()


_SECRET: bytes | None = None


def result_key(code: str, date_of_birth: dt.date) -> str:
    global _SECRET
    if _SECRET is None:
        _SECRET = _secret()
    message = f"{normalise_code(code)}|{date_of_birth.isoformat()}".encode()
    return hmac.new(_SECRET, message, hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(str(code or "").split()).upper()[:20]


def parse_date(value: str) -> dt.date | None:
    """dd/mm/yyyy as people write it, or yyyy-mm-dd; None when neither."""
    value = (value or "").strip()[:10]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class _Cache:
    """A bounded LRU with a time to live, per process (thread-safe)."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self.items: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, str | None]:
        with self.lock:
            item = self.items.get(key)
            if item is None or item[0] < time.monotonic():
                return False, None
            return True, item[1]

    def put(self, key: str, value: str | None) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + self.seconds, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def forget(self, key: str) -> None:
        with self.lock:
            self.items.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


CACHE = _Cache(CACHE_SIZE, CACHE_SECONDS)
_SQL = "SELECT answer FROM admissions_publishedresult WHERE key = %s"


def _query(key: str) -> str | None:
    """One indexed query. On PostgreSQL a prepared statement on the raw psycopg connection: result day
    repeats the same statement hundreds of thousands of times, and parsing and planning it each time is
    most of what the database spends on it (Django's cursors bind on the client, which never prepares).
    Not behind a pooler that cannot keep prepared statements (settings.DB_PREPARED_STATEMENTS)."""
    if connection.vendor == "postgresql" and settings.DB_PREPARED_STATEMENTS:
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(_SQL, [key], prepare=True)
            row = cursor.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(_SQL, [key])
            row = cursor.fetchone()
    return row[0] if row else None


def find_answer(code: str, date_of_birth: dt.date | None, *, fresh: bool = False) -> str | None:
    """The published answer (JSON text) for this pair, or None; one indexed query, or none when cached.

    A missing date of birth still computes a key (of a date no one has), so that path costs the same."""
    key = result_key(code, date_of_birth or dt.date(1, 1, 1))
    if not fresh:
        hit, value = CACHE.get(key)
        if hit:
            return value
    value = _query(key)
    CACHE.put(key, value)
    return value


def not_found() -> dict[str, Any]:
    return {"found": False, "message": _(NOT_FOUND_MESSAGE)}


# --- rate limiting ----------------------------------------------------------------------------------


class RateLimiter:
    """A fixed window per client and per process, counted in memory: cheap enough to sit in front of the
    lookup, and what slows a hammering client down without touching the others. The Django pages use the
    shared cache instead (throttle.py), which holds across processes and machines."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.windows: dict[str, tuple[float, int]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            start, count = self.windows.get(client, (now, 0))
            if now - start >= self.seconds:
                start, count = now, 0
            count += 1
            self.windows[client] = (start, count)
            if len(self.windows) > 100_000:  # forget the idle clients
                self.windows = {c: w for c, w in self.windows.items() if now - w[0] < self.seconds}
            return count <= self.limit


# Per process: with W workers a client gets up to W × this many answers per window, far above a family's
# need and far below what a script sends.
LIMITER = RateLimiter(limit=getattr(settings, "ADMISSIONS_LOOKUP_LIMIT", 10), seconds=10.0)


def client_address(environ: dict[str, Any]) -> str:
    """The client's address: behind PROXY_COUNT trusted proxies, the address they saw in X-Forwarded-For."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return str(environ.get("REMOTE_ADDR", ""))[:64]


# --- the WSGI route ------------------------------------------------------------------------------------

_HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
]


def _respond(start_response: Callable[..., Any], status: str, body: bytes) -> Iterable[bytes]:
    start_response(status, [*_HEADERS, ("Content-Length", str(len(body)))])
    return [body]


_NOT_FOUND_BODY: bytes | None = None


def _not_found_body() -> bytes:
    global _NOT_FOUND_BODY
    if _NOT_FOUND_BODY is None:
        _NOT_FOUND_BODY = json.dumps(not_found(), ensure_ascii=False).encode()
    return _NOT_FOUND_BODY


def _error(code: str, message: str) -> bytes:
    return json.dumps(
        {"error": {"code": code, "message": message, "fields": {}}}, ensure_ascii=False
    ).encode()


def lookup_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") != "POST":
        return _respond(
            start_response, "405 Method Not Allowed", _error("method_not_allowed", "Chỉ nhận POST.")
        )
    if not LIMITER.allow(client_address(environ)):
        start_response("429 Too Many Requests", [*_HEADERS, ("Retry-After", "10")])
        return [_error("rate_limited", "Bạn tra cứu quá nhiều lần; hãy thử lại sau ít giây.")]
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= MAX_BODY:
        return _respond(
            start_response, "400 Bad Request", _error("invalid", "Hãy gửi mã hồ sơ và ngày sinh.")
        )
    body = environ["wsgi.input"].read(length)
    try:
        form = parse_qs(body.decode("utf-8"), max_num_fields=4)
    except (UnicodeDecodeError, ValueError):
        form = {}
    code = (form.get("code") or [""])[0]
    day = parse_date((form.get("date_of_birth") or [""])[0])
    if not code or day is None:
        return _respond(
            start_response,
            "400 Bad Request",
            _error("invalid", "Hãy nhập mã hồ sơ và ngày sinh dạng dd/mm/yyyy."),
        )
    try:
        answer = find_answer(code, day)
    except Exception:
        connection.close()
        return _respond(
            start_response,
            "503 Service Unavailable",
            _error("unavailable", "Hệ thống đang bận, hãy thử lại."),
        )
    if answer is None:
        return _respond(start_response, "200 OK", _not_found_body())
    return _respond(start_response, "200 OK", answer.encode())


class ResultRoute:
    """Wraps the Django WSGI application: the result lookup is answered here, everything else by Django."""

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH:
            return lookup_wsgi(environ, start_response)
        return self.application(environ, start_response)  # type: ignore[no-any-return]
