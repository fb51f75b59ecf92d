"""Result day: the public admission result lookup under load, beside a bare WSGI app on the same server.

Sets up a throw-away PostgreSQL database with 200,000 published results (the `PublishedResult` rows that
publication writes: keyed by HMAC(code | date of birth), the answer rendered; written with COPY, setup is
not timed), then starts gunicorn with the production settings (DEBUG off, a secret key, Redis cache, one
trusted proxy) twice in the same run, on loopback:

1. `hello`: a bare WSGI app answering "hello" — the floor of this server and this load generator;
2. the project's WSGI application (config.wsgi), whose `POST /admissions/result.json` is the lookup.

A load generator (asyncio, raw HTTP/1.0 on loopback, bounded in time) sends the same requests to both:
half valid (code, date of birth) pairs, half invalid ones (an unknown code, or a valid code with a wrong
date of birth), each request from one of many clients (X-Forwarded-For, as the proxy would set it). In a
last phase one more client hammers the lookup from a single address while the others go on: it must be
slowed down (429) and the others not.

Prints requests/s, p50/p99 latency and errors for each, and the ratio to the bare app.
Targets: lookup ≥ 0.5 × the bare app's requests/s, p99 < 50 ms, 0 errors.

    python bench/result_day.py [--seconds 60] [--results 200000] [--workers 2] [--concurrency 16] [--reuse]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench_result_day"
SECRET_KEY = "bench-result-day-secret-key-not-for-production-0123456789"  # noqa: S105
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
CLIENTS = 5000


def hello(environ: dict, start_response) -> list[bytes]:  # type: ignore[no-untyped-def]
    """The floor: what this server answers when the application does nothing."""
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


# --- setup -------------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def server_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update(
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
        PROXY_COUNT="1",
        # Loopback has no TLS; in production the proxy terminates it (BEHIND_TLS_PROXY).
        SECURE_SSL_REDIRECT="false",
        DB_CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def setup(url: str, n: int, reuse: bool) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The database with `n` published results; returns valid and invalid (code, dd/mm/yyyy) pairs."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not reuse:
        with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(server_env(url))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from giaoducso.admissions.lookup import result_key
    from rules.admission_run import mask_name

    rng = random.Random(20260701)
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    pairs = []
    for i in range(n):
        code = (
            "L1-"
            + "".join(rng.choice(alphabet) for _ in range(4))
            + "-"
            + "".join(rng.choice(alphabet) for _ in range(4))
        )
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(366))
        pairs.append((code, day, i))
    if not reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        buffer = io.StringIO()
        seen = set()
        for code, day, i in pairs:
            key = result_key(code, day)
            if key in seen:
                continue
            seen.add(key)
            answer = {
                "found": True,
                "code": code,
                "name": mask_name(f"Nguyễn Văn Học Sinh {i}"),
                "birth_year": day.year,
                "campaign": "Tuyển sinh lớp 1 năm học 2026-2027",
                "status": "assigned",
                "status_label": "Trúng tuyển",
                "school": f"Trường Tiểu học số {i % 400}",
                "school_code": f"TH{i % 400:03d}",
                "rank": 1 + i % 3,
                "confirm_by": "15/07/2026",
                "anonymous_id": f"A{i:016x}",
            }
            text = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
            buffer.write(f"{key}\t1\t{i + 1}\t{text.replace(chr(92), chr(92) * 2)}\n")
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY admissions_publishedresult (key, campaign_id, application_id, answer) FROM STDIN"
            ) as copy:
                copy.write(buffer.getvalue())
            cursor.execute("ANALYZE admissions_publishedresult")
        print(f"setup: migrated and published {len(seen):,} results in {time.perf_counter() - started:.1f} s")
    else:
        print("setup: reusing the database left by a previous run")
    connection.close()
    valid = [(code, day.strftime("%d/%m/%Y")) for code, day, _i in pairs]
    invalid = []
    for code, day, _i in pairs[: n // 2]:
        if rng.random() < 0.5:
            invalid.append((code, (day + dt.timedelta(days=1)).strftime("%d/%m/%Y")))  # a wrong date of birth
        else:
            invalid.append(
                ("L1-0000-" + code[-4:], day.strftime("%d/%m/%Y"))
            )  # no such code (0 is never used)
    return valid, invalid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(app: str, url: str, workers: int, chdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--chdir",
        str(chdir),
        "--bind",
        f"127.0.0.1:{port}",
        *(["--workers", str(workers)] if workers else []),
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
        "--max-requests",
        "0",
        app,
    ]
    process = subprocess.Popen(command, env=server_env(url), cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        stop(process)
        raise RuntimeError(f"gunicorn ({app}) did not start")
    return process, port


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- the load generator ------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.limited = 0
        self.wrong = 0
        self.samples: list[str] = []

    def line(self, label: str, seconds: float) -> str:
        lat = sorted(self.latencies)
        n = len(lat)
        if not n:
            return f"{label}: no answers, {self.errors} errors"
        p50 = lat[n // 2] * 1000
        p99 = lat[min(n - 1, int(n * 0.99))] * 1000
        return (
            f"{label}: {n / seconds:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
            f"errors {self.errors}  wrong answers {self.wrong}  rate-limited {self.limited}  ({n:,} answers)"
        )

    def rps(self, seconds: float) -> float:
        return len(self.latencies) / seconds

    def p99_ms(self) -> float:
        lat = sorted(self.latencies)
        return lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("inf")


def request_bytes(path: str, body: str, client: str) -> bytes:
    data = body.encode()
    return (
        f"POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-For: {client}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n\r\n"
    ).encode() + data


async def one(port: int, payload: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    response = await reader.read()
    writer.close()
    head, _sep, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, body


async def worker(
    port: int,
    until: float,
    stats: Stats,
    make: callable,
    expect: callable,
    *,
    hammer: bool = False,  # type: ignore[valid-type]
) -> None:
    while time.monotonic() < until:
        payload, kind = make()
        started = time.perf_counter()
        try:
            status, body = await one(port, payload)
        except OSError:
            stats.errors += 1
            continue
        elapsed = time.perf_counter() - started
        if status == 429 and hammer:
            stats.limited += 1
            stats.latencies.append(elapsed)
            continue
        if status != 200:
            stats.errors += 1
            if len(stats.samples) < 3:
                stats.samples.append(f"{status} {body[:200]!r}")
            continue
        stats.latencies.append(elapsed)
        if not expect(kind, body):
            stats.wrong += 1


def run_load(
    port: int, seconds: float, concurrency: int, make, expect, hammer_make=None
) -> tuple[Stats, Stats]:  # type: ignore[no-untyped-def]
    stats, hammer = Stats(), Stats()

    async def main() -> None:
        until = time.monotonic() + seconds
        tasks = [worker(port, until, stats, make, expect) for _ in range(concurrency)]
        if hammer_make is not None:
            tasks += [
                worker(port, until, hammer, hammer_make, lambda k, b: True, hammer=True) for _ in range(2)
            ]
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return stats, hammer


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="total load time, split in three phases")
    parser.add_argument("--results", type=int, default=200_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers, the same for both apps (0: gunicorn.conf.py's)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="connections in flight")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a previous run")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    try:
        valid, invalid = setup(url, args.results, args.reuse)
    except Exception as exc:
        print(
            f"PostgreSQL not reachable or setup failed ({exc.__class__.__name__}: {exc}); benchmark skipped."
        )
        return 0
    phase = max(1.0, args.seconds / 3)
    rng = random.Random(7)
    path = "/admissions/result.json"

    def make() -> tuple[bytes, str]:
        client = f"10.{rng.randrange(20)}.{rng.randrange(250)}.{rng.randrange(1, CLIENTS // 20 + 1)}"
        if rng.random() < 0.5:
            code, day = rng.choice(valid)
            kind = "valid"
        else:
            code, day = rng.choice(invalid)
            kind = "invalid"
        return request_bytes(path, f"code={code}&date_of_birth={day}", client), kind

    def expect(kind: str, body: bytes) -> bool:
        found = b'"found":true' in body
        return found if kind == "valid" else (b'"found": false' in body or b'"found":false' in body)

    def make_hello() -> tuple[bytes, str]:
        payload, _kind = make()
        return payload, "hello"

    def hammer_make() -> tuple[bytes, str]:
        code, day = rng.choice(valid)
        return request_bytes(path, f"code={code}&date_of_birth={day}", "203.0.113.66"), "hammer"

    print(
        f"load: {phase:.0f} s per phase, {args.concurrency} connections, gunicorn {args.workers or 'default'} workers, "
        f"{len(valid):,} valid and {len(invalid):,} invalid pairs"
    )
    server, port = start_server("result_day:hello", url, args.workers, ROOT / "bench")
    try:
        run_load(port, 1.0, args.concurrency, make_hello, lambda k, b: b == b"hello")  # warm up
        bare, _ = run_load(port, phase, args.concurrency, make_hello, lambda k, b: b == b"hello")
    finally:
        stop(server)
    server, port = start_server("config.wsgi:application", url, args.workers, ROOT)
    try:
        run_load(port, 1.0, args.concurrency, make, expect)  # warm up: connections, imports
        lookup, _ = run_load(port, phase, args.concurrency, make, expect)
        others, hammer = run_load(port, phase, args.concurrency, make, expect, hammer_make)
    finally:
        stop(server)
    print(bare.line("bare hello app  ", phase))
    print(lookup.line("result lookup   ", phase))
    print(others.line("lookup, hammered", phase))
    print(hammer.line("the hammerer    ", phase))
    for sample in lookup.samples + others.samples:
        print("  error sample:", sample)
    ratio = lookup.rps(phase) / bare.rps(phase) if bare.latencies else 0.0
    slowed = hammer.limited / max(1, len(hammer.latencies))
    print(
        f"ratio lookup / bare {ratio:.2f} (target ≥ {TARGET_RATIO}); p99 {lookup.p99_ms():.1f} ms "
        f"(target < {TARGET_P99_MS:.0f}); errors {lookup.errors + others.errors}; wrong answers "
        f"{lookup.wrong + others.wrong}; hammerer refused {slowed:.0%} of its requests, the others' p99 "
        f"{others.p99_ms():.1f} ms"
    )
    ok = (
        ratio >= TARGET_RATIO
        and lookup.p99_ms() < TARGET_P99_MS
        and others.p99_ms() < TARGET_P99_MS
        and lookup.errors + others.errors + lookup.wrong + others.wrong == 0
        and slowed > 0.5
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
