"""The bulk entry point of the class results (term close, year-end jobs, the benchmark) gives exactly what
the class summary page gives, for every class at once, including classes without any mark."""

import datetime as dt

import pytest

from giaoducso.core.roles import Role
from giaoducso.records import services
from giaoducso.records.selectors.summary import class_summary
from giaoducso.records.selectors.term_close import results_for_classes
from rules.assessment_secondary import Level

from .test_summary import fill, setup  # noqa: F401

pytestmark = pytest.mark.django_db


def flat(summary):
    return [
        (
            r.student.pk,
            {s: (row.term_average, row.year_average, row.term_passed) for s, row in r.subjects.items()},
            r.learning,
            r.conduct,
            r.absences,
            r.outcome,
            r.retests,
            r.award,
        )
        for r in summary.results
    ]


def test_many_classes_at_once_match_the_page(world, setup):  # noqa: F811
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    cls = setup.class_a
    fill(homeroom, cls, world.child, lambda s: "8")
    fill(homeroom, cls, world.other_student_a, lambda s: "4,5" if s.code == "toan_thcs" else "6")
    for term in (1, 2):
        services.conduct_set(
            actor=homeroom, school_class=cls, student=world.child, term=term, level=Level.TOT
        )
        services.conduct_set(
            actor=homeroom, school_class=cls, student=world.other_student_a, term=term, level=Level.KHA
        )
    services.attendance_write(
        actor=homeroom,
        school_class=cls,
        date=dt.date(2026, 10, 12),
        session="am",
        absent={world.child.pk: services.AbsenceEntry()},
    )
    expected = flat(class_summary(user=world.user(Role.PRINCIPAL), school_class=cls))
    summaries = list(results_for_classes([setup.class_a2, setup.class_b, cls]))
    assert [s.school_class.pk for s in summaries] == sorted([cls.pk, setup.class_a2.pk, setup.class_b.pk])
    got = next(s for s in summaries if s.school_class.pk == cls.pk)
    assert flat(got) == expected
    assert any(r.outcome is not None for r in got.results)
    assert list(results_for_classes([])) == []
