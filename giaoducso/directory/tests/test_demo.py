import base64
import datetime as dt
import functools
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP

from giaoducso.core import demo
from giaoducso.core.demo import DEMO_PASSWORD
from giaoducso.core.models import AuditEntry, Membership, Unit, UnitKind, User
from giaoducso.core.roles import SYSTEM_ROLES, TWO_FACTOR_ROLES, Role
from giaoducso.directory.demo import plan as demo_data
from giaoducso.directory.demo.plan import build_plan
from giaoducso.directory.models import (
    Enrolment,
    Equipment,
    Guardian,
    Room,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffAssignment,
    Student,
    StudentStatusEvent,
)
from rules.identifiers import check_personal_id
from rules.students import LEVEL_GRADES, age_plausible, normalise_phone, parse_class_name
from rules.text import fold, name_sort_key

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
    assert demo.totp_secret(2026, "lanhdao") == demo.totp_secret(2026, "lanhdao")
    assert demo.totp_secret(2026, "lanhdao") != demo.totp_secret(2027, "lanhdao")
    assert len(base64.b32decode(demo.totp_secret(1, "admin"))) == 20


def test_current_school_year_starts_in_september():
    assert demo.current_school_year(dt.date(2026, 8, 31)) == 2025
    assert demo.current_school_year(dt.date(2026, 9, 1)) == 2026


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
    stored_classes = set(
        SchoolClass.objects.values_list("school__code", "grade", "name", "homeroom_teacher__personal_id")
    )
    assert stored_classes == {(c.school_code, c.grade, c.name, c.homeroom_personal_id) for c in plan.classes}
    # The plan speaks in names; the records keep codes of rules/codelists.
    stored_staff = {
        (s.personal_id, s.full_name, s.school.code, s.position_name)
        for s in Staff.objects.select_related("school")
    }
    assert stored_staff == {(s.personal_id, s.full_name, s.school_code, s.position) for s in plan.staff}
    enrolled = set(Enrolment.objects.values_list("student__personal_id", "school_class__name"))
    assert enrolled == {(s.personal_id, s.class_name) for s in plan.students}
    assert Room.objects.count() == len(plan.rooms) and Equipment.objects.count() == len(plan.equipment)


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
    students = list(Student.objects.select_related("school", "current_class"))
    assert len(students) == 200
    for student in students:
        problems = check_personal_id(
            student.personal_id, sex=student.sex, birth_year=student.date_of_birth.year
        )
        # The only problems are the deliberate year-digit slips (see the README).
        assert {p.code for p in problems} <= {"year"}, (student, problems)
        province = student.personal_id[:3]
        assert (province == "079") == (student.place_of_birth == demo_data.BIRTHPLACE_HCM), student
        assert age_plausible(student.date_of_birth, student.current_class.grade, 2026), student
        assert len(student.full_name.split()) >= 3
        assert "Quận 6" in student.address and "Phường " in student.address
    with_marks = sum(1 for s in students if VIETNAMESE.search(s.full_name))
    assert with_marks > 0.8 * len(students)
    ethnicities = [s.ethnicity_name for s in students]
    assert ethnicities.count("Kinh") > len(students) / 2
    # The Ministry's sheet: parents and place of birth, plausible for a pupil.
    assert all(s.mother_name and s.mother_birth_year for s in students)
    assert all(12 <= s.date_of_birth.year - s.mother_birth_year <= 70 for s in students)
    assert sum(1 for s in students if s.birth_province == "79") > len(students) / 2
    assert "Hoa" in ethnicities
    assert {s.sex for s in students} == {"M", "F"}
    born_here = sum(1 for s in students if s.place_of_birth == "TP. Hồ Chí Minh")
    assert born_here > 0.8 * len(students)


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
        # Empty only for the deliberate ≈1% without a phone.
        assert guardian.phone == "" or re.fullmatch(r"09\d{8}", guardian.phone)
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
        if user.memberships.filter(role__in=SYSTEM_ROLES).exists():
            assert response.status_code == 400, username  # a system account uses API tokens only
            continue
        assert response.status_code == 302, (username, response.status_code)
        home = client.get(reverse("core:home"))
        if needs_totp:
            assert home.status_code == 302 and reverse("core:two_factor") in home["Location"]
            code = f"{TOTP(base64.b32decode(secret)).token():06d}"
            response = client.post(reverse("core:two_factor"), {"otp_token": code})
            assert response.status_code == 302, (username, response.status_code)
            home = client.get(reverse("core:home"))
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
    from giaoducso.directory import demo as directory_demo

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(directory_demo, "_link", boom)
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


# --- the directory -------------------------------------------------------------------------------------

DIRECTORY_LEVEL = {"MN": "preschool", "TH": "primary", "CS": "lower_secondary"}
OFFICE_POSITIONS = {"Hiệu trưởng", "Phó Hiệu trưởng", "Văn thư", "Nhân viên công nghệ thông tin", "Kế toán"}
OFFICE_POSITIONS |= {"Nhân viên y tế"}


@functools.cache
def default_plan():
    return build_plan(seed=2026, schools=45, students=30_000, school_year=2026)


def test_default_plan_has_a_realistic_sprinkle_of_quality_problems():
    plan = default_plan()
    n = len(plan.students)
    missing_phone = sum(1 for s in plan.students if not s.guardian_phone) / n
    unknown_ward = [s for s in plan.students if s.ward_code is None]
    mismatched = [
        s
        for s in plan.students
        if check_personal_id(s.personal_id, sex=s.sex, birth_year=s.date_of_birth.year)
    ]
    assert 0.005 < missing_phone < 0.015
    assert 0.001 < len(unknown_ward) / n < 0.006
    assert all(s.ward_name in demo_data.MERGED_WARDS for s in unknown_ward)
    assert 0.0005 < len(mismatched) / n < 0.004
    for s in mismatched:
        problems = check_personal_id(s.personal_id, sex=s.sex, birth_year=s.date_of_birth.year)
        assert [p.code for p in problems] == ["year"], (s, problems)
    assert 0 < sum(1 for s in plan.students if s.policy_groups) < 0.1 * n
    assert 0 < sum(1 for s in plan.students if s.disability) < 0.02 * n


def test_default_plan_classes_staff_and_rooms_have_realistic_sizes():
    plan = default_plan()
    sizes = {}
    for s in plan.students:
        sizes[(s.school_code, s.class_name)] = sizes.get((s.school_code, s.class_name), 0) + 1
    assert set(sizes) == {(c.school_code, c.name) for c in plan.classes}
    assert max(sizes.values()) <= 40
    level = {s.code: s.level for s in plan.schools}
    graded = [n for (code, _), n in sizes.items() if level[code] != "MN"]
    assert sum(1 for n in graded if 30 <= n <= 40) > 0.9 * len(graded)
    for school in plan.schools:
        classes = sum(1 for c in plan.classes if c.school_code == school.code)
        teachers = [t for t in plan.staff if t.school_code == school.code and t.position == "Giáo viên"]
        assert len(teachers) >= classes
        classrooms = [r for r in plan.rooms if r.school_code == school.code and r.kind == "classroom"]
        assert classes <= len(classrooms) <= classes + 2
        if school.level == "CS":
            assert all(t.subjects for t in teachers)
    shared = [s for s in plan.staff if s.second_school_code]
    assert shared and len(shared) < 0.05 * len(plan.staff)
    assert all(
        level[s.second_school_code] == level[s.school_code] and s.second_school_code != s.school_code
        for s in shared
    )
    assert len({s.personal_id for s in plan.staff} | {s.personal_id for s in plan.students}) == len(
        plan.staff
    ) + len(plan.students)


def test_school_year_accepts_both_spellings():
    assert demo.parse_school_year("2026") == 2026
    assert demo.parse_school_year("2026-2027") == 2026
    assert demo.parse_school_year(" 2026–2027 ") == 2026
    for bad in ("2026-2028", "26", "năm nay", "2026-"):
        with pytest.raises(ValueError):
            demo.parse_school_year(bad)
    with pytest.raises(CommandError):
        call_command("seed_demo", "--school-year", "2026-2028", stdout=io.StringIO())
    assert not Unit.objects.exists()


def test_every_school_has_its_directory_record():
    seed("--school-year", "2026-2027")
    district = Unit.objects.get(kind=UnitKind.DISTRICT_DEPARTMENT)
    units = Unit.objects.filter(kind=UnitKind.SCHOOL)
    assert School.objects.count() == units.count() == 6
    for school in School.objects.select_related("unit", "ward"):
        code = school.unit.code
        assert school.level == DIRECTORY_LEVEL[level_of(code)]
        assert school.ownership == ("public" if code[5:7] == "CL" else "private")
        assert school.ward.kind == UnitKind.WARD and school.ward.parent == district
        assert school.ward_name == school.ward.name
        assert "Quận 6" in school.address
        assert normalise_phone(school.phone) == school.phone and school.phone.startswith("028")
        assert re.fullmatch(r"(mn|th|c2)[a-z0-9]+\.q6@example\.edu\.vn", school.email), school.email
        principal = Staff.objects.get(school=school.unit, position="HT")
        assert school.principal_name == principal.full_name
        assert Staff.objects.filter(school=school.unit, full_name=school.it_leader_name).exists()
        it_staff = Staff.objects.get(school=school.unit, position="CNTT")
        if school.has_it_staff_position:
            assert school.ownership == "public"
        else:
            assert it_staff.employment_type == "HDLD"


def test_current_and_previous_school_years_with_their_terms():
    seed("--school-year", "2026-2027")
    current = SchoolYear.objects.get(is_current=True)
    assert current.name == "2026-2027"
    assert (current.start_date, current.end_date) == (dt.date(2026, 9, 5), dt.date(2027, 5, 31))
    terms = list(current.terms.order_by("number"))
    assert [t.number for t in terms] == [1, 2]
    assert terms[0].start_date == current.start_date and terms[1].end_date == current.end_date
    assert terms[0].end_date < terms[1].start_date
    previous = SchoolYear.objects.get(name="2025-2026")
    assert not previous.is_current and previous.terms.count() == 2
    assert SchoolClass.objects.exclude(year=current).count() == 0


def test_every_student_is_enrolled_in_a_plausible_class_of_their_school():
    seed()
    current = SchoolYear.objects.get(is_current=True)
    students = Student.objects.select_related("school__school_record", "current_class")
    assert Enrolment.objects.count() == StudentStatusEvent.objects.count() == students.count() == 200
    for student in students:
        enrolment = student.enrolments.get()
        klass = student.current_class
        assert enrolment.year == current and enrolment.school_class_id == klass.pk
        assert enrolment.school_id == klass.school_id == student.school_id
        assert klass.grade in LEVEL_GRADES[student.school.school_record.level]
        assert age_plausible(student.date_of_birth, klass.grade, 2026), student
        assert student.search_name == fold(student.full_name) != ""
        assert student.sort_key == name_sort_key(student.full_name)
        assert student.status == "studying"
        event = student.status_events.get()
        assert (event.status, event.date, event.school_id) == (
            "studying",
            current.start_date,
            student.school_id,
        )
        assert student.ward_name
        if student.ward_id is not None:
            assert student.ward.kind == UnitKind.WARD and student.ward.name == student.ward_name
    # Search depends on the folded name: a diacritic-free query finds the student.
    someone = students.first()
    assert Student.objects.filter(search_name__contains=fold(someone.full_name)).exists()


def test_every_class_is_taught_at_the_schools_level_and_has_a_homeroom_teacher_of_that_school():
    seed()
    classes = SchoolClass.objects.select_related("school__school_record", "homeroom_teacher", "room")
    assert classes.exists()
    for klass in classes:
        level = klass.school.school_record.level
        assert klass.grade in LEVEL_GRADES[level]
        assert parse_class_name(klass.name) == (klass.grade, klass.name)
        if level == "preschool":
            assert klass.name.split()[0] in ("Mầm", "Chồi", "Lá")
        assert klass.homeroom_teacher.school_id == klass.school_id
        assert klass.homeroom_teacher.position_name == "Giáo viên"
        assert klass.room.school_id == klass.school_id and klass.room.kind == "classroom"
        assert klass.students.exists()
    # A teacher is homeroom teacher of one class at most.
    teachers = list(classes.values_list("homeroom_teacher", flat=True))
    assert len(teachers) == len(set(teachers))


def test_staff_are_valid_adults_with_their_assignments():
    seed()
    staff = list(Staff.objects.select_related("school"))
    for member in staff:
        problems = check_personal_id(member.personal_id, sex=member.sex, birth_year=member.date_of_birth.year)
        assert problems == [], (member, problems)
        assert 2026 - member.date_of_birth.year >= 22
        assert member.search_name == fold(member.full_name)
        assert member.sort_key == name_sort_key(member.full_name)
        assert member.employment_type in ("VC", "HDLD")
        assert member.qualification_name in ("Đại học", "Thạc sĩ", "Cao đẳng")
        assert re.fullmatch(r"09\d{8}", member.phone)
        main = member.assignments.get(is_main=True)
        assert main.school_id == member.school_id and main.position == member.position
        if member.position_name == "Giáo viên" and level_of(member.school.code) == "CS":
            assert member.subjects
    assert StaffAssignment.objects.filter(is_main=False).count() == sum(
        1 for m in staff if m.assignments.count() == 2
    )
    for school in Unit.objects.filter(kind=UnitKind.SCHOOL):
        positions = {s.position_name for s in Staff.objects.filter(school=school)}
        assert positions >= OFFICE_POSITIONS | {"Giáo viên"}, school


def test_demo_accounts_are_linked_to_their_staff_and_the_child_sits_in_the_homeroom_class():
    seed()
    school = Membership.objects.get(user__username="hieutruong").unit
    expected = {
        "hieutruong": "Hiệu trưởng",
        "hieupho": "Phó Hiệu trưởng",
        "vanthu": "Văn thư",
        "cntt.truong": "Nhân viên công nghệ thông tin",
        "giaovien": "Giáo viên",
        "gvcn": "Giáo viên",
    }
    for username, position in expected.items():
        member = Staff.objects.get(user__username=username)
        assert member.school == school and member.position_name == position
        assert member.full_name == member.user.full_name
    assert Staff.objects.get(user__username="giaovien").subjects == "Toán"
    child = Student.objects.get(guardians__user__username="phuhuynh")
    gvcn = User.objects.get(username="gvcn")
    assert child.current_class.homeroom_teacher.user == gvcn
    assert child.current_class.name == "6/1"
    assert Membership.objects.get(user=gvcn).title == "Giáo viên chủ nhiệm lớp 6/1"


def test_facilities_per_school():
    seed()
    for school in Unit.objects.filter(kind=UnitKind.SCHOOL):
        rooms = Room.objects.filter(school=school)
        kinds = list(rooms.values_list("kind", flat=True))
        assert kinds.count("classroom") >= SchoolClass.objects.filter(school=school).count()
        assert 1 <= kinds.count("computer_lab") <= 2
        assert {"library", "multipurpose", "medical", "office"} <= set(kinds)
        assert all(r.area_m2 and r.area_m2 > 10 for r in rooms)
        computers = Equipment.objects.filter(school=school, name="Máy tính để bàn", room__kind="computer_lab")
        assert computers.exists() and all(e.quantity >= 15 for e in computers)
        assert all(
            e.room is None or e.room.school_id == school.pk for e in Equipment.objects.filter(school=school)
        )
    names = set(Equipment.objects.values_list("name", flat=True))
    assert {"Máy chiếu", "Máy tính để bàn", "Ti vi"} <= names


def test_bulk_loads_are_audited_once_per_school_and_table():
    """Schools, students and staff go through their bulk write paths: a line per row, as the single-row
    services write; the other tables a line per school and table."""
    seed()
    entries = AuditEntry.objects.filter(note="seed_demo")
    for school in Unit.objects.filter(kind=UnitKind.SCHOOL):
        by_table = {e.object_type: e for e in entries.filter(unit=school)}
        assert "directory.school" not in by_table
        assert (
            by_table["directory.schoolclass"].changes["rows"]
            == SchoolClass.objects.filter(school=school).count()
        )
        assert len(by_table) == entries.filter(unit=school).count()  # one line per table
        rows = AuditEntry.objects.filter(unit=school, action="create")
        assert rows.filter(object_type="directory.school", object_id=str(school.pk)).count() == 1
        students = Student.objects.filter(school=school)
        assert rows.filter(object_type="directory.student").count() == students.count()
        assert rows.filter(object_type="directory.enrolment").count() == students.count()
        assert (
            rows.filter(object_type="directory.staff").count() == Staff.objects.filter(school=school).count()
        )
    assert entries.values("unit", "object_type").distinct().count() == entries.count()


def test_the_load_is_bulk_so_more_students_cost_no_more_queries():
    """What keeps the default 30,000-student run fast: no query per student, staff member or class."""

    def queries(students):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                call_command(
                    "seed_demo", "--schools", "6", "--students", str(students), "--school-year", "2026",
                    stdout=io.StringIO(),
                )  # fmt: skip
            transaction.set_rollback(True)
        return len(captured)

    small, large = queries(100), queries(1500)
    assert Student.objects.count() == 0  # both runs were rolled back
    # SQLite caps the parameters of one statement, so batches hold a few dozen rows: each extra student
    # (with guardian, enrolment and status, their four audit lines, and in the records' demo classes their
    # marks) costs a fraction of a query, never one of its own.
    assert large - small < (1500 - 100) / 4, (small, large)


def test_ward_structure_points_students_and_schools_at_the_new_wards():
    seed("--structure", "ward")
    new_wards = set(Unit.objects.filter(kind=UnitKind.WARD).values_list("pk", flat=True))
    assert set(School.objects.values_list("ward", flat=True)) <= new_wards
    wards = set(Student.objects.exclude(ward=None).values_list("ward", flat=True))
    assert wards and wards <= new_wards
