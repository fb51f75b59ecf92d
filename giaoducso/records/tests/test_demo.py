"""The records' part of the demo district: assignments in the demo schools, a term I with every learning
band and one case of the adjustment rule, primary levels and qualities, and a demo teacher whose grade
book is filled."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from giaoducso.core.models import AuditEntry, User
from giaoducso.directory.models import SchoolClass
from giaoducso.records.models import Conduct, Mark, QualityMark, Subject, SubjectKind, TeachingAssignment
from giaoducso.records.selectors.summary import class_summary
from giaoducso.testing.auth import sign_in
from rules import assessment_secondary as secondary

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    call_command("seed_demo", "--schools", "6", "--students", "400", "--school-year", "2026", stdout=out)
    return out.getvalue()


def test_term_one_has_every_band_and_one_adjustment(seeded):
    assert "phân công giảng dạy" in seeded and "học kì I" in seeded
    admin = User.objects.get(username="admin")
    marked = SchoolClass.objects.filter(grade__gte=6, marks__isnull=False).distinct()
    assert marked.exists()
    bands, adjusted = set(), 0
    for school_class in marked:
        summary = class_summary(user=admin, school_class=school_class)
        scored = [s for s in summary.subjects if s.kind == SubjectKind.SCORED]
        comment = [s for s in summary.subjects if s.kind == SubjectKind.COMMENT]
        for result in summary.results:
            level = result.learning[1]
            assert level is not None  # every cell of term I is in
            bands.add(level)
            averages = [result.subjects[s.pk].term_average[1] for s in scored]
            passed = [result.subjects[s.pk].term_passed[1] for s in comment]
            adjusted += secondary._by_the_rules(averages, passed) != level
            assert result.conduct[1] is not None
    assert bands == set(secondary.Level)
    assert adjusted == 1
    assert Conduct.objects.filter(term=1).exists()
    # Written through the services: every mark has its audit line.
    # One creation line per mark (the contact book's demo then adds a comment to two of them: updates).
    assert (
        AuditEntry.objects.filter(object_type="records.mark", action="create").count() == Mark.objects.count()
    )


def test_primary_levels_tests_and_qualities(seeded):
    pupils = Mark.objects.filter(school_class__grade__lte=5)
    assert pupils.filter(level__isnull=False).exists() and pupils.filter(value__isnull=False).exists()
    assert QualityMark.objects.filter(term=1, kind="ck").exists()


def test_assignments_and_the_demo_teacher_s_filled_grade_book(seeded, client):
    assert TeachingAssignment.objects.exists()
    teacher = User.objects.get(username="giaovien")
    toan = Subject.objects.get(code="toan_thcs")
    taught = TeachingAssignment.objects.filter(
        teacher__user=teacher, subject=toan, school_class__marks__isnull=False
    )
    school_class = taught.first().school_class
    sign_in(client, teacher)
    page = client.get(reverse("records:gradebook", args=[school_class.pk, toan.pk])).content.decode()
    assert 'data-cell-url="' in page and "," in page  # scores shown with a decimal comma
    home = client.get(reverse("core:home")).content.decode()
    assert "Sổ điểm của tôi" in home
