"""Re-running a published admission assignment, and what the public lists show of a person.

The department publishes, for each run, a JSON document of anonymised inputs (`run_document`): the seed,
the seats of each school, each applicant's ranked list (already followed, for a residence-only campaign, by
the other schools nearest first) and the applicant's priority group at each school on the list. `rerun`
rebuilds each school's priority order from the groups and the seed (`rules.admission.priority_order`) and
runs `deferred_acceptance`; `result_digest` is the fingerprint the department publishes beside it. Anyone
with Python and this file (and rules/admission.py) gets the same digest.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .admission import deferred_acceptance, priority_order

DOCUMENT_VERSION = 1


def run_document(
    *,
    campaign: str,
    seed: str,
    capacity: Mapping[str, int],
    preferences: Mapping[str, Sequence[str]],
    groups: Mapping[str, Mapping[str, int]],
) -> dict[str, Any]:
    """The published inputs, in a canonical order (so the same inputs make the same bytes)."""
    return {
        "version": DOCUMENT_VERSION,
        "campaign": campaign,
        "seed": seed,
        "capacity": {k: int(capacity[k]) for k in sorted(capacity)},
        "preferences": {a: list(preferences[a]) for a in sorted(preferences)},
        "groups": {a: {k: int(g) for k, g in sorted(groups[a].items())} for a in sorted(groups)},
    }


def document_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def rerun(document: Mapping[str, Any]) -> dict[str, str | None]:
    """Each applicant's school (or None) from a published document."""
    capacity: dict[str, int] = dict(document["capacity"])
    preferences: dict[str, list[str]] = {a: list(p) for a, p in document["preferences"].items()}
    groups: dict[str, dict[str, int]] = {a: dict(g) for a, g in document["groups"].items()}
    seed = str(document["seed"])
    applying: dict[str, list[str]] = {k: [] for k in capacity}
    for applicant, choices in preferences.items():
        for school in choices:
            if school in applying:
                applying[school].append(applicant)
    priority = {
        school: priority_order(applicants, _group_at(groups, school), seed)
        for school, applicants in applying.items()
    }
    return deferred_acceptance(capacity, preferences, priority)


def _group_at(groups: Mapping[str, Mapping[str, int]], school: str) -> Callable[[str], int | None]:
    def group_of(applicant: str) -> int | None:
        return groups.get(applicant, {}).get(school)

    return group_of


def result_digest(result: Mapping[str, str | None]) -> str:
    """SHA-256 of the result in canonical form: {"A…": "school code" or null} sorted by applicant."""
    canonical = json.dumps({a: result[a] for a in sorted(result)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def mask_name(full_name: str) -> str:
    """ "Nguyễn Văn An" → "Nguyễn V. A.": the family name, then the initials of the other words."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1].upper() + "."
    return " ".join([words[0], *(w[:1].upper() + "." for w in words[1:])])


_EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): the straight line a travel distance is never shorter than."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def main(argv: Sequence[str]) -> int:
    """`python -m rules.admission_run inputs.json`: re-runs a published assignment and prints its digest,
    to compare with the one the department published beside the file."""
    if len(argv) != 1:
        print("usage: python -m rules.admission_run INPUTS.json")
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        document = json.load(handle)
    result = rerun(document)
    placed = sum(1 for school in result.values() if school is not None)
    print(f"applicants {len(result)}, placed {placed}, not placed {len(result) - placed}")
    print(f"result sha256 {result_digest(result)}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
