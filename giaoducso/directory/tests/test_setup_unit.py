"""First run for a real district: `setup_unit` creates the unit, the current school year and the first IT
account through the audited services; run again it changes nothing; bad input exits 1 in Vietnamese."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from giaoducso.core.models import AuditEntry, Membership, Unit, UnitKind, User
from giaoducso.core.roles import Role
from giaoducso.directory.models import SchoolYear, Term
from giaoducso.directory.setup import default_school_year
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

WARD = ["--kind", "ward", "--code", "PBT", "--name", "Phường Bình Tây", "--school-year", "2026-2027"]


def run(*args):
    out = StringIO()
    call_command("setup_unit", *args, stdout=out)
    return out.getvalue()


def test_default_school_year_follows_the_september_start():
    assert default_school_year(dt.date(2026, 9, 1)) == "2026-2027"
    assert default_school_year(dt.date(2027, 8, 31)) == "2026-2027"
    assert default_school_year(dt.date(2027, 5, 31)) == "2026-2027"


def test_creates_unit_parent_year_terms_and_admin_audited():
    out = run(
        *WARD,
        "--parent-code",
        "SO79",
        "--parent-name",
        "Sở GD&ĐT TP.HCM",
        "--admin-username",
        "cntt.phuong",
        "--admin-email",
        "cntt@example.edu.vn",
    )
    ward = Unit.objects.get(code="PBT")
    assert ward.kind == UnitKind.WARD and ward.parent.code == "SO79"
    assert ward.parent.kind == UnitKind.PROVINCE_DEPARTMENT and ward.path.startswith(ward.parent.path)
    year = SchoolYear.objects.get(is_current=True)
    # The calendar is the province's: the ward's year is the Sở's.
    assert year.unit == ward.parent
    assert (year.name, year.start_date, year.end_date) == (
        "2026-2027",
        dt.date(2026, 9, 5),
        dt.date(2027, 5, 31),
    )
    assert Term.objects.filter(year=year).count() == 2
    admin = User.objects.get(username="cntt.phuong")
    assert admin.email == "cntt@example.edu.vn" and not admin.has_usable_password()
    assert Membership.objects.filter(user=admin, unit=ward, role=Role.DEPARTMENT_IT, is_active=True).exists()
    # Each write went through its audited service.
    audited = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"core.unit", "directory.schoolyear", "core.user", "core.membership"} <= audited
    assert "Đã tạo" in out and "changepassword cntt.phuong" in out


def test_a_second_phong_of_the_same_province_finds_its_year():
    run(*WARD, "--parent-code", "SO79", "--parent-name", "Sở GD&ĐT TP.HCM")
    out = run(
        "--kind",
        "ward",
        "--code",
        "PBP",
        "--name",
        "Phường Bình Phú",
        "--parent-code",
        "SO79",
        "--school-year",
        "2026-2027",
    )
    assert SchoolYear.objects.get().unit.code == "SO79" and "lịch của SO79" in out


def test_running_again_changes_nothing():
    run(*WARD, "--admin-username", "cntt.phuong")
    lines = AuditEntry.objects.count()
    out = run(*WARD, "--admin-username", "cntt.phuong")
    assert "Không có gì thay đổi" in out
    assert AuditEntry.objects.count() == lines
    assert Unit.objects.count() == 1 and SchoolYear.objects.count() == 1


def test_default_year_is_the_one_running_today_and_own_dates_are_kept():
    run(
        "--kind",
        "district_department",
        "--code",
        "PGD06",
        "--name",
        "Phòng GD&ĐT Quận 6",
        "--start-date",
        "01/09/2025",
        "--end-date",
        "25/05/2026",
        "--school-year",
        "2025-2026",
    )
    year = SchoolYear.objects.get()
    # No Sở above: the Phòng keeps its own calendar.
    assert year.unit == Unit.objects.get(code="PGD06")
    assert (year.start_date, year.end_date, year.is_current) == (
        dt.date(2025, 9, 1),
        dt.date(2026, 5, 25),
        True,
    )
    run("--kind", "district_department", "--code", "PGD06", "--name", "Phòng GD&ĐT Quận 6")
    assert SchoolYear.objects.get(is_current=True).name == default_school_year()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--school-year", "2026-2028"], "Tên năm học có dạng 2026-2027"),
        (["--start-date", "31/02/2026", "--end-date", "31/05/2027"], "không hợp lệ"),
        (["--start-date", "05/09/2026"], "cả ngày bắt đầu và ngày kết thúc"),
        (["--start-date", "31/05/2027", "--end-date", "05/09/2026"], "Ngày kết thúc phải sau ngày bắt đầu"),
        (["--parent-code", "SO79"], "hãy cho biết tên của Sở"),
        (["--parent-code", "PBT"], "không thể là chính đơn vị này"),
        (["--admin-email", "a@example.edu.vn"], "tên đăng nhập"),
    ],
)
def test_bad_input_exits_1_in_vietnamese_and_writes_nothing(args, message):
    with pytest.raises(CommandError) as error:
        run(*WARD, *args)
    assert error.value.returncode == 1
    assert message in str(error.value)
    assert not Unit.objects.exists() and not SchoolYear.objects.exists() and not AuditEntry.objects.exists()


def test_refuses_a_code_already_used_for_something_else():
    UnitFactory(code="PBT", name="Trường Bình Tây")  # a school
    with pytest.raises(CommandError, match="Mã PBT đã dùng cho"):
        run(*WARD)
    with pytest.raises(CommandError, match="Loại đơn vị phải là một trong"):
        run("--kind", "school", "--code", "X", "--name", "Y")


def test_parent_must_be_a_province_department():
    UnitFactory(code="TA01", name="Trường A")
    with pytest.raises(CommandError, match="không phải Sở"):
        run(*WARD, "--parent-code", "TA01")


# --- the same in the superuser's screen --------------------------------------------------------


def test_setup_screen_for_superusers_only(client, world):
    url = reverse("directory:unit_setup")
    sign_in(client, world.user(Role.DEPARTMENT_IT))
    assert client.get(url).status_code == 404
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin, verified=True)
    page = client.get(url)
    assert page.status_code == 200 and "Thiết lập đơn vị" in page.content.decode()
    data = {
        "kind": "ward",
        "code": "PBT",
        "name": "Phường Bình Tây",
        "parent_code": "SO79",
        "school_year": "2026-2027",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    ward = Unit.objects.get(code="PBT")
    assert ward.parent == world.province
    assert AuditEntry.objects.filter(object_type="core.unit", object_id=str(ward.pk), actor=admin).exists()
    bad = client.post(url, {**data, "school_year": "abc"})
    assert bad.status_code == 400 and "Tên năm học có dạng 2026-2027" in bad.content.decode()
