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
    assert (
        refused.status_code == 422
        and "Dòng 3, cột loai_may: Loại máy không hợp lệ" in refused.content.decode()
    )
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


def _sheet(rows, name="danh-muc.xlsx"):
    upload = _xlsx(rows)
    upload.name = name
    return upload


def _exported(client, code, kind):
    response = client.get(f"/reporting/assets/export.xlsx?school={code}&kind={kind}")
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_every_kind_of_the_inventory_imports_all_or_nothing_and_exports_what_it_imported(client, world):
    from giaoducso.reporting.models import AssetProfile, MailDomain, Website

    sign_in(client, world.user(Role.SCHOOL_IT))
    url = f"/reporting/assets/{world.school_a.code}/"
    code = world.school_a.code

    def send(kind, rows):
        return client.post(url, {"action": "import", "kind": kind, "file": _sheet(rows)})

    cameras = [["Vị trí", "Số camera", "Độ phân giải MP", "Số ngày lưu trữ"], ["Cổng", 4, "2", 30]]
    refused = send("cameras", [*cameras, ["Sân", 2, "nhiều", 30], ["Hành lang", 0, "4", 30]])
    body = refused.content.decode()
    assert (
        refused.status_code == 422
        and "Dòng 3, cột do_phan_giai_mp: «Độ phân giải (MP)» phải là một số." in body
    )
    assert "Dòng 4, cột so_camera: «Số camera» phải từ 1 đến 10000." in body
    assert CameraSystem.objects.count() == 0  # the good first row was not kept either
    assert send("cameras", [*cameras, ["Sân", 2, "5", 7]]).status_code == 302
    assert _exported(client, code, "cameras") == [
        ("ma_truong", "ten_truong", "vi_tri", "so_camera", "do_phan_giai_mp", "so_ngay_luu_tru", "dat_chuan"),
        (code, world.school_a.name, "Cổng", 4, "2.0", 30, "Có"),
        (code, world.school_a.name, "Sân", 2, "5.0", 7, "Không"),
    ]

    network = [["nha_cung_cap", "cap_quang", "bang_thong_mbps", "lanh_dao_cntt", "nhan_vien_cntt"]]
    two = send("network", [*network, ["VNPT", "Có", 300, "Cô Hà", "Anh Nam"], ["FPT", "Không", 100, "", ""]])
    assert two.status_code == 422 and "Dòng 3: Mỗi trường chỉ có một dòng" in two.content.decode()
    maybe = send("network", [*network, ["VNPT", "có lẽ", 300, "Cô Hà", "Anh Nam"]])
    assert (
        maybe.status_code == 422
        and "Dòng 2, cột cap_quang: «Cáp quang» ghi Có hoặc Không." in maybe.content.decode()
    )
    assert not AssetProfile.objects.exists()
    assert send("network", [*network, ["VNPT", "Có", 300, "Cô Hà", "Anh Nam"]]).status_code == 302
    assert _exported(client, code, "network")[1] == (
        code,
        world.school_a.name,
        "VNPT",
        "Có",
        300,
        "Cô Hà",
        "Anh Nam",
    )
    # A sheet without a column leaves that part as it was.
    assert send("network", [["bang_thong_mbps"], [500]]).status_code == 302
    profile = AssetProfile.objects.get()
    assert (profile.network_provider, profile.has_fibre, profile.bandwidth_mbps) == ("VNPT", True, 500)

    other = send("websites", [["ma_truong", "dia_chi"], [world.school_b.code, "https://b.hcm.edu.vn"]])
    assert (
        other.status_code == 422
        and f"cột ma_truong: Dòng của trường {world.school_b.code}" in other.content.decode()
    )
    bad = send("websites", [["dia_chi"], ["https://a.hcm.edu.vn"], ["ftp://x"]])
    assert (
        bad.status_code == 422 and "Dòng 3, cột dia_chi: Địa chỉ website phải có dạng" in bad.content.decode()
    )
    assert not Website.objects.exists()
    assert send("websites", [["dia_chi"], ["https://a.hcm.edu.vn"], ["truong-a.com.vn"]]).status_code == 302
    sites = _exported(client, code, "websites")
    assert [r[2:4] for r in sites[1:]] == [
        ("https://a.hcm.edu.vn/", "Có"),
        ("https://truong-a.com.vn/", "Không"),
    ]
    # The exported sheet comes back in: every site is already there, nothing is added twice.
    again = client.post(url, {"action": "import", "kind": "websites", "file": _sheet(sites)}, follow=True)
    assert "2 dòng đã có sẵn trong danh mục" in again.content.decode() and Website.objects.count() == 2

    assert send("domains", [["ten_mien"], ["thcsa.hcm.edu.vn"], ["@gmail.com"]]).status_code == 302
    domains = _exported(client, code, "domains")
    assert domains[1:] == [
        (code, world.school_a.name, "thcsa.hcm.edu.vn", "Có"),
        (code, world.school_a.name, "gmail.com", "Không"),
    ]
    assert send("domains", domains).status_code == 302 and MailDomain.objects.count() == 2

    assert send("printers", [["x"], [1]]).status_code == 422
    assert client.get("/reporting/assets/export.xlsx?kind=printers").status_code == 404
    # The department's export covers every school it sees; a stranger's covers none of them.
    officer = sign_in(client.__class__(), world.user(Role.DEPARTMENT_OFFICER))
    assert len(_exported(officer, "", "cameras")) == 3
    assert sign_in(client.__class__(), world.stranger).get(
        f"/reporting/assets/export.xlsx?kind=cameras&school={code}"
    ).status_code in (403, 404)


@pytest.mark.parametrize("kind", ["cameras", "websites"])
def test_an_inventory_sheet_past_its_bounds_is_refused_whole(client, world, monkeypatch, kind):
    from giaoducso.reporting import importing
    from giaoducso.reporting.models import Website

    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    sign_in(client, world.user(Role.SCHOOL_IT))
    url = f"/reporting/assets/{world.school_a.code}/"
    header, row = (
        (["vi_tri", "so_camera", "do_phan_giai_mp", "so_ngay_luu_tru"], lambda n: [f"Phòng {n}", 1, 2, 30])
        if kind == "cameras"
        else (["dia_chi"], lambda n: [f"https://t{n}.hcm.edu.vn"])
    )
    long = client.post(
        url, {"action": "import", "kind": kind, "file": _sheet([header, *[row(n) for n in range(4)]])}
    )
    assert long.status_code == 422 and "nhiều hơn 3 dòng" in long.content.decode()
    content = _sheet([header, *[row(n) for n in range(3)]]).read()
    monkeypatch.setattr(importing, "MAX_BYTES", len(content) - 1)
    big = client.post(url, {"action": "import", "kind": kind, "file": SimpleUploadedFile("a.xlsx", content)})
    assert big.status_code == 422 and "Tệp quá lớn" in big.content.decode()
    assert CameraSystem.objects.count() == 0 and Website.objects.count() == 0
    monkeypatch.setattr(importing, "MAX_BYTES", len(content))
    ok = client.post(url, {"action": "import", "kind": kind, "file": SimpleUploadedFile("a.xlsx", content)})
    assert ok.status_code == 302 and CameraSystem.objects.count() + Website.objects.count() == 3
