from io import StringIO

import pytest
from django.core.management import call_command

from giaoducso.reporting.models import Assessment, Computer, PlanCycle, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def test_demo_district_has_an_it_plan_cycle_and_an_inventory():
    out = StringIO()
    call_command("seed_demo", "--schools", "3", "--students", "60", "--school-year", "2026", stdout=out)
    cycle = PlanCycle.objects.get()
    assert cycle.year_name == "2026-2027"
    assert Submission.objects.filter(campaign=cycle.plan, status=SubmissionStatus.SUBMITTED).count() == 1
    assert Submission.objects.filter(campaign=cycle.plan).count() >= 3
    assert Computer.objects.exists() and Assessment.objects.get().answers
    assert "kế hoạch CNTT năm học: 3 đợt báo cáo" in out.getvalue()
