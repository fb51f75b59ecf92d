import base64
import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from giaoducso.core import demo_data
from giaoducso.core.demo_data import DEMO_PASSWORD, LEVEL_AGES, build_plan
from giaoducso.core.models import Membership, Unit, UnitKind, User
from giaoducso.core.roles import TWO_FACTOR_ROLES, Role
from giaoducso.directory.models import Guardian, Student
from rules.identifiers import check_personal_id

pytestmark = pytest.mark.django_db

SMALL = ["--schools", "6", "--students", "200", "--school-year", "2026"]
VIETNAMESE = re.compile(r"[À-ỹĐđ]")


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def accounts_table(output):
    """{username: totp secret or ""} from the table seed_demo prints."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-------")) + 1
    table = {}
    for line in lines[start:]:
        cells = re.split(r"\s{2,}", line.strip())
        secret = cells[3] if len(cells) == 4 else ""
        table[cells[0]] = secret
    return table


def level_of(school_code):
    return school_code[3:5]


# --- the plan ------------------------------------------------------------------------------------------


def test_plan_is_deterministic_and_depends_on_the_seed():
    first = build_plan(seed=7, schools=6, students=200, school_year=2026)
    again = build_plan(seed=7, schools=6, students=200, school_year=2026)
    other = build_plan(seed=8, schools=6, students=200, school_year=2026)
    assert first == again
    assert first.digest() == again.digest()
    assert other.digest() != first.digest()
    assert [s.full_name for s in other.students] != [s.full_name for s in first.students]


def test_plan_shape_for_the_default_district():
    plan = build_plan(seed=2026, schools=45, students=30_000, school_year=2026)
    assert len(plan.schools) == 45
    assert len(plan.students) == 30_000
    assert sum(s.students for s in plan.schools) == 30_000
    levels = {level: sum(1 for s in plan.schools if s.level == level) for level in ("MN", "TH", "CS")}
    assert all(count >= 5 for count in levels.values()), levels
    assert any(not s.public for s in plan.schools) and any(s.public for s in plan.schools)
    assert len({s.personal_id for s in plan.students}) == 30_000
    ethnicities = [s.ethnicity for s in plan.students]
    assert ethnicities.count("Kinh") > 0.7 * len(ethnicities)
    assert ethnicities.count("Hoa") > 0.1 * len(ethnicities)
    # Every THCS has its subject groups.
    thcs = [s.code for s in plan.schools if s.level == "CS"]
    groups = [u for u in plan.units if u.kind == UnitKind.SCHOOL_GROUP]
    assert {g.parent_code for g in groups} == set(thcs)
    assert any(g.name == "Tổ Toán" for g in groups) and any(g.name == "Tổ Ngữ văn" for g in groups)


def test_plan_rejects_nonsense():
    with pytest.raises(ValueError):
        build_plan(schools=0, students=10, school_year=2026)
    with pytest.raises(ValueError):
        build_plan(schools=3, students=10, structure="county", school_year=2026)


def test_totp_secret_is_fixed_per_seed_and_user():
    assert demo_data.totp_secret(2026, "lanhdao") == demo_data.totp_secret(2026, "lanhdao")
    assert demo_data.totp_secret(2026, "lanhdao") != demo_data.totp_secret(2027, "lanhdao")
    assert len(base64.b32decode(demo_data.totp_secret(1, "admin"))) == 20


def test_current_school_year_starts_in_september():
    assert demo_data.current_school_year(dt.date(2026, 8, 31)) == 2025
    assert demo_data.current_school_year(dt.date(2026, 9, 1)) == 2026


# --- the written district ------------------------------------------------------------------------------


def test_written_data_matches_the_plan():
    seed("--seed", "11")
    plan = build_plan(seed=11, schools=6, students=200, school_year=2026)
    stored = set(
        Student.objects.values_list("personal_id", "full_name", "date_of_birth", "sex", "school__code")
    )
    planned = {(s.personal_id, s.full_name, s.date_of_birth, s.sex, s.school_code) for s in plan.students}
    assert stored == planned
    assert set(Unit.objects.values_list("code", flat=True)) == {u.code for u in plan.units}


def test_district_structure():
    output = seed()
    province = Unit.objects.get(kind=UnitKind.PROVINCE_DEPARTMENT)
    district = Unit.objects.get(kind=UnitKind.DISTRICT_DEPARTMENT)
    assert province.code == "SO79" and province.parent is None
    assert district.parent == province and "Quận 6" in district.name
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL)
    assert schools.count() == 6
    assert all(s.parent_id == district.pk for s in schools)
    assert {level_of(s.code) for s in schools} == {"MN", "TH", "CS"}
    prefixes = {"MN": "Trường Mầm non ", "TH": "Trường Tiểu học ", "CS": "Trường THCS "}
    assert all(s.name.startswith(prefixes[level_of(s.code)]) for s in schools)
    wards = Unit.objects.filter(kind=UnitKind.WARD, parent=district)
    assert wards.count() == len(demo_data.OLD_WARDS)
    assert all(w.name.startswith("Phường ") for w in wards)
    for thcs in schools.filter(code__contains="CS"):
        assert set(thcs.children.values_list("name", flat=True)) >= {"Tổ Toán", "Tổ Ngữ văn"}
    # Department roles on the Phòng, school roles on a THCS.
    assert Membership.objects.get(user__username="lanhdao").unit == district
    assert level_of(Membership.objects.get(user__username="hieutruong").unit.code) == "CS"
    assert DEMO_PASSWORD in output


def test_ward_structure():
    seed("--structure", "ward")
    province = Unit.objects.get(kind=UnitKind.PROVINCE_DEPARTMENT)
    assert not Unit.objects.filter(kind=UnitKind.DISTRICT_DEPARTMENT).exists()
    wards = Unit.objects.filter(kind=UnitKind.WARD)
    assert set(wards.values_list("name", flat=True)) == {
        "Phường Bình Tây",
        "Phường Bình Tiên",
        "Phường Bình Phú",
        "Phường Phú Lâm",
    }
    assert all(w.parent == province for w in wards)
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL)
    assert schools.count() == 6
    assert {s.parent_id for s in schools} <= set(wards.values_list("pk", flat=True))
    for role in (Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT):
        assert Membership.objects.get(role=role).unit == province
    # Addresses name the new ward and no longer a district.
    addresses = list(Student.objects.values_list("address", flat=True))
    assert all("Quận" not in a for a in addresses)
    assert all(any(w in a for w in demo_data.NEW_WARDS) for a in addresses)


def test_students_are_realistic():
    seed()
    students = list(Student.objects.select_related("school"))
    assert len(students) == 200
    for student in students:
        assert (
            check_personal_id(student.personal_id, sex=student.sex, birth_year=student.date_of_birth.year)
            == []
        ), student
        assert student.personal_id.startswith("079")
        youngest, oldest = LEVEL_AGES[level_of(student.school.code)]
        assert youngest <= 2026 - student.date_of_birth.year <= oldest
        assert len(student.full_name.split()) >= 3
        assert "Quận 6" in student.address and "Phường " in student.address
    with_marks = sum(1 for s in students if VIETNAMESE.search(s.full_name))
    assert with_marks > 0.8 * len(students)
    ethnicities = [s.ethnicity for s in students]
    assert ethnicities.count("Kinh") > len(students) / 2
    assert "Hoa" in ethnicities
    assert {s.sex for s in students} == {"M", "F"}


def test_given_names_match_sex():
    seed()
    female_only = {"Thị", "Ngân", "Trâm", "Uyên", "Nhung", "Oanh", "Hằng", "Quyên"}
    male_only = {"Văn", "Dũng", "Hùng", "Kiệt", "Quân", "Thắng", "Tuấn", "Cường"}
    for name, sex in Student.objects.values_list("full_name", "sex"):
        words = set(name.split()[1:])
        assert not words & (male_only if sex == "F" else female_only), (name, sex)


def test_one_guardian_per_student_with_a_mobile_number():
    seed()
    assert Guardian.objects.count() == Student.objects.count() == 200
    for guardian in Guardian.objects.select_related("student"):
        assert re.fullmatch(r"09\d{8}", guardian.phone)
        assert guardian.school_id == guardian.student.school_id
        assert guardian.relation in ("Cha", "Mẹ")
        assert VIETNAMESE.search(guardian.full_name) or guardian.full_name.isascii()


def test_every_role_has_a_demo_account_and_the_parent_and_student_are_linked():
    seed()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role)
    parent = User.objects.get(username="phuhuynh")
    child = Student.objects.get(guardians__user=parent)
    assert child.user == User.objects.get(username="hocsinh")
    assert child.school == Membership.objects.get(user=parent).unit
    assert parent.full_name == child.guardians.get().full_name
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(username="giaovien", is_superuser=True).exists()


def test_every_demo_account_signs_in_and_the_two_factor_ones_pass_totp():
    output = seed()
    table = accounts_table(output)
    assert set(table) == {username for username, *_ in demo_data.ACCOUNTS} | {"admin"}
    for username, secret in table.items():
        user = User.objects.get(username=username)
        needs_totp = user.is_superuser or user.memberships.filter(role__in=TWO_FACTOR_ROLES).exists()
        assert bool(secret) == needs_totp, username
        client = Client()
        response = client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
        home = client.get("/")
        if needs_totp:
            assert home.status_code == 302 and reverse("core:two_factor") in home["Location"]
            code = f"{TOTP(base64.b32decode(secret)).token():06d}"
            response = client.post(reverse("core:two_factor"), {"otp_token": code})
            assert response.status_code == 302, (username, response.status_code)
            home = client.get("/")
        assert home.status_code == 200, username
        assert home.wsgi_request.user.username == username


def test_demo_totp_prints_the_current_code():
    table = accounts_table(seed())
    out = io.StringIO()
    call_command("demo_totp", "lanhdao", stdout=out)
    assert out.getvalue().strip() == f"{TOTP(base64.b32decode(table['lanhdao'])).token():06d}"
    with pytest.raises(CommandError):
        call_command("demo_totp", "giaovien", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_totp", "khong-ton-tai", stdout=io.StringIO())


def test_demo_totp_ignores_devices_it_did_not_create():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    seed()
    TOTPDevice.objects.filter(user__username="lanhdao").update(name="điện thoại của tôi")
    with pytest.raises(CommandError):
        call_command("demo_totp", "lanhdao", stdout=io.StringIO())


def test_if_empty_is_idempotent():
    seed()
    counts = (Unit.objects.count(), Student.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed_demo", *SMALL, "--if-empty", stdout=out)
    assert "đã có đơn vị" in out.getvalue()
    assert (Unit.objects.count(), Student.objects.count(), User.objects.count()) == counts
    with pytest.raises(CommandError):
        seed()
    assert (Unit.objects.count(), Student.objects.count(), User.objects.count()) == counts


def test_if_empty_on_an_empty_database_seeds():
    call_command("seed_demo", *SMALL, "--if-empty", stdout=io.StringIO())
    assert Student.objects.count() == 200


def test_a_failure_leaves_nothing_behind(monkeypatch):
    from giaoducso.core.management.commands import seed_demo

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(seed_demo, "_link", boom)
    with pytest.raises(RuntimeError):
        seed()
    assert not Unit.objects.exists()
    assert not Student.objects.exists()
    assert not User.objects.exists()


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--schools", "0", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", "--structure", "county", stdout=io.StringIO())
    assert not Unit.objects.exists()
