import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from giaoducso.core.roles import Role
from giaoducso.reporting import services
from giaoducso.reporting.models import CampaignKind, PlanCycle, Submission
from giaoducso.reporting.services.cycles import plan_cycle_create
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_one_action_makes_the_three_campaigns_with_the_plan_dates(client, world):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.post("/reporting/cycles/", {"year_name": "2026-2027", "mid_deadline": "15/01/2027"})
    assert response.status_code == 302
    cycle = PlanCycle.objects.get()
    assert [(c.kind, c.deadline) for c in cycle.campaigns()] == [
        (CampaignKind.IT_PLAN, dt.date(2026, 10, 30)),
        (CampaignKind.MID_YEAR, dt.date(2027, 1, 15)),
        (CampaignKind.YEAR_END, dt.date(2027, 6, 3)),
    ]
    assert Submission.objects.filter(campaign=cycle.plan).count() == 2  # both schools of the department
    again = client.post("/reporting/cycles/", {"year_name": "2026-2027"})
    assert again.status_code == 422 and "đã có kế hoạch CNTT" in again.content.decode()
    assert client.post("/reporting/cycles/", {"year_name": "2026"}).status_code == 422
    assert PlanCycle.objects.count() == 1


def test_scores_and_summary_as_pdf_and_docx(client, world):
    cycle = plan_cycle_create(
        actor=None, owner=world.department, year_name="2030-2031", schools=[world.school_a]
    )
    plan = cycle.plan.submissions.get()
    with pytest.raises(ValidationError):  # the required fields of the plan form
        services.submission_save(actor=None, submission=plan, answers={}, submit=True)
    services.submission_save(
        actor=None,
        submission=plan,
        answers={
            "lanh_dao_cntt": "Nguyễn Văn A",
            "kh_csdl": "Kết nối CSDL trước 30/11",
            "kh_hs_dt": "Sổ điểm điện tử cả năm",
        },
        submit=True,
        today=dt.date(2030, 10, 1),
    )
    services.submission_review(
        actor=None, submission=plan, accept=True, comment="Kế hoạch đầy đủ", score="90"
    )
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    body = client.get(f"/reporting/cycles/{cycle.pk}/").content.decode()
    assert world.school_a.name in body, body[body.find("<main") :][:3000]
    assert "90,00" in body
    pdf = client.get(f"/reporting/cycles/{cycle.pk}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/reporting/cycles/{cycle.pk}/summary.docx")
    text = "\n".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert world.school_a.name in text and "Kế hoạch đầy đủ" in text and "90.00" in text
    assert (
        sign_in(client.__class__(), world.stranger).get(f"/reporting/cycles/{cycle.pk}/").status_code == 404
    )
