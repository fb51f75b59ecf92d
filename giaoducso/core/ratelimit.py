"""Fixed-window counters in the shared cache (Redis in production, so they hold across processes and
machines; local memory on a developer's machine). One implementation for every public door that a guesser
or a hammering client could lean on: admission pages, transfer lookups, password resets, the portal's
request lookup. (The result-day route keeps its own in-process counter: it answers before Django, and
one cache round trip would be most of its cost.)

A window starts at a key's first count: `add` creates the key with its expiry, `incr` keeps that expiry."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

PREFIX = "giaoducso:rl:"


def _key(scope: str, client: str) -> str:
    return f"{PREFIX}{scope}:{client or '?'}"


def count(scope: str, client: str, *, seconds: int) -> int:
    """Counts one event for this client in the scope's window; the count so far, this one included."""
    key = _key(scope, client)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr(): this is the first of a new window
        cache.add(key, 1, seconds)
        return 1


def allow(scope: str, client: str, *, limit: int, seconds: int) -> bool:
    """Counts a request; False once the client is past `limit` in the window."""
    return count(scope, client, seconds=seconds) <= limit


def reached(scope: str, clients: Iterable[str], *, limit: int) -> bool:
    """True when any of these clients has `limit` or more events in its window (reads, counts nothing):
    for counters of failures only, checked before the attempt."""
    values = cache.get_many([_key(scope, c) for c in clients])
    return any(int(v) >= limit for v in values.values())
