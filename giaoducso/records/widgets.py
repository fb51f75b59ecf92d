"""The records' cards on the home page (core.widgets, registered in RecordsConfig.ready): a teacher's grade
books with the cells still empty this term, the school's completion and pending corrections for its
leaders, a family's latest marks. Each costs a fixed number of queries whatever the size of the school.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.utils import timezone

from giaoducso.core.models import Membership, UnitKind
from giaoducso.core.roles import Perm, Role
from giaoducso.core.scoping import scoped
from giaoducso.core.widgets import register_widget
from giaoducso.directory.models import SchoolClass, Student
from giaoducso.directory.models import Term as YearTerm

from .models import (
    CorrectionRequest,
    CorrectionStatus,
    GradeSubject,
    Mark,
    MarkKind,
    SubjectKind,
    TeachingAssignment,
)
from .services.marks import IN_CLASS_STATUSES, regular_for

TEACHER_ROLES = (Role.TEACHER, Role.HOMEROOM_TEACHER)
LEADER_ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL)
LIST_SIZE = 8
MAX_CLASSES = 60  # a school's card lists the least complete first; the summary pages show them all


def _current_terms(classes: Iterable[SchoolClass], today: dt.date) -> dict[int, int]:
    """Each class's term today, by its year's calendar (term II from its start date; else January)."""
    classes = list(classes)
    starts = dict(
        YearTerm.objects.filter(year_id__in={c.year_id for c in classes}, number=2).values_list(
            "year_id", "start_date"
        )
    )
    terms = {}
    for c in classes:
        start = starts.get(c.year_id)
        second = today >= start if start else today.year > c.year.start_date.year
        terms[c.pk] = 2 if second else 1
    return terms


def _cells_per_term(grade_subjects: Iterable[GradeSubject]) -> dict[tuple[int, int], int]:
    """(grade, subject) → the grade-book cells of one term: regular ones + mid-term + end of term."""
    return {
        (gs.grade, gs.subject_id): regular_for(gs.subject.kind, gs.periods_per_year) + 2
        for gs in grade_subjects
    }


def _class_sizes(class_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Student.objects.filter(current_class_id__in=list(class_ids), status__in=IN_CLASS_STATUSES)
        .values_list("current_class_id")
        .annotate(n=Count("id"))
        .values_list("current_class_id", "n")
    )


def _filled(class_ids: Iterable[int], terms: dict[int, int]) -> Counter[tuple[int, int]]:
    """(class, subject) → the cells holding something in the class's current term."""
    filled: Counter[tuple[int, int]] = Counter()
    rows = (
        Mark.objects.filter(school_class_id__in=list(class_ids), student__status__in=IN_CLASS_STATUSES)
        .values_list("school_class_id", "subject_id", "term")
        .annotate(n=Count("id"))
    )
    for class_id, subject_id, term, n in rows:
        if terms.get(class_id) == term:
            filled[(class_id, subject_id)] += n
    return filled


def teacher_gradebooks(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    taught = list(
        TeachingAssignment.objects.filter(teacher__user=user, school_class__year__is_current=True)
        .select_related("school_class", "school_class__year", "school_class__school", "subject")
        .order_by("school_class__grade", "school_class__name", "subject__order")[:50]
    )
    if not taught:
        return None
    classes = {a.school_class_id: a.school_class for a in taught}
    terms = _current_terms(classes.values(), timezone.localdate())
    sizes = _class_sizes(classes)
    cells = _cells_per_term(
        GradeSubject.objects.filter(grade__in={c.grade for c in classes.values()}).select_related("subject")
    )
    filled = _filled(classes, terms)
    books = []
    for a in taught:
        c = a.school_class
        expected = sizes.get(c.pk, 0) * cells.get((c.grade, a.subject_id), 0)
        books.append(
            {
                "school_class": c,
                "subject": a.subject,
                "term": terms[c.pk],
                "empty": max(0, expected - filled[(c.pk, a.subject_id)]),
            }
        )
    return {"books": books}


def school_completion(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    schools = sorted(
        {m.unit.pk: m.unit for m in memberships if m.unit.kind == UnitKind.SCHOOL}.values(),
        key=lambda u: u.name,
    )
    if not schools:
        return None
    classes = list(
        SchoolClass.objects.filter(school__in=schools, year__is_current=True, grade__gte=1)
        .select_related("year")
        .order_by("grade", "name")
    )
    terms = _current_terms(classes, timezone.localdate())
    sizes = _class_sizes(c.pk for c in classes)
    grade_subjects = list(
        GradeSubject.objects.filter(grade__in={c.grade for c in classes}).select_related("subject")
    )
    cells = _cells_per_term(grade_subjects)
    per_grade: dict[int, int] = Counter()
    for (grade, _subject), n in cells.items():
        per_grade[grade] += n
    filled_by_class: Counter[int] = Counter()
    for (class_id, _subject), n in _filled((c.pk for c in classes), terms).items():
        filled_by_class[class_id] += n
    rows = []
    for c in classes:
        expected = sizes.get(c.pk, 0) * per_grade.get(c.grade, 0)
        percent = round(100 * min(filled_by_class[c.pk], expected) / expected) if expected else 0
        rows.append({"school_class": c, "term": terms[c.pk], "percent": percent})
    rows.sort(key=lambda r: (r["percent"], r["school_class"].grade, r["school_class"].name))
    pending = CorrectionRequest.objects.filter(school__in=schools, status=CorrectionStatus.PENDING)
    return {
        "classes": rows[:MAX_CLASSES],
        "class_count": len(rows),
        "complete": sum(1 for r in rows if r["percent"] >= 100),
        "pending_count": pending.count(),
        "pending": list(pending.select_related("school_class", "student")[:LIST_SIZE]),
    }


def child_marks(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    # The relation, not the school: a parent who also teaches there sees here only their own children.
    marks = (
        scoped(Mark.objects.filter(student__guardians__user=user), user, Perm.VIEW_RECORDS)
        .select_related("student", "subject", "school_class")
        .order_by("-updated_at", "-pk")[:LIST_SIZE]
    )
    rows = []
    for mark in marks:
        if mark.subject.kind == SubjectKind.SCORED:
            shown = "" if mark.value is None else f"{mark.value:.1f}".replace(".", ",")
        elif mark.subject.kind == SubjectKind.COMMENT:
            shown = {1: "Đ", 0: "CĐ"}.get(mark.level, "") if mark.level is not None else ""
        else:
            shown = {2: "T", 1: "H", 0: "C"}.get(mark.level, "") if mark.level is not None else ""
            if mark.value is not None:
                shown = f"{shown} · {int(mark.value)}"
        label = {MarkKind.REGULAR: f"TX{mark.index}", MarkKind.MIDTERM: "GK", MarkKind.FINAL: "CK"}[mark.kind]
        rows.append({"mark": mark, "shown": shown, "label": label})
    return {"marks": rows}


def contact_book(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    """The family's contact book at a glance: each child, the teacher's messages not read yet (parents),
    the class's latest announcement. Three queries whatever the number of children."""
    from .models import Announcement, Message
    from .selectors.family import children_for

    children = [c for c in children_for(user) if c.current_class_id is not None][:10]
    if not children:
        return None
    is_parent = any(m.role == Role.PARENT for m in memberships)
    unread = (
        dict(
            Message.objects.filter(student__in=children, from_family=False, read_at__isnull=True)
            .values_list("student_id")
            .annotate(n=Count("id"))
            .values_list("student_id", "n")
        )
        if is_parent
        else {}
    )
    latest: dict[int, Any] = {}
    for announcement in Announcement.objects.filter(
        school_class_id__in={c.current_class_id for c in children}
    ).order_by("-created_at")[:20]:
        latest.setdefault(announcement.school_class_id, announcement)
    return {
        "children": [
            {
                "student": c,
                "unread": unread.get(c.pk, 0),
                "announcement": latest.get(c.current_class_id),  # type: ignore[arg-type]
            }
            for c in children
        ]
    }


def register() -> None:
    register_widget(
        "records.teacher_gradebooks",
        roles=TEACHER_ROLES,
        template="records/widgets/teacher_gradebooks.html",
        context_fn=teacher_gradebooks,
        order=15,
    )
    register_widget(
        "records.school_completion",
        roles=LEADER_ROLES,
        template="records/widgets/school_completion.html",
        context_fn=school_completion,
        order=25,
    )
    register_widget(
        "records.child_marks",
        roles=(Role.PARENT,),
        template="records/widgets/child_marks.html",
        context_fn=child_marks,
        order=15,
    )
    # records — the contact book (issue 10)
    register_widget(
        "records.contact_book",
        roles=(Role.PARENT, Role.STUDENT),
        template="records/widgets/contact_book.html",
        context_fn=contact_book,
        order=10,
    )
