"""Who reaches which part of a class's records — decided here, once, for the screens, the API and imports.

Scoping (`core.scoping`, Perm.VIEW_RECORDS) says whether a user reaches a school's records at all; the
teaching assignments then narrow a teacher to what they teach:

| role                                    | reads                               | writes                          |
|-----------------------------------------|-------------------------------------|---------------------------------|
| principal, vice-principal               | every class of the school           | teaching assignments; the       |
|                                         |                                     | principal locks terms, decides  |
|                                         |                                     | corrections                     |
| department leader/officer/IT            | every class of the subtree          | —                               |
| homeroom teacher (of this class)        | the whole class                     | their subjects' marks, conduct, |
|                                         |                                     | attendance                      |
| subject teacher                         | the subjects they teach here        | those subjects' marks           |
| parent / student                        | their child's / their own rows      | —                               |

Anything else is not found (404): a teacher of another school, or of this school who teaches nothing in
the class, never learns that the class has records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from giaoducso.core.roles import RELATION_ROLES, Perm, Role, role_allows
from giaoducso.core.scoping import memberships_for
from giaoducso.directory.models import SchoolClass, Staff, Student

from ..models import TeachingAssignment

TEACHER_ROLES = frozenset({Role.TEACHER, Role.HOMEROOM_TEACHER})


@dataclass(frozen=True)
class ClassAccess:
    school_class: SchoolClass
    whole_class: bool  # every subject of every student
    subjects: frozenset[int]  # the subjects the user teaches in this class
    students: frozenset[int] | None  # None: every student of the class; else only these (a family)
    homeroom: bool  # keeps the class's conduct and attendance
    may_enter: bool  # holds ENTER_MARKS here (for `subjects`)

    def sees_subject(self, subject_id: int) -> bool:
        return self.whole_class or self.students is not None or subject_id in self.subjects

    def enters_subject(self, subject_id: int) -> bool:
        return self.may_enter and subject_id in self.subjects


def _is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def class_access(user: Any, school_class: SchoolClass) -> ClassAccess | None:
    """What `user` reaches of `school_class`'s records; None when nothing (answer 404)."""
    if _is_superuser(user):
        return ClassAccess(school_class, True, frozenset(), None, False, False)
    path = school_class.school.path
    whole = homeroom = may_enter = False
    subjects: set[int] = set()
    family: set[int] = set()
    is_family = False
    for membership in memberships_for(user):
        if not path.startswith(membership.unit.path) or not role_allows(membership.role, Perm.VIEW_RECORDS):
            continue
        if membership.role in RELATION_ROLES:
            is_family = True
            relation = "guardians__user" if membership.role == Role.PARENT else "user"
            family.update(
                Student.objects.filter(current_class=school_class, **{relation: user}).values_list(
                    "pk", flat=True
                )
            )
        elif membership.role in TEACHER_ROLES:
            if (
                membership.role == Role.HOMEROOM_TEACHER
                and school_class.homeroom_teacher_id is not None
                and Staff.objects.filter(pk=school_class.homeroom_teacher_id, user=user).exists()
            ):
                whole = homeroom = True
            taught = TeachingAssignment.objects.filter(school_class=school_class, teacher__user=user)
            subjects.update(taught.values_list("subject_id", flat=True))
            may_enter = may_enter or role_allows(membership.role, Perm.ENTER_MARKS)
        else:
            whole = True
    if whole or subjects:
        return ClassAccess(school_class, whole, frozenset(subjects), None, homeroom, may_enter)
    if is_family and family:
        return ClassAccess(school_class, False, frozenset(), frozenset(family), False, False)
    return None


def class_access_or_404(user: Any, school_class: SchoolClass) -> ClassAccess:
    access = class_access(user, school_class)
    if access is None:
        raise Http404
    return access


def classes_for(user: Any, classes: QuerySet[SchoolClass] | None = None) -> QuerySet[SchoolClass]:
    """The classes whose records `user` reaches in some way (the list of grade books to open)."""
    classes = SchoolClass.objects.all() if classes is None else classes
    if _is_superuser(user):
        return classes
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        if not role_allows(membership.role, Perm.VIEW_RECORDS):
            continue
        in_unit = Q(school__path__startswith=membership.unit.path)
        if membership.role == Role.PARENT:
            condition |= in_unit & Q(students__guardians__user=user)
        elif membership.role == Role.STUDENT:
            condition |= in_unit & Q(students__user=user)
        elif membership.role in TEACHER_ROLES:
            condition |= in_unit & (
                Q(homeroom_teacher__user=user) | Q(teaching_assignments__teacher__user=user)
            )
        else:
            condition |= in_unit
    return classes.filter(condition).distinct()
