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


def test_each_index_group_scores_out_of_100_and_mandatory_conditions_are_as_the_fact_sheet_says():
    from rules import checklists as rules

    groups = {g["key"]: g for g in rules.DT_INDEX["groups"]}
    assert {key: rules.group_points(g) for key, g in groups.items()} == {"teaching": 100, "management": 100}
    mandatory = {key: {c["key"] for c in g["criteria"] if c["mandatory"]} for key, g in groups.items()}
    assert mandatory == {
        "teaching": {"online_plan", "online_rules"},
        "management": {"steering_group", "dt_plan"},
    }
    assert all(c["points"] == 0 for g in groups.values() for c in g["criteria"] if c["mandatory"])
    # Full marks on every scored criterion reach exactly 100 in each group (level 3 once the conditions
    # are met too).
    answers = {c["key"]: {"met": True, "value": 100} for g in groups.values() for c in g["criteria"]}
    assert [(s.points, s.level, s.missing) for s in rules.score(rules.DT_INDEX, answers)] == [
        (100.0, 3, ()),
        (100.0, 3, ()),
    ]


def test_the_data_migration_gives_a_stored_90_point_version_a_new_100_point_one(world):
    import copy
    import importlib

    from django.apps import apps

    from rules import checklists as rules

    migration = importlib.import_module(
        "giaoducso.reporting.migrations.0003_dt_index_management_to_100_points"
    )
    assert migration.ADDED == rules.DT_MANAGEMENT_ADDED
    old = copy.deepcopy(rules.DT_INDEX)
    for group in old["groups"]:
        group["criteria"] = [c for c in group["criteria"] if c["key"] != "sw_eoffice"]
    shipped = Checklist.objects.create(
        owner=world.department, kind=ChecklistKind.DT_INDEX, version=1, data=old
    )
    edited = copy.deepcopy(old)
    edited["groups"][1]["criteria"].append({"key": "own", "label": "Riêng", "points": 10})
    other = Checklist.objects.create(
        owner=world.school_a, kind=ChecklistKind.DT_INDEX, version=1, data=edited
    )
    migration.complete_management_group(apps, None)
    migration.complete_management_group(apps, None)  # twice: nothing more
    newer = Checklist.objects.get(owner=world.department, version=2)
    assert newer.data == rules.DT_INDEX and Checklist.objects.get(pk=shipped.pk).data == old
    assert Checklist.objects.filter(owner=world.school_a).get() == other
    assert checklists.checklist_for(world.school_b, ChecklistKind.DT_INDEX) == newer
