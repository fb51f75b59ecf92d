import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from giaoducso.core.roles import Role
from giaoducso.reporting import selectors, services
from giaoducso.reporting.models import CameraSystem, Computer
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("may.xlsx", buffer.getvalue())


def test_school_keeps_its_inventory_and_imports_computers_all_or_nothing(client, world):
    sign_in(client, world.user(Role.SCHOOL_IT))
    url = f"/reporting/assets/{world.school_a.code}/"
    assert (
        client.post(
            url,
            {"action": "computer", "kind": "desktop", "condition": "good", "quantity": "20", "room": "Tin 1"},
        ).status_code
        == 302
    )
    bad = client.post(url, {"action": "computer", "kind": "desktop", "condition": "good", "year": "1800"})
    assert bad.status_code == 422 and "«Năm trang bị» phải từ 1990" in bad.content.decode()
    refused = client.post(
        url,
        {
            "action": "import",
            "file": _xlsx(
                [["loai_may", "tinh_trang", "so_luong"], ["Máy xách tay", "Tốt", 3], ["máy bay", "Tốt", 1]]
            ),
        },
    )
    assert refused.status_code == 422 and "Dòng 3: Loại máy không hợp lệ" in refused.content.decode()
    assert Computer.objects.count() == 1
    ok = client.post(
        url,
        {
            "action": "import",
            "file": _xlsx(
                [["loai_may", "tinh_trang", "so_luong"], ["Máy xách tay", "Hỏng", 3], ["server", "good", 1]]
            ),
        },
    )
    assert ok.status_code == 302
    assert selectors.prefill_values(world.school_a)["computers"] == 24
    assert selectors.prefill_values(world.school_a)["computers_working"] == 21
    export = client.get(f"/reporting/assets/export.xlsx?school={world.school_a.code}")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("ma_truong", "ten_truong", "loai_may") and len(rows) == 4
    assert client.get(f"/reporting/assets/{world.school_b.code}/").status_code == 404


def test_camera_standard_is_editable_by_the_department(world):
    camera = services.camera_add(
        actor=None, school=world.school_a, location="Cổng", count=4, resolution_mp="2", storage_days=30
    )
    assert selectors.camera_meets(camera, selectors.camera_standard_for(world.school_a))
    services.camera_standard_set(
        actor=None, owner=world.department, min_resolution_mp="4", min_storage_days=30
    )
    assert not selectors.camera_meets(camera, selectors.camera_standard_for(world.school_a))
    assert CameraSystem.objects.count() == 1


def test_official_domains(world):
    assert services.mail_domain_add(
        actor=None, school=world.school_a, domain="info@thcsvanthan.hcm.edu.vn"
    ).is_official
    assert not services.mail_domain_add(actor=None, school=world.school_a, domain="gmail.com").is_official
    assert not services.website_add(
        actor=None, school=world.school_a, url="https://vanthan.com.vn"
    ).is_official


def test_report_prefills_from_inventory(client, world):
    from .helpers import make_campaign

    services.computer_add(actor=None, school=world.school_a, kind="desktop", condition="good", quantity=7)
    schema = {
        "sections": [
            {
                "title": "A",
                "fields": [{"key": "so_may", "label": "Số máy", "type": "number", "prefill": "computers"}],
            }
        ]
    }
    campaign = make_campaign(world.department, [world.school_a], schema=schema, deadline=dt.date(2099, 1, 1))
    sign_in(client, world.user(Role.SCHOOL_IT))
    body = client.get(f"/reporting/submissions/{campaign.submissions.get().pk}/").content.decode()
    assert 'name="f_so_may" id="id_f_so_may" value="7"' in body


def test_home_cards_show_open_campaigns_and_reports_due(client, world):
    from .helpers import make_campaign

    campaign = make_campaign(world.department, [world.school_a], deadline=dt.date(2099, 1, 1))
    body = sign_in(client, world.user(Role.DEPARTMENT_LEADER)).get(reverse("core:home")).content.decode()
    assert "Đợt báo cáo đang theo dõi" in body and "0/1 trường đã nộp" in body
    school = (
        sign_in(client.__class__(), world.user(Role.PRINCIPAL)).get(reverse("core:home")).content.decode()
    )
    assert (
        "Báo cáo cần nộp" in school and f"/reporting/submissions/{campaign.submissions.get().pk}/" in school
    )
