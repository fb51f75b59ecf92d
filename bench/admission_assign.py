"""Benchmark: admission assignment for a city — 200,000 applicants, 600 schools, 3 choices each, two
priority groups and a published lottery — by `rules.admission.deferred_acceptance`, against a plain
round-based reference implementation (below) on the same instance in the same run.

    make bench          # or: .venv/bin/python bench/admission_assign.py [--applicants N] [--schools N]

Prints seconds and peak memory (tracemalloc) for both, checks the results are equal and stable, and the
ratio against the issue's target (no slower than the reference).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rules.admission import blocking_pairs, deferred_acceptance, priority_order  # noqa: E402

SEED = "TS6-2026-bench"


def reference(
    capacity: Mapping[Any, int],
    preferences: Mapping[Any, Sequence[Any]],
    priority: Mapping[Any, Sequence[Any]],
) -> dict[Any, Any]:
    """The textbook rounds: every free applicant proposes to their next school, each school keeps its best
    `capacity` of held and new proposals by sorting."""
    rank = {k: {a: i for i, a in enumerate(order)} for k, order in priority.items()}
    nxt = dict.fromkeys(preferences, 0)
    held: dict[Any, list[Any]] = {k: [] for k in capacity}
    free = set(preferences)
    while free:
        proposals: dict[Any, list[Any]] = {}
        for a in free:
            prefs = preferences[a]
            while nxt[a] < len(prefs):
                k = prefs[nxt[a]]
                nxt[a] += 1
                if capacity.get(k, 0) > 0 and a in rank[k]:
                    proposals.setdefault(k, []).append(a)
                    break
        free = set()
        for k, new in proposals.items():
            pool = sorted(held[k] + new, key=rank[k].__getitem__)
            held[k], rejected = pool[: capacity[k]], pool[capacity[k] :]
            free.update(rejected)
    result: dict[Any, Any] = dict.fromkeys(preferences)
    for k, applicants in held.items():
        for a in applicants:
            result[a] = k
    return result


def instance(
    n_applicants: int, n_schools: int
) -> tuple[dict[int, int], dict[int, list[int]], dict[int, list[int]]]:
    """Schools on a line with a ward each; applicants rank three schools near home, popular ones more
    often; group 1 at a school = lives in its ward, group 2 = the rest (eligible everywhere they apply)."""
    rng = random.Random(20260601)
    seats = max(1, round(n_applicants * 0.95 / n_schools))
    capacity = dict.fromkeys(range(n_schools), seats)
    home = {a: rng.randrange(n_schools) for a in range(n_applicants)}
    preferences: dict[int, list[int]] = {}
    for a, h in home.items():
        near = {h}
        while len(near) < 3:
            near.add(min(n_schools - 1, max(0, h + rng.randint(-4, 4))))
        choices = sorted(near, key=lambda k: (abs(k - h) + rng.random() * 2, k))
        preferences[a] = choices
    applicants_at: dict[int, list[int]] = {k: [] for k in capacity}
    for a, choices in preferences.items():
        for k in choices:
            applicants_at[k].append(a)
    priority = {}
    for k, applying in applicants_at.items():
        group: Callable[[int], int | None] = lambda a, k=k: 1 if home[a] == k else 2  # noqa: E731
        priority[k] = priority_order(applying, group, SEED)
    return capacity, preferences, priority


def measure(fn: Callable[[], dict[Any, Any]]) -> tuple[dict[Any, Any], float, float]:
    """Seconds from a plain run (tracemalloc slows every allocation, so it would skew the timing), then the
    peak memory from a second, traced run."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200_000)
    parser.add_argument("--schools", type=int, default=600)
    args = parser.parse_args()
    start = time.perf_counter()
    capacity, preferences, priority = instance(args.applicants, args.schools)
    print(
        f"instance: {args.applicants:,} applicants, {args.schools} schools, 3 choices, built in {time.perf_counter() - start:.1f} s"
    )
    ours, ours_s, ours_mb = measure(lambda: deferred_acceptance(capacity, preferences, priority))
    ref, ref_s, ref_mb = measure(lambda: reference(capacity, preferences, priority))
    assigned = sum(1 for k in ours.values() if k is not None)
    first = sum(1 for a, k in ours.items() if k is not None and preferences[a][0] == k)
    print(f"deferred_acceptance: {ours_s:.2f} s, peak {ours_mb:.0f} MB")
    print(f"reference:           {ref_s:.2f} s, peak {ref_mb:.0f} MB")
    print(f"assigned {assigned:,} ({first:,} to their first choice), unassigned {len(ours) - assigned:,}")
    equal = ours == ref
    stable = not blocking_pairs(ours, capacity, preferences, priority)
    ratio = ours_s / ref_s if ref_s else float("inf")
    print(f"results equal: {equal}; stable: {stable}; ratio ours/reference {ratio:.2f} (target ≤ 1.00)")
    return 0 if equal and stable and ratio <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
