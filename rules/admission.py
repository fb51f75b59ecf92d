"""Assignment of applicants to schools for admission to grades 1 and 6 (and preschool intake).

Student-proposing deferred acceptance (Gale–Shapley): each applicant proposes to the schools on their ranked
list in order; a school holds the best applicants by its priority up to its capacity and rejects the rest;
a rejected applicant proposes to their next choice. The result is stable (no applicant and school would
both rather have each other) and strategy-proof for families: no family gains by ranking other than truly.

Determinism is the point: the same inputs (capacities, ranked lists, priority orders built from the groups
and a published random seed) always give the same result, so anyone can download them and re-run the
assignment (`shared/rules/admissions.md`). The algorithm is iterative, with no recursion, for 200,000
applicants; each school keeps its held applicants in a heap keyed by priority rank, so a proposal costs
O(log capacity).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

A = TypeVar("A", bound=Hashable)  # an applicant
K = TypeVar("K", bound=Hashable)  # a school


def deferred_acceptance(
    capacity: Mapping[K, int],
    preferences: Mapping[A, Sequence[K]],
    priority: Mapping[K, Sequence[A]],
) -> dict[A, K | None]:
    """Every applicant's school, or None when no school on their list takes them.

    `capacity`: seats per school. `preferences`: each applicant's ranked choices (first = most wanted).
    `priority`: each school's strict order of applicants (earlier = higher); an applicant absent from a
    school's order is not eligible there, and a school missing from `capacity` or `priority` takes nobody.
    """
    rank: dict[K, dict[A, int]] = {
        school: {a: i for i, a in enumerate(order)} for school, order in priority.items()
    }
    # Per school a max-heap of held applicants by rank (negated: heapq is a min-heap), so the worst held is on top.
    held: dict[K, list[tuple[int, int]]] = {school: [] for school in capacity}
    ids: list[A] = list(preferences)
    next_choice = [0] * len(ids)
    lists = [preferences[a] for a in ids]
    free: deque[int] = deque(range(len(ids)))
    while free:
        i = free.popleft()
        choices = lists[i]
        applicant = ids[i]
        while next_choice[i] < len(choices):
            school = choices[next_choice[i]]
            next_choice[i] += 1
            seats = capacity.get(school, 0)
            order = rank.get(school)
            if seats <= 0 or order is None:
                continue
            r = order.get(applicant)
            if r is None:
                continue  # not eligible at this school
            heap = held[school]
            if len(heap) < seats:
                heapq.heappush(heap, (-r, i))
                break
            worst_rank = -heap[0][0]
            if r < worst_rank:
                _, bumped = heapq.heapreplace(heap, (-r, i))
                free.append(bumped)
                break
        # An applicant who runs out of choices stays unassigned.
    result: dict[A, K | None] = dict.fromkeys(ids)
    for school, heap in held.items():
        for _neg_rank, i in heap:
            result[ids[i]] = school
    return result


def priority_order(applicants: Iterable[A], group_of: Callable[[A], int | None], seed: str | int) -> list[A]:
    """A school's strict order of its eligible applicants: by priority group (1 first), then by a random
    tie-break drawn from the published `seed`. `group_of` answers None for an applicant not eligible.

    The tie-break is one lottery number per applicant, the same at every school (a single tie-break keeps
    the result efficient among stable ones); sorting by (group, lottery, applicant) makes it reproducible
    whatever order the applicants are given in."""
    lottery = lottery_numbers(applicants, seed)
    eligible = [(group, lottery[a], a) for a in lottery if (group := group_of(a)) is not None]
    eligible.sort(key=lambda item: (item[0], item[1]))
    return [a for _group, _number, a in eligible]


def lottery_numbers(applicants: Iterable[A], seed: str | int) -> dict[A, float]:
    """One number in [0, 1) per applicant from the published seed, independent of the input order."""
    ordered = sorted(set(applicants), key=repr)
    rng = random.Random(str(seed))  # noqa: S311  (a public, reproducible lottery, not a secret)
    return {a: rng.random() for a in ordered}


def with_fallback(preferences: Mapping[A, Sequence[K]], nearest: Mapping[A, Sequence[K]]) -> dict[A, list[K]]:
    """A residence-only campaign: each applicant's one choice (their area's school) followed by the other
    schools by distance, so that who is not placed there goes to the nearest school with seats left."""
    return {
        a: list(dict.fromkeys([*choices, *nearest.get(a, ())]))  # keeps order, drops repeats
        for a, choices in preferences.items()
    }


def blocking_pairs(
    assignment: Mapping[A, K | None],
    capacity: Mapping[K, int],
    preferences: Mapping[A, Sequence[K]],
    priority: Mapping[K, Sequence[A]],
) -> list[tuple[A, K]]:
    """Applicant–school pairs that would both rather have each other than what they got: empty for a
    stable assignment. A check anyone can run on a published result."""
    rank = {school: {a: i for i, a in enumerate(order)} for school, order in priority.items()}
    taken: dict[K, list[A]] = {}
    for applicant, school in assignment.items():
        if school is not None:
            taken.setdefault(school, []).append(applicant)
    pairs: list[tuple[A, K]] = []
    for applicant, choices in preferences.items():
        current = assignment.get(applicant)
        for school in choices:
            if school == current:
                break
            order = rank.get(school, {})
            if applicant not in order or capacity.get(school, 0) <= 0:
                continue
            holders = taken.get(school, [])
            if len(holders) < capacity[school] or any(order[h] > order[applicant] for h in holders):
                pairs.append((applicant, school))
    return pairs
