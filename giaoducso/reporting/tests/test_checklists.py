import pytest

from giaoducso.core.roles import Role
from giaoducso.reporting import services as reporting
from giaoducso.reporting.models import Assessment, Checklist, ChecklistKind, SubmissionStatus
from giaoducso.reporting.services import checklists
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db
YEAR = "2026-2027"


def test_school_self_assesses_with_proposals_department_reviews_board_shows_level(client, world):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    sign_in(client, officer)
    response = client.post("/reporting/index/", {"kind": ChecklistKind.DT_INDEX})
    assert response.status_code == 302
    assert Checklist.objects.get().version == 1
    reporting.mail_domain_add(actor=None, school=world.school_a, domain="thcsvanthan.hcm.edu.vn")

    school = sign_in(client.__class__(), world.user(Role.PRINCIPAL))
    url = f"/reporting/index/{world.school_a.code}/?kind=dt_index&year={YEAR}"
    page = school.get(url).content.decode()
    assert "Hệ thống đề xuất: CSDL ngành: 2 hồ sơ học sinh của trường." in page
    posted = {
        "action": "submit",
        "kind": "dt_index",
        "year": YEAR,
        "met_sw_students": "on",
        "met_sw_gradebook": "on",
        "met_online_admission": "on",
        "met_cashless": "on",
        "met_family_app": "on",
        "met_sw_facilities": "on",
        "met_steering_group": "on",
        "value_teachers_account": "85",
        "evidence_sw_gradebook": "Sổ điểm điện tử HK I",
    }
    bad = school.post(url, {**posted, "value_teachers_account": "nhiều"})
    assert bad.status_code == 422 and "giá trị phải là số không âm" in bad.content.decode()
    assert not Assessment.objects.exists()
    assert school.post(url, posted).status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.status == SubmissionStatus.SUBMITTED
    assert assessment.answers["teachers_account"] == {"met": True, "value": 85.0}

    board = client.get(f"/reporting/index/?kind=dt_index&year={YEAR}").content.decode()
    # 6 + 10 + 10 + 8 + 12 + 10, held at level 1: the IT plan (a mandatory condition) is missing.
    assert "Quản trị nhà trường: 56,0 — Mức 1" in board
    assert "Có kế hoạch ứng dụng CNTT, chuyển đổi số" in board
    assert "Dạy, học: 7,0 — Mức 1" in board
    returned = client.post(url, {"action": "return", "kind": "dt_index", "year": YEAR, "comment": ""})
    assert returned.status_code == 422
    client.post(
        url, {"action": "return", "kind": "dt_index", "year": YEAR, "comment": "Thiếu minh chứng kế hoạch"}
    )
    assessment.refresh_from_db()
    assert assessment.status == SubmissionStatus.RETURNED
    assert sign_in(client.__class__(), world.stranger).get(url).status_code == 404


def test_editing_an_assessed_checklist_makes_a_new_version(world):
    checklist = checklists.checklist_start(actor=None, owner=world.department, kind=ChecklistKind.IT_MODEL)
    checklists.assessment_save(
        actor=None,
        checklist=checklist,
        school=world.school_a,
        year_name=YEAR,
        answers={"fibre": {"met": True}},
        submit=False,
    )
    data = {**checklist.data, "mandatory_blocks_level": True}
    newer = checklists.checklist_edit(actor=None, checklist=checklist, data=data)
    assert newer.version == 2 and Checklist.objects.get(version=1).data["mandatory_blocks_level"] is False
    assert checklists.checklist_for(world.school_a, ChecklistKind.IT_MODEL) == newer
