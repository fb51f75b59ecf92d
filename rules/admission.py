"""Assignment of applicants to schools for admission to grades 1 and 6 (and preschool intake).

Student-proposing deferred acceptance (Gale–Shapley): each applicant proposes to the schools on their ranked
list in order; a school holds the best applicants by its priority up to its capacity and rejects the rest;
a rejected applicant proposes to their next choice. The result is stable (no applicant and school would
both rather have each other) and strategy-proof for families: no family gains by ranking other than truly.

Determinism is the point: the same inputs (capacities, ranked lists, priority orders built from the groups
and a published random seed) always give the same result, so anyone can download them and re-run the
assignment (`shared/rules/admissions.md`). The algorithm runs in rounds, iteratively, with no recursion, for
200,000 applicants: every free applicant proposes to their next choice, then each school keeps its best
applicants by rank — one sort per school and round, and only where proposals outnumber its seats.
"""

from __future__ import annotations

import random
from collections import defaultdict
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
    # Per school: its seats and its order as ranks. Schools with no seat or no order take nobody.
    seats_of = {school: seats for school, seats in capacity.items() if seats > 0 and school in priority}
    ranks: dict[K, dict[A, int]] = {
        school: {a: r for r, a in enumerate(priority[school])} for school in seats_of
    }
    ids: list[A] = list(preferences)
    lists = [preferences[a] for a in ids]
    next_choice = [0] * len(ids)
    # What each school holds, each applicant as one int, rank × n + index: ranks are unique within a school,
    # so these sort like (rank, index) pairs, and a list of ints sorts several times faster than tuples.
    n = len(ids)
    held: dict[K, list[int]] = {school: [] for school in seats_of}
    free = list(range(len(ids)))
    while free:  # one round: every free applicant proposes to their next eligible choice
        proposals: defaultdict[K, list[int]] = defaultdict(list)
        for i in free:
            choices, j, applicant = lists[i], next_choice[i], ids[i]
            while j < len(choices):
                school = choices[j]
                j += 1
                order = ranks.get(school)
                if order is not None and (r := order.get(applicant)) is not None:
                    proposals[school].append(r * n + i)
                    break
            next_choice[i] = j  # an applicant out of choices stays unassigned
        free = []
        for school, new in proposals.items():
            pool = held[school]
            pool += new
            seats = seats_of[school]
            if len(pool) > seats:  # most schools have room: no sort at all
                pool.sort()
                free += [held_applicant % n for held_applicant in pool[seats:]]
                del pool[seats:]
    result: dict[A, K | None] = dict.fromkeys(ids)
    for school, pool in held.items():
        for held_applicant in pool:
            result[ids[held_applicant % n]] = school
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
