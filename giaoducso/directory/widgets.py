"""The directory's cards on the home page, registered with core's widget registry in DirectoryConfig.ready.

Every card reads through the directory's selectors (scoped like the screens they link to) and costs a
fixed number of queries whatever the size of the unit. The department's quality card ranks every school
with `quality.school_quality` (a streaming pass over the students), so its result is cached for a few
minutes per set of units; its figures likewise.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F, Q

from giaoducso.core.models import Membership, Unit, UnitKind
from giaoducso.core.roles import Perm, Role
from giaoducso.core.scoping import scoped
from giaoducso.core.selectors import job_list
from giaoducso.core.widgets import register_widget

from . import quality, selectors, transfers
from .importing.jobs import IMPORT_JOB_KINDS
from .models import School, Staff, Student, TransferStatus

DEPARTMENT_ROLES = (Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT)
SCHOOL_DESK_ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_OFFICE, Role.SCHOOL_IT)
TEACHER_ROLES = (Role.TEACHER, Role.HOMEROOM_TEACHER)
# A principal of several schools is rare; the cards show the first few, the screens show them all.
MAX_SCHOOLS = 3
LIST_SIZE = 5
CACHE_SECONDS = 300


def _cache_key(name: str, memberships: list[Membership]) -> str:
    paths = sorted({m.unit.path for m in memberships})
    return f"giaoducso:widget:{name}:" + ",".join(paths)


def _department_units(memberships: list[Membership]) -> list[Unit]:
    units = {m.unit.pk: m.unit for m in memberships if m.unit.kind != UnitKind.SCHOOL}
    return sorted(units.values(), key=lambda u: u.path)


def _school_units(memberships: list[Membership]) -> list[Unit]:
    units = {m.unit.pk: m.unit for m in memberships if m.unit.kind == UnitKind.SCHOOL}
    return sorted(units.values(), key=lambda u: u.name)[:MAX_SCHOOLS]


# --- the department ---------------------------------------------------------------------------------


def department_figures(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    units = _department_units(memberships)
    if not units:
        return None
    key = _cache_key("department_figures", memberships)
    figures = cache.get(key)
    if figures is None:
        subtree = Q(pk__in=[])
        for unit in units:
            subtree |= Q(school__path__startswith=unit.path)
        figures = {
            "schools": scoped(School.objects.all(), user, Perm.VIEW_SCHOOL)
            .filter(_unit_subtree(units))
            .count(),
            "students": scoped(Student.objects.filter(status__in=quality.ENROLLED), user, Perm.VIEW_STUDENT)
            .filter(subtree)
            .count(),
            "staff": scoped(Staff.objects.filter(status__in=quality.AT_WORK), user, Perm.VIEW_STAFF)
            .filter(subtree)
            .count(),
        }
        cache.set(key, figures, CACHE_SECONDS)
    return {"units": units, **figures}


def _unit_subtree(units: list[Unit]) -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    return condition


def pending_transfers(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    pending = transfers.transfer_list(user=user, status=TransferStatus.PENDING)
    return {"count": pending.count(), "transfers": list(pending[:LIST_SIZE])}


def quality_alerts(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    units = _department_units(memberships)
    if not units:
        return None
    key = _cache_key("quality_alerts", memberships)
    lowest = cache.get(key)
    if lowest is None:
        schools = quality.school_units(scoped(Unit.objects.all(), user, Perm.VIEW_STUDENT))
        rows = sorted(quality.school_quality(schools), key=lambda q: (q.score, q.unit.name))
        lowest = [
            {"name": q.unit.name, "code": q.unit.code, "score": q.score, "problems": q.problem_total}
            for q in rows[:LIST_SIZE]
        ]
        cache.set(key, lowest, CACHE_SECONDS)
    return {"schools": lowest}


# --- a school's leaders, office and IT --------------------------------------------------------------


def school_figures(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    units = _school_units(memberships)
    if not units:
        return None
    records = {s.unit_id: s for s in School.objects.filter(unit__in=units).select_related("unit")}
    rows = []
    for unit in units:
        record = records.get(unit.pk)
        counts = selectors.school_counts(school=record) if record else None
        [score] = quality.school_quality([unit])
        rows.append({"unit": unit, "counts": counts, "score": score.score, "problems": score.problem_total})
    return {"schools": rows}


def _decided_by(units: list[Unit]) -> Q:
    """Transfers that these schools decide: asked by the source → the destination decides, and back."""
    asked_by_source = Q(requested_by_school=F("from_school"))
    return (asked_by_source & Q(to_school__in=units)) | (~asked_by_source & Q(from_school__in=units))


def school_waiting(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    units = _school_units(memberships)
    if not units:
        return None
    to_decide = transfers.transfer_list(user=user, status=TransferStatus.PENDING).filter(_decided_by(units))
    imports = job_list(user=user, kinds=IMPORT_JOB_KINDS)
    return {
        "transfer_count": to_decide.count(),
        "transfers": list(to_decide[:LIST_SIZE]),
        "imports": list(imports[:LIST_SIZE]),
    }


# --- teachers, parents, students --------------------------------------------------------------------


def teacher_classes(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    # Each class in its own school's current year (calendars differ by province).
    homeroom = selectors.class_list(user=user).filter(year__is_current=True, homeroom_teacher__user=user)
    return {"homeroom": list(homeroom), "year": selectors.current_year_for_user(user)}


def parent_children(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    return {"children": list(selectors.children_of(user=user))}


def student_self(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    record = selectors.own_record(user=user)
    return {"student": record} if record else None


def register() -> None:
    register_widget(
        "directory.department_figures",
        roles=DEPARTMENT_ROLES,
        template="directory/widgets/department_figures.html",
        context_fn=department_figures,
        order=10,
    )
    register_widget(
        "directory.pending_transfers",
        roles=DEPARTMENT_ROLES,
        template="directory/widgets/pending_transfers.html",
        context_fn=pending_transfers,
        order=20,
    )
    register_widget(
        "directory.quality_alerts",
        roles=DEPARTMENT_ROLES,
        template="directory/widgets/quality_alerts.html",
        context_fn=quality_alerts,
        order=30,
    )
    register_widget(
        "directory.school_figures",
        roles=SCHOOL_DESK_ROLES,
        template="directory/widgets/school_figures.html",
        context_fn=school_figures,
        order=10,
    )
    register_widget(
        "directory.school_waiting",
        roles=SCHOOL_DESK_ROLES,
        template="directory/widgets/school_waiting.html",
        context_fn=school_waiting,
        order=20,
    )
    register_widget(
        "directory.teacher_classes",
        roles=TEACHER_ROLES,
        template="directory/widgets/teacher_classes.html",
        context_fn=teacher_classes,
        order=10,
    )
    register_widget(
        "directory.parent_children",
        roles=(Role.PARENT,),
        template="directory/widgets/parent_children.html",
        context_fn=parent_children,
        order=10,
    )
    register_widget(
        "directory.student_self",
        roles=(Role.STUDENT,),
        template="directory/widgets/student_self.html",
        context_fn=student_self,
        order=10,
    )
