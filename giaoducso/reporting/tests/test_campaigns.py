import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from giaoducso.core.models import AuditEntry, Notification
from giaoducso.core.roles import Role
from giaoducso.reporting import selectors, services
from giaoducso.reporting.models import Reminder, Submission, SubmissionStatus
from giaoducso.reporting.services.reminders import send_reminders
from giaoducso.testing.auth import sign_in

from .helpers import EVERY_TYPE, PDF, make_campaign

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 20)


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_every_field_type_built_in_browser_filled_by_school_and_exported(client, world):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    sign_in(client, officer)
    response = client.post("/reporting/forms/", {"title": "Kiểm kê CNTT"})
    assert response.status_code == 302
    form_url = response["Location"]
    added = [
        {"label": "Ghi chú", "type": "text"},
        {
            "label": "Số máy tính",
            "type": "number",
            "unit": "máy",
            "min": "0",
            "max": "500",
            "integer": "on",
            "required": "on",
        },
        {"label": "Ngày kiểm kê", "type": "date"},
        {"label": "Loại mạng", "type": "choice", "choices": "Cáp quang\nADSL"},
        {"label": "Phần mềm", "type": "multi", "choices": "Sổ điểm\nVăn phòng\nThư viện"},
        {"label": "Có website", "type": "yesno"},
        {"label": "Minh chứng", "type": "file", "kinds": ["pdf"]},
        {
            "label": "Phòng máy",
            "type": "table",
            "columns": "Tên phòng\nSố máy|number",
            "rows": "Phòng 1\nPhòng 2",
        },
        {"label": "Gấp đôi", "type": "computed", "formula": "so_may_tinh * 2"},
    ]
    for field in added:
        response = client.post(form_url, {"action": "add", "section": "Chung", **field})
        assert response.status_code == 302, response.content.decode()[:2000]
    form_pk = int(form_url.rstrip("/").split("/")[-1])
    response = client.post(
        "/reporting/campaigns/new/",
        {
            "title": "Kiểm kê 2026",
            "form": form_pk,
            "opens_on": "01/10/2026",
            "deadline": "30/10/2026",
            "schools": [world.school_a.pk, world.school_b.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign_url = response["Location"]
    submission = Submission.objects.get(school=world.school_a)

    school_client = sign_in(client.__class__(), world.user(Role.SCHOOL_IT))
    response = school_client.post(
        f"/reporting/submissions/{submission.pk}/",
        {
            "action": "submit",
            "f_ghi_chu": "=cmd| dòng đầu",
            "f_so_may_tinh": "42",
            "f_ngay_kiem_ke": "15/10/2026",
            "f_loai_mang": "Cáp quang",
            "f_phan_mem": ["Sổ điểm", "Thư viện"],
            "f_co_website": "1",
            "f_minh_chung": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
            "f_phong_may__rows": "2",
            "f_phong_may__0__ten_phong": "Tin học 1",
            "f_phong_may__0__so_may": "20",
            "f_phong_may__1__ten_phong": "Tin học 2",
            "f_phong_may__1__so_may": "22",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.answers["gap_doi"] == 84
    assert submission.answers["phan_mem"] == ["Sổ điểm", "Thư viện"]
    assert submission.answers["minh_chung"]["name"] == "bien-ban.pdf"

    response = client.get(campaign_url + "export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_school = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    row = by_school[world.school_a.code]
    assert row["Ghi chú"] == "'=cmd| dòng đầu"  # a formula never reaches the sheet
    assert row["Số máy tính (máy)"] == 42
    assert row["Ngày kiểm kê"] == "15/10/2026"
    assert row["Loại mạng"] == "Cáp quang"
    assert row["Phần mềm"] == "Sổ điểm; Thư viện"
    assert row["Có website"] == "Có"
    assert row["Minh chứng"] == "bien-ban.pdf"
    assert (
        row["Phòng máy"]
        == "Phòng 1: Tên phòng = Tin học 1, Số máy = 20\nPhòng 2: Tên phòng = Tin học 2, Số máy = 22"
    )
    assert row["Gấp đôi"] == 84
    assert by_school[world.school_b.code]["Trạng thái"] == "Chưa nhập"
    assert len(rows) == 3  # one row per school


def test_deadline_locks_school_without_exception_and_opens_with_one(client, world):
    campaign = make_campaign(world.department, [world.school_a], deadline=dt.date(2026, 10, 10))
    submission = campaign.submissions.get()
    sign_in(client, world.user(Role.PRINCIPAL))
    url = f"/reporting/submissions/{submission.pk}/"
    response = client.post(url, {"action": "submit", "f_so_may": "10"})
    assert response.status_code == 422
    assert "Đã quá hạn nộp (10/10/2026)" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED and submission.answers == {}

    services.submission_grant_exception(
        actor=world.user(Role.DEPARTMENT_OFFICER), submission=submission, until=dt.date(2026, 10, 25)
    )
    assert AuditEntry.objects.filter(object_id=str(submission.pk), note="deadline exception").exists()
    response = client.post(url, {"action": "submit", "f_so_may": "10"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.late
    assert AuditEntry.objects.filter(object_id=str(submission.pk), note="submitted").exists()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"f_so_may": "900"}, "«Số máy tính» không được lớn hơn 500."),
        ({"f_so_may": ""}, "«Số máy tính» là bắt buộc."),
        ({"f_so_may": "3", "f_minh_chung": "exe"}, "Nội dung tệp không phải loại được nhận (chỉ nhận PDF)."),
        ({"f_so_may": "3", "f_ngay_kiem_ke": "31/02/2026"}, "ngày «31/02/2026» không đúng dạng"),
    ],
    ids=["out-of-range", "required", "wrong-file", "bad-date"],
)
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(client, world, posted, message):
    campaign = make_campaign(world.department, [world.school_a])
    submission = campaign.submissions.get()
    sign_in(client, world.user(Role.SCHOOL_IT))
    data = {"action": "submit", **posted}
    if data.get("f_minh_chung") == "exe":
        data["f_minh_chung"] = SimpleUploadedFile(
            "a.pdf", b"MZ\x90\x00binary", content_type="application/pdf"
        )
    response = client.post(f"/reporting/submissions/{submission.pk}/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED and submission.answers == {}
    assert not submission.files.exists()


def test_reminders_go_once_per_school_and_point_even_when_run_twice(world):
    principal = world.user(Role.PRINCIPAL)
    campaign = make_campaign(
        world.department, [world.school_a, world.school_b], deadline=dt.date(2026, 10, 23)
    )
    done = campaign.submissions.get(school=world.school_b)
    Submission.objects.filter(pk=done.pk).update(status=SubmissionStatus.SUBMITTED)
    for _ in range(2):
        send_reminders(dt.date(2026, 10, 20))  # 3 days before
    assert list(Reminder.objects.values_list("school_id", "point")) == [(world.school_a.pk, "d3")]
    first = Notification.objects.filter(recipient=principal).count()
    assert first == 1
    send_reminders(dt.date(2026, 10, 21))  # still the 3-day point: nothing new
    send_reminders(dt.date(2026, 10, 22))
    send_reminders(dt.date(2026, 10, 22))
    send_reminders(dt.date(2026, 10, 24))
    send_reminders(dt.date(2026, 10, 25))
    points = sorted(Reminder.objects.values_list("point", flat=True))
    assert points == ["d1", "d3", "late"]
    # The escalation goes to the principal only.
    late = Notification.objects.filter(title__startswith="Quá hạn nộp báo cáo")
    assert [n.recipient for n in late] == [principal]


def test_totals_sum_mean_and_distribution(world):
    campaign = make_campaign(world.department, [world.school_a, world.school_b])
    a, b = campaign.submissions.order_by("school__code")
    services.submission_save(
        actor=None,
        submission=a,
        answers={"so_may": 10, "may_hong": 2, "mang": "ADSL", "phan_mem": ["Sổ điểm"], "co_website": True},
        submit=True,
    )
    services.submission_save(
        actor=None,
        submission=b,
        answers={"so_may": 30, "mang": "ADSL", "phan_mem": ["Sổ điểm", "Thư viện"], "co_website": False},
        submit=True,
    )
    numbers, choices = selectors.totals(campaign)
    by_key = {n.key: n for n in numbers}
    assert (by_key["so_may"].total, by_key["so_may"].mean, by_key["so_may"].count) == (40, 20, 2)
    assert (by_key["may_hong"].total, by_key["may_hong"].count) == (2, 1)
    assert by_key["may_tot"].total == 8  # computed only where both operands were given
    dist = {c.key: dict(c.counts) for c in choices}
    assert dist["mang"] == {"Cáp quang": 0, "ADSL": 2, "4G": 0}
    assert dist["phan_mem"] == {"Sổ điểm": 2, "Văn phòng": 0, "Thư viện": 1}
    assert dist["co_website"] == {"Có": 1, "Không": 1}


def test_board_shows_submitted_and_missing_and_school_b_cannot_see_a(client, world):
    campaign = make_campaign(
        world.department, [world.school_a, world.school_b], deadline=dt.date(2026, 10, 15)
    )
    a = campaign.submissions.get(school=world.school_a)
    with pytest.raises(ValidationError):
        services.submission_save(actor=None, submission=a, answers={"so_may": 1}, submit=True)
    Submission.objects.filter(pk=a.pk).update(status=SubmissionStatus.SUBMITTED)
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    body = client.get(f"/reporting/campaigns/{campaign.pk}/").content.decode()
    assert 'data-state="submitted">Đã nộp đúng hạn: <strong>1</strong>' in body
    assert 'data-state="missing">Chưa nộp: <strong>1</strong>' in body
    assert "<svg" in body
    stranger = sign_in(client.__class__(), world.stranger)
    assert stranger.get(f"/reporting/submissions/{a.pk}/").status_code == 404


def test_returned_report_can_be_corrected_and_resubmitted(world):
    campaign = make_campaign(world.department, [world.school_a])
    s = campaign.submissions.get()
    services.submission_save(actor=None, submission=s, answers={"so_may": 5}, submit=True)
    with pytest.raises(ValidationError):
        services.submission_review(actor=None, submission=s, accept=False, comment="")
    services.submission_review(actor=None, submission=s, accept=False, comment="Thiếu minh chứng")
    s.refresh_from_db()
    assert s.status == SubmissionStatus.RETURNED
    services.submission_save(actor=None, submission=s, answers={"so_may": 6}, submit=True)
    services.submission_review(actor=None, submission=s, accept=True, score="87,5")
    s.refresh_from_db()
    assert (s.status, str(s.score)) == (SubmissionStatus.ACCEPTED, "87.50")


def test_a_frozen_version_is_never_changed(world):
    campaign = make_campaign(world.department, [world.school_a])
    form = campaign.version.form
    services.form_add_field(
        actor=None, form=form, section="Thêm", field={"key": "moi", "label": "Mới", "type": "text"}
    )
    campaign.version.refresh_from_db()
    assert campaign.version.schema == EVERY_TYPE or "moi" not in str(campaign.version.schema)
    assert form.versions.count() == 2
