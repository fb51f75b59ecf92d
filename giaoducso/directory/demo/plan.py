"""The demo district as data, and a pure plan of it (no database): `seed_demo` writes what `build_plan`
returns, so the plan can be compared, digested and tested on its own.

School codes follow the Ministry's shape (up to 12 letters and digits); the directory's School record
holds the level and ownership, but the demo codes still spell them for readability: ``775`` (Quận 6's
administrative code) + level (``MN`` preschool, ``TH`` primary, ``CS`` lower secondary) + type (``CL``
public, ``TT`` private) + a two-digit number, e.g. ``775CSCL01``. Each school gets its classes, staff,
rooms and equipment; a sprinkle of deliberate data-quality problems (MISSING_GUARDIAN_PHONE_SHARE…)
gives the quality board something to show. Names of schools, streets and people are illustrative, not
a register of real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from giaoducso.core.demo import (
    DISTRICT,
    STRUCTURES,
    SUPERUSER,
    WARD,
    AccountPlan,
    UnitPlan,
    totp_secret,
)
from giaoducso.core.models import UnitKind
from giaoducso.core.roles import TWO_FACTOR_ROLES, Role
from rules.identifiers import PROVINCE_CODES, Sex, make_personal_id
from rules.students import LEVEL_GRADES
from rules.text import fold

from .data import (
    ACCOUNTANT,
    ACCOUNTS,
    BIRTH_PROVINCE,
    BIRTHPLACE_HCM,
    CIVIL_SERVANT,
    CLASS_SIZE_MAX,
    CLASSROOM_EQUIPMENT,
    CLERK,
    CONTRACT,
    DISABILITIES,
    DISTRICT_CODE,
    DISTRICT_NAME,
    DISTRICT_SHORT,
    EMAIL_DOMAIN,
    EMAIL_PREFIX,
    ETHNICITIES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    HOA_FAMILY,
    HOA_FEMALE,
    HOA_MALE,
    ID_YEAR_MISMATCH_SHARE,
    IT_STAFF,
    KHMER_FAMILY,
    KINH_FAMILY,
    LATE_SHARE,
    LEVEL_PREFIX,
    LEVEL_SHORT,
    LEVEL_SIZE,
    LEVELS,
    MALE_GIVEN,
    MALE_MIDDLE,
    MEDICAL,
    MERGED_WARDS,
    MISSING_GUARDIAN_PHONE_SHARE,
    NEW_WARDS,
    OLD_WARDS,
    OTHER_BIRTHPLACES,
    PHONE_PREFIXES,
    POLICY_GROUPS,
    PRESCHOOL_GROUPS,
    PRIMARY_SPECIALISTS,
    PRINCIPAL,
    PRIVATE_SHARE,
    PROVINCE_CODE,
    PROVINCE_NAME,
    PROVINCE_SHORT,
    SCHOOL_NAMES,
    SHARED_SUBJECTS,
    STAFF_PROVINCES,
    STREETS,
    SUBJECT_GROUPS,
    SUPERUSER_NAME,
    TEACHER,
    THCS_SUBJECTS,
    UNKNOWN_WARD_SHARE,
    VICE_PRINCIPAL,
)
from .shapes import (
    ClassPlan,
    DemoPlan,
    EquipmentPlan,
    RoomPlan,
    SchoolPlan,
    StaffPlan,
    StudentPlan,
    TermPlan,
    YearPlan,
)


def _level_counts(schools: int) -> dict[str, int]:
    # Roughly the mix of a Ho Chi Minh City district; the demo accounts need at least one THCS.
    cs = max(1, round(schools * 0.27))
    th = min(schools - cs, max(1 if schools >= 2 else 0, round(schools * 0.38)))
    return {"MN": schools - cs - th, "TH": th, "CS": cs}


def _pick_names(rng: random.Random, pool: list[str], count: int) -> list[str]:
    names = list(pool)
    rng.shuffle(names)
    # More schools than names: number the repeats, as real districts do ("Sơn Ca 2").
    return [
        names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(count)
    ]


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Splits `total` in proportion to `weights` exactly (largest remainder)."""
    if not weights:
        return []
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _People:
    """Vietnamese names, dates of birth and contact details, all drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.kinh_family = [name for name, _ in KINH_FAMILY]
        self.kinh_weights = [weight for _, weight in KINH_FAMILY]

    def family(self, ethnicity: str) -> str:
        if ethnicity == "Hoa":
            return self.rng.choice(HOA_FAMILY)
        if ethnicity == "Khmer":
            return self.rng.choice(KHMER_FAMILY)
        return self.rng.choices(self.kinh_family, self.kinh_weights)[0]

    def given(self, sex: str, ethnicity: str, *, adult: bool = False) -> str:
        rng = self.rng
        if ethnicity == "Hoa" and rng.random() < 0.7:
            return rng.choice(HOA_MALE if sex == Sex.MALE else HOA_FEMALE)
        if sex == Sex.MALE:
            middle = "Văn" if adult and rng.random() < 0.4 else rng.choice(MALE_MIDDLE)
            given = rng.choice(MALE_GIVEN)
        else:
            middle = "Thị" if adult and rng.random() < 0.5 else rng.choice(FEMALE_MIDDLE)
            given = rng.choice(FEMALE_GIVEN)
        while given == middle:
            given = rng.choice(MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN)
        return f"{middle} {given}"

    def full_name(self, sex: str, ethnicity: str = "Kinh", *, adult: bool = False) -> str:
        return f"{self.family(ethnicity)} {self.given(sex, ethnicity, adult=adult)}"

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def address(self, old_ward: str, structure: str) -> str:
        rng = self.rng
        number = f"{rng.randint(1, 480)}"
        if rng.random() < 0.35:
            number += f"/{rng.randint(1, 60)}"
        street = rng.choice(STREETS[old_ward])
        if structure == WARD:
            # After 2025 there is no district level: the address names the new ward and the city.
            return f"{number} {street}, {OLD_WARDS[old_ward]}, Thành phố Hồ Chí Minh"
        return f"{number} {street}, {old_ward}, Quận 6, Thành phố Hồ Chí Minh"

    def birth_date(self, year: int) -> dt.date:
        first = dt.date(year, 1, 1)
        return first + dt.timedelta(days=self.rng.randrange((dt.date(year + 1, 1, 1) - first).days))


def school_year_name(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def year_plan(start_year: int, *, is_current: bool) -> YearPlan:
    """A school year on the city's calendar: opening day 5 September, two terms, ending 31 May."""
    start, end = dt.date(start_year, 9, 5), dt.date(start_year + 1, 5, 31)
    terms = (
        TermPlan(1, start, dt.date(start_year + 1, 1, 17)),
        TermPlan(2, dt.date(start_year + 1, 1, 19), end),
    )
    return YearPlan(school_year_name(start_year), start, end, is_current, terms)


# AccountPlan.record kinds.
STUDENT_RECORD, CHILD_RECORD, STAFF_RECORD = "student", "child", "staff"

_PROVINCE_BY_NAME = {name: code for code, name in PROVINCE_CODES.items()}


def _ward(structure: str, old_ward: str, old_wards: list[str]) -> tuple[str, str]:
    """The ward unit's code and name that an old-ward address belongs to, in this structure."""
    if structure == DISTRICT:
        return f"775P{old_wards.index(old_ward) + 1:02d}", old_ward
    new = OLD_WARDS[old_ward]
    return NEW_WARDS[new], new


class _Ids:
    """Unique, well-formed personal ids across students and staff."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, province: str, sex: str, year: int) -> str:
        while True:
            value = make_personal_id(province, sex, year, self.rng.randrange(1_000_000))
            if value not in self.used:
                self.used.add(value)
                return value


def _school_students(
    rng: random.Random,
    people: _People,
    ids: _Ids,
    school: SchoolPlan,
    *,
    school_year: int,
    structure: str,
    old_wards: list[str],
) -> tuple[list[StudentPlan], list[tuple[int, str]]]:
    """The students of one school, each in a class, and the school's classes as (grade, name)."""
    ethnic_names = [name for name, _ in ETHNICITIES]
    ethnic_weights = [weight for _, weight in ETHNICITIES]
    # Preschool children are grouped by age (grade 0); pupils by grade, a few a year older than expected.
    ages: list[int] = []
    groups: list[int | str] = []
    for _ in range(school.students):
        if school.level == "MN":
            age = rng.choice(list(PRESCHOOL_GROUPS))
            ages.append(age)
            groups.append(PRESCHOOL_GROUPS[age])
        else:
            grade = rng.choice(sorted(LEVEL_GRADES[school.directory_level]))
            ages.append(5 + grade + (1 if rng.random() < LATE_SHARE else 0))
            groups.append(grade)
    sizes: dict[int | str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    per_group = {group: -(-n // CLASS_SIZE_MAX[school.level]) for group, n in sizes.items()}
    order = (
        list(PRESCHOOL_GROUPS.values())
        if school.level == "MN"
        else sorted(LEVEL_GRADES[school.directory_level])
    )
    classes: list[tuple[int, str]] = []
    for group in order:
        for k in range(1, per_group.get(group, 0) + 1):
            classes.append((0, f"{group} {k}") if isinstance(group, str) else (group, f"{group}/{k}"))
    seen: dict[int | str, int] = {}

    students: list[StudentPlan] = []
    for age, group in zip(ages, groups, strict=True):
        index = seen.get(group, 0)
        seen[group] = index + 1
        number = index % per_group[group] + 1
        class_name = f"{group} {number}" if isinstance(group, str) else f"{group}/{number}"
        sex = Sex.MALE if rng.random() < 0.515 else Sex.FEMALE
        ethnicity = rng.choices(ethnic_names, ethnic_weights)[0]
        year = school_year - age
        place = BIRTHPLACE_HCM if rng.random() < 0.92 else rng.choice(OTHER_BIRTHPLACES)
        province = BIRTH_PROVINCE if place == BIRTHPLACE_HCM else _PROVINCE_BY_NAME[place]
        # Deliberate: a few ids whose year digits disagree with the date of birth (a typing slip).
        id_year = year + rng.choice((-1, 1)) if rng.random() < ID_YEAR_MISMATCH_SHARE else year
        personal_id = ids.make(province, sex, id_year)
        family = people.family(ethnicity)
        old_ward = school.old_ward if rng.random() < 0.7 else rng.choice(old_wards)
        ward_code: str | None
        ward_code, ward_name = _ward(structure, old_ward, old_wards)
        if rng.random() < UNKNOWN_WARD_SHARE:
            # Deliberate: a ward written as on old papers, which the tree no longer has.
            ward_code = None
            ward_name = rng.choice(MERGED_WARDS) if structure == DISTRICT else old_ward
        if rng.random() < 0.55:
            guardian = (f"{people.full_name(Sex.FEMALE, ethnicity, adult=True)}", "Mẹ")
        else:
            guardian = (f"{family} {people.given(Sex.MALE, ethnicity, adult=True)}", "Cha")
        phone = people.phone()
        if rng.random() < MISSING_GUARDIAN_PHONE_SHARE:
            phone = ""  # Deliberate: a guardian without a phone number.
        policy = (rng.choice(POLICY_GROUPS),) if rng.random() < 0.03 else ()
        disability = rng.choice(DISABILITIES) if rng.random() < 0.005 else ""
        parents = _parents(personal_id, year, family, ethnicity, guardian)
        born_here = place == BIRTHPLACE_HCM and ward_code is not None and bool(ward_name)
        students.append(
            StudentPlan(
                school_code=school.code,
                personal_id=personal_id,
                full_name=f"{family} {people.given(sex, ethnicity)}",
                date_of_birth=people.birth_date(year),
                sex=str(sex),
                ethnicity=ethnicity,
                address=people.address(old_ward, structure),
                guardian_name=guardian[0],
                guardian_relation=guardian[1],
                guardian_phone=phone,
                class_name=class_name,
                place_of_birth=place,
                ward_code=ward_code,
                ward_name=ward_name,
                policy_groups=policy,
                disability=disability,
                birth_commune=ward_name if born_here else "",
                **parents,
            )
        )
    return students, classes


def _parents(
    personal_id: str, child_year: int, family: str, ethnicity: str, guardian: tuple[str, str]
) -> dict[str, Any]:
    """Father and mother of a pupil, from a generator of their own (seeded by the pupil's id), so that adding
    them left every other value of the demo as it was. The guardian is one of them; a few fathers are
    not on the birth certificate."""
    rng = random.Random(personal_id)  # noqa: S311 — demo data, not secrets
    people = _People(rng)
    father = (
        guardian[0] if guardian[1] == "Cha" else f"{family} {people.given(Sex.MALE, ethnicity, adult=True)}"
    )
    mother = guardian[0] if guardian[1] == "Mẹ" else people.full_name(Sex.FEMALE, ethnicity, adult=True)
    known_father = guardian[1] == "Cha" or rng.random() > 0.03
    return {
        "father_name": father if known_father else "",
        "father_birth_year": child_year - rng.randint(23, 42) if known_father else None,
        "mother_name": mother,
        "mother_birth_year": child_year - rng.randint(20, 38),
    }


def _person(
    rng: random.Random, people: _People, ids: _Ids, *, female_share: float, born: tuple[int, int]
) -> tuple[str, str, dt.date, str]:
    """An adult: sex, full name, date of birth and personal id (registered where they were born)."""
    sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
    ethnicity = "Hoa" if rng.random() < 0.1 else "Kinh"
    year = rng.randint(*born)
    place = rng.choice(STAFF_PROVINCES)
    personal_id = ids.make(_PROVINCE_BY_NAME[place], sex, year)
    return str(sex), people.full_name(sex, ethnicity, adult=True), people.birth_date(year), personal_id


def _school_staff(
    rng: random.Random,
    people: _People,
    ids: _Ids,
    school: SchoolPlan,
    classes: list[tuple[int, str]],
    *,
    school_year: int,
) -> tuple[list[StaffPlan], dict[str, str], bool]:
    """The staff of one school, the homeroom teacher (personal id) of each class, and whether the
    school has an IT staff position of its own (without one, its IT is done by a contract worker)."""
    female = {"MN": 0.97, "TH": 0.8, "CS": 0.7}[school.level]
    newest = school_year - 22

    def employment() -> str:
        return CIVIL_SERVANT if school.public and rng.random() < 0.85 else CONTRACT

    def teacher_degree() -> str:
        if school.level == "MN":
            return rng.choices(["Cao đẳng", "Đại học", "Thạc sĩ"], [40, 57, 3])[0]
        return rng.choices(["Cao đẳng", "Đại học", "Thạc sĩ"], [5, 80, 15])[0]

    has_it_position = school.public and (school.level != "MN" or rng.random() < 0.3)
    office: list[tuple[str, tuple[int, int], Callable[[], str], str]] = [
        (PRINCIPAL, (1968, 1982), lambda: CIVIL_SERVANT if school.public else CONTRACT, "Thạc sĩ"),
        (VICE_PRINCIPAL, (1970, 1988), employment, "Đại học"),
        (CLERK, (1975, newest), employment, "Cao đẳng"),
        (IT_STAFF, (1985, newest), employment if has_it_position else (lambda: CONTRACT), "Đại học"),
        (ACCOUNTANT, (1972, newest), employment, "Đại học"),
        (MEDICAL, (1975, newest), employment, "Cao đẳng"),
    ]
    staff: list[StaffPlan] = []
    for position, born, kind, degree in office:
        sex, name, birth, personal_id = _person(rng, people, ids, female_share=female, born=born)
        if position in (PRINCIPAL, VICE_PRINCIPAL) and rng.random() < 0.3:
            degree = "Thạc sĩ" if degree == "Đại học" else "Đại học"
        staff.append(
            StaffPlan(
                school.code, personal_id, name, sex, birth, position, kind(), degree, "", people.phone()
            )
        )

    n = len(classes)
    if school.level == "MN":
        subjects = [""] * max(2 * n, 2)  # two teachers per group
    elif school.level == "TH":
        extra = max(-(-3 * n // 10), 1)
        subjects = [""] * n + [PRIMARY_SPECIALISTS[i % len(PRIMARY_SPECIALISTS)] for i in range(extra)]
    else:
        subjects = [THCS_SUBJECTS[i % len(THCS_SUBJECTS)] for i in range(max(-(-19 * n // 10), 6))]
    teachers: list[StaffPlan] = []
    for subject in subjects:
        sex, name, birth, personal_id = _person(rng, people, ids, female_share=female, born=(1968, newest))
        teachers.append(
            StaffPlan(
                school.code,
                personal_id,
                name,
                sex,
                birth,
                TEACHER,
                employment(),
                teacher_degree(),
                subject,
                people.phone(),
            )
        )
    # Homerooms go to the class teachers (primary, preschool) or to any subject teacher (THCS).
    candidates = [t for t in teachers if school.level != "TH" or not t.subjects]
    rng.shuffle(candidates)
    homerooms = {name: candidates[i].personal_id for i, (_, name) in enumerate(classes)}
    return staff + teachers, homerooms, has_it_position


def _school_rooms(
    rng: random.Random, school: SchoolPlan, classes: list[tuple[int, str]]
) -> tuple[list[RoomPlan], list[EquipmentPlan], dict[str, str]]:
    """Rooms with areas and conditions, equipment with quantities, and the classroom of each class."""
    rooms: list[RoomPlan] = []
    equipment: list[EquipmentPlan] = []

    def condition() -> str:
        return rng.choices(["good", "fair", "poor"], [88, 10, 2])[0]

    def room(kind: str, name: str, low: float, high: float) -> str:
        rooms.append(RoomPlan(school.code, kind, name, f"{rng.uniform(low, high):.1f}", condition()))
        return name

    def kit(room_name: str | None, name: str, quantity: int) -> None:
        if quantity > 0:
            equipment.append(EquipmentPlan(school.code, room_name, name, quantity, condition()))

    classrooms = len(classes) + rng.randint(0, 2)
    class_rooms: dict[str, str] = {}
    for i in range(classrooms):
        name = room("classroom", f"Phòng {i // 10 + 1}{i % 10 + 1:02d}", 48, 62)
        if i < len(classes):
            class_rooms[classes[i][1]] = name
        for item, share in CLASSROOM_EQUIPMENT[school.level]:
            kit(name, item, 1 if rng.random() < share else 0)
    labs = {"MN": 1, "TH": rng.randint(1, 2), "CS": 2}[school.level]
    for i in range(1, labs + 1):
        name = room("computer_lab", f"Phòng tin học {i}", 60, 80)
        kit(name, "Máy tính để bàn", rng.randint(15, 20) if school.level == "MN" else rng.randint(35, 45))
        kit(name, "Máy chiếu", 1)
    if school.level == "CS":
        room("science_lab", "Phòng thí nghiệm Khoa học tự nhiên", 60, 80)
        kit(room("language_lab", "Phòng ngoại ngữ", 60, 75), "Máy tính xách tay", rng.randint(30, 40))
    if school.level != "MN":
        kit(room("library", "Thư viện", 70, 120), "Máy tính để bàn", rng.randint(2, 4))
    else:
        room("library", "Thư viện", 40, 60)
    multipurpose = "Phòng giáo dục thể chất – nghệ thuật" if school.level == "MN" else "Phòng đa năng"
    kit(room("multipurpose", multipurpose, 150, 300), "Bộ âm thanh", 1)
    kit(room("medical", "Phòng y tế", 15, 25), "Tủ thuốc", 1)
    for office in ("Phòng Hiệu trưởng", "Phòng Phó Hiệu trưởng", "Văn phòng", "Phòng Kế toán"):
        kit(room("office", office, 15, 30), "Máy tính để bàn", rng.randint(1, 3))
    kit("Văn phòng", "Máy in", rng.randint(1, 3))
    kit(None, "Máy tính xách tay (giáo viên)", rng.randint(2, 10))
    return rooms, equipment, class_rooms


def _with_contacts(
    rng: random.Random, people: _People, school: SchoolPlan, name: str, structure: str, old_wards: list[str]
) -> SchoolPlan:
    """The school with its ward, address, landline and e-mail."""
    slug = fold(name).replace(" ", "")
    ward_code, ward_name = _ward(structure, school.old_ward, old_wards)
    return replace(
        school,
        ward_code=ward_code,
        ward_name=ward_name,
        address=people.address(school.old_ward, structure),
        # Landlines in the city are 028 + 8 digits; Quận 6's start with 38 or 39.
        phone=f"028{rng.choice(('38', '39'))}{rng.randrange(10**6):06d}",
        email=f"{EMAIL_PREFIX[school.level]}{slug}.q6@{EMAIL_DOMAIN}",
    )


def _record(role: str, student_id: str | None, staff_member: StaffPlan | None) -> tuple[str, str] | None:
    """What a demo account stands for: the student themself, a parent's child, or a staff record."""
    if student_id is not None:
        return (STUDENT_RECORD if role == Role.STUDENT else CHILD_RECORD, student_id)
    if staff_member is not None:
        return (STAFF_RECORD, staff_member.personal_id)
    return None


def build_plan(
    *,
    seed: int = 2026,
    schools: int = 45,
    students: int = 30_000,
    structure: str = DISTRICT,
    school_year: int,
) -> DemoPlan:
    """Everything the demo would write, from the arguments alone: same arguments, same plan."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {STRUCTURES}")
    if schools < 1 or students < 0:
        raise ValueError("need at least one school and a non-negative number of students")
    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not secrets)
    people = _People(rng)
    ids = _Ids(rng)
    plan = DemoPlan(seed=seed, structure=structure, school_year=school_year)
    plan.years.extend([year_plan(school_year, is_current=True), year_plan(school_year - 1, is_current=False)])
    plan.units.append(
        UnitPlan(PROVINCE_CODE, UnitKind.PROVINCE_DEPARTMENT, PROVINCE_NAME, PROVINCE_SHORT, None)
    )
    old_wards = list(OLD_WARDS)
    if structure == DISTRICT:
        department_code = DISTRICT_CODE
        plan.units.append(
            UnitPlan(
                DISTRICT_CODE, UnitKind.DISTRICT_DEPARTMENT, DISTRICT_NAME, DISTRICT_SHORT, PROVINCE_CODE
            )
        )
        # The wards are local government beside the department: catchment zones and addresses refer to them.
        for i, ward in enumerate(old_wards, start=1):
            plan.units.append(UnitPlan(f"775P{i:02d}", UnitKind.WARD, ward, ward, DISTRICT_CODE))
    else:
        department_code = PROVINCE_CODE
        for ward, code in NEW_WARDS.items():
            plan.units.append(UnitPlan(code, UnitKind.WARD, ward, ward, PROVINCE_CODE))

    # Schools: level, type, name, ward, then their share of the students.
    counts = _level_counts(schools)
    school_rows: list[tuple[str, bool, str, str]] = []  # level, public, name, old ward
    for level in LEVELS:
        n = counts[level]
        # The first school of each level stays public: the demo accounts sit in the first THCS.
        n_private = min(max(n - 1, 0), round(n * PRIVATE_SHARE[level]))
        public_names = _pick_names(rng, SCHOOL_NAMES[(level, True)], n - n_private)
        private_names = _pick_names(rng, SCHOOL_NAMES[(level, False)], n_private)
        for name in public_names:
            school_rows.append((level, True, name, rng.choice(old_wards)))
        for name in private_names:
            school_rows.append((level, False, name, rng.choice(old_wards)))
    weights = [LEVEL_SIZE[level] * rng.uniform(0.75, 1.25) for level, *_ in school_rows]
    enrolment = _allocate(students, weights)
    numbers: dict[tuple[str, bool], int] = {}
    homerooms: dict[tuple[str, str], str] = {}  # (school, class) → homeroom teacher's personal id
    for (level, public, name, old_ward), size in zip(school_rows, enrolment, strict=True):
        key = (level, public)
        numbers[key] = numbers.get(key, 0) + 1
        code = f"775{level}{'CL' if public else 'TT'}{numbers[key]:02d}"
        parent = department_code if structure == DISTRICT else NEW_WARDS[OLD_WARDS[old_ward]]
        full_name = f"{LEVEL_PREFIX[level]} {name}"
        plan.units.append(UnitPlan(code, UnitKind.SCHOOL, full_name, f"{LEVEL_SHORT[level]} {name}", parent))
        if level == "CS":
            for suffix, group in SUBJECT_GROUPS:
                plan.units.append(UnitPlan(f"{code}-{suffix}", UnitKind.SCHOOL_GROUP, group, group, code))

        school = _with_contacts(
            rng, people, SchoolPlan(code, level, public, old_ward, size), name, structure, old_wards
        )
        school_students, classes = _school_students(
            rng, people, ids, school, school_year=school_year, structure=structure, old_wards=old_wards
        )
        staff, class_teachers, has_it_position = _school_staff(
            rng, people, ids, school, classes, school_year=school_year
        )
        rooms, equipment, class_rooms = _school_rooms(rng, school, classes)
        by_position = {s.position: s.full_name for s in staff}
        plan.schools.append(
            replace(
                school,
                principal_name=by_position[PRINCIPAL],
                # The vice-principal leads IT (the usual assignment), helped by the IT staff member.
                it_leader_name=by_position[VICE_PRINCIPAL],
                has_it_staff_position=has_it_position,
            )
        )
        plan.classes.extend(
            ClassPlan(code, grade, class_name, class_teachers[class_name], class_rooms[class_name])
            for grade, class_name in classes
        )
        plan.students.extend(school_students)
        plan.staff.extend(staff)
        plan.rooms.extend(rooms)
        plan.equipment.extend(equipment)
        homerooms.update({(code, class_name): pid for class_name, pid in class_teachers.items()})

    # A few specialist teachers also teach at a second school of the same level (dạy liên trường).
    by_level: dict[str, list[str]] = {}
    for school in plan.schools:
        by_level.setdefault(school.level, []).append(school.code)
    level_of = {s.code: s.level for s in plan.schools}
    busy = set(homerooms.values())
    for i, member in enumerate(plan.staff):
        peers = by_level[level_of[member.school_code]]
        if (
            member.subjects in SHARED_SUBJECTS
            and member.personal_id not in busy
            and len(peers) > 1
            and rng.random() < 0.1
        ):
            others = [code for code in peers if code != member.school_code]
            plan.staff[i] = replace(member, second_school_code=rng.choice(others))

    # Accounts: department roles on the department (the Sở after 2025), school roles on the first THCS,
    # linked to that school's staff records; the demo student sits in the demo homeroom teacher's class.
    school_code = plan.demo_school_code
    own = [s for s in plan.students if s.school_code == school_code]
    linked = next((s for s in own if s.class_name == "6/1"), own[0] if own else None)
    class_name = linked.class_name if linked else ""
    school_staff = [s for s in plan.staff if s.school_code == school_code]
    by_position_staff = {s.position: s for s in school_staff}
    homeroom_id = homerooms.get((school_code, class_name))
    maths = [s for s in school_staff if s.subjects == "Toán" and s.personal_id != homeroom_id]
    teachers = [s for s in school_staff if s.position == TEACHER and s.personal_id != homeroom_id]
    staff_for: dict[str, StaffPlan | None] = {
        Role.PRINCIPAL: by_position_staff.get(PRINCIPAL),
        Role.VICE_PRINCIPAL: by_position_staff.get(VICE_PRINCIPAL),
        Role.SCHOOL_OFFICE: by_position_staff.get(CLERK),
        Role.SCHOOL_IT: by_position_staff.get(IT_STAFF),
        Role.TEACHER: next(iter(maths + teachers), None),
        Role.HOMEROOM_TEACHER: next((s for s in school_staff if s.personal_id == homeroom_id), None),
    }
    for username, role, where, title in ACCOUNTS:
        unit_code = department_code if where == "department" else school_code
        student_id = None
        staff_member = staff_for.get(role)
        if class_name:
            title = title.replace("6/1", class_name)
        if role == Role.PARENT and linked is not None:
            full_name, student_id = linked.guardian_name, linked.personal_id
        elif role == Role.STUDENT and linked is not None:
            full_name, student_id = linked.full_name, linked.personal_id
        elif role == Role.INTEGRATION:
            full_name = "Hệ thống tích hợp CSDL ngành"
        elif staff_member is not None:
            full_name = staff_member.full_name
        else:
            full_name = people.full_name(rng.choice([Sex.MALE, Sex.FEMALE]), adult=True)
        secret = totp_secret(seed, username) if role in TWO_FACTOR_ROLES else None
        plan.accounts.append(
            AccountPlan(
                username,
                role,
                unit_code,
                full_name,
                title,
                secret,
                record=_record(role, student_id, staff_member),
            )
        )
    plan.accounts.append(
        AccountPlan(
            SUPERUSER_NAME,
            SUPERUSER,
            None,
            "Quản trị hệ thống",
            "Quản trị hệ thống",
            totp_secret(seed, SUPERUSER_NAME),
        )
    )
    return plan
