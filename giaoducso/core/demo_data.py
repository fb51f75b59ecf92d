"""The demo district as data, and a pure plan of it (no database): `seed_demo` writes what `build_plan`
returns, so the plan can be compared, digested and tested on its own.

School codes follow the Ministry's shape (up to 12 letters and digits) and, until the directory adds a
School model, carry the level and type: ``775`` (Quận 6's administrative code) + level (``MN`` preschool,
``TH`` primary, ``CS`` lower secondary) + type (``CL`` public, ``TT`` private) + a two-digit number,
e.g. ``775CSCL01``. Names of schools, streets and people are illustrative, not a register of real ones.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
from dataclasses import asdict, dataclass, field

from rules.identifiers import Sex, make_personal_id

from .models import UnitKind
from .roles import TWO_FACTOR_ROLES, Role

# One documented password for every demo account; strong enough for the validators, public by design.
DEMO_PASSWORD = "GiaoDucSo@2026"  # noqa: S105  (public by design, printed by seed_demo)
# The name seed_demo gives its TOTP devices; demo_totp refuses any other device, so it cannot mint codes
# for a real user's authenticator.
DEMO_DEVICE_NAME = "demo"
SUPERUSER = "superuser"

DISTRICT = "district"
WARD = "ward"
STRUCTURES = (DISTRICT, WARD)

PROVINCE_CODE = "SO79"
PROVINCE_NAME = "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh"
PROVINCE_SHORT = "Sở GD&ĐT TP.HCM"
DISTRICT_CODE = "PGD775"
DISTRICT_NAME = "Phòng Giáo dục và Đào tạo Quận 6"
DISTRICT_SHORT = "Phòng GD&ĐT Quận 6"
BIRTH_PROVINCE = "079"  # Hồ Chí Minh

# The wards of Quận 6 just before the 2025 reform (wards 3–6 had been merged away in 2023–2025), and the
# post-2025 ward each became part of (Phường Bình Phú also took part of Quận 8's ward 16).
OLD_WARDS: dict[str, str] = {
    "Phường 1": "Phường Bình Tiên",
    "Phường 2": "Phường Bình Tây",
    "Phường 7": "Phường Bình Tiên",
    "Phường 8": "Phường Bình Tiên",
    "Phường 9": "Phường Bình Tây",
    "Phường 10": "Phường Bình Phú",
    "Phường 11": "Phường Bình Phú",
    "Phường 12": "Phường Phú Lâm",
    "Phường 13": "Phường Phú Lâm",
    "Phường 14": "Phường Phú Lâm",
}
NEW_WARDS: dict[str, str] = {
    "Phường Bình Tây": "PBINHTAY",
    "Phường Bình Tiên": "PBINHTIEN",
    "Phường Bình Phú": "PBINHPHU",
    "Phường Phú Lâm": "PPHULAM",
}

# Streets of Quận 6 near each old ward (approximate: long streets cross several wards).
STREETS: dict[str, list[str]] = {
    "Phường 1": ["Hậu Giang", "Tháp Mười", "Phạm Đình Hổ", "Ngô Nhân Tịnh"],
    "Phường 2": ["Hậu Giang", "Lê Quang Sung", "Trần Văn Kiểu", "Phan Văn Khỏe", "Bãi Sậy"],
    "Phường 7": ["Bình Tiên", "Phạm Phú Thứ", "Văn Thân", "Lò Gốm"],
    "Phường 8": ["Lò Gốm", "Bến Phú Lâm", "Bà Hom", "Văn Thân"],
    "Phường 9": ["Bình Tây", "Phạm Văn Chí", "Nguyễn Xuân Phụng", "Trần Bình"],
    "Phường 10": ["Bình Phú", "Bà Hom", "Nguyễn Văn Luông", "Số 26"],
    "Phường 11": ["Hậu Giang", "Nguyễn Văn Luông", "Bình Phú", "Lý Chiêu Hoàng"],
    "Phường 12": ["Hậu Giang", "Mai Xuân Thưởng", "Chợ Lớn", "Bửu Đình"],
    "Phường 13": ["Kinh Dương Vương", "An Dương Vương", "Tân Hòa Đông", "Bà Hom"],
    "Phường 14": ["Kinh Dương Vương", "Hồng Bàng", "Minh Phụng", "Phan Văn Khỏe"],
}

LEVELS = ("MN", "TH", "CS")
LEVEL_PREFIX = {"MN": "Trường Mầm non", "TH": "Trường Tiểu học", "CS": "Trường THCS"}
LEVEL_SHORT = {"MN": "MN", "TH": "TH", "CS": "THCS"}
# Ages in whole years reached during the calendar year the school year starts (how Vietnam places
# children: grade 1 turns 6 that year, grade 6 turns 11).
LEVEL_AGES = {"MN": (3, 5), "TH": (6, 10), "CS": (11, 14)}
# Typical enrolment, before a ±25% spread.
LEVEL_SIZE = {"MN": 260, "TH": 950, "CS": 1250}
PRIVATE_SHARE = {"MN": 0.4, "TH": 0.1, "CS": 0.1}

SCHOOL_NAMES = {
    ("MN", True): [
        "Sơn Ca",
        "Họa Mi",
        "Vành Khuyên",
        "Hoa Hồng",
        "Hướng Dương",
        "Tuổi Thơ",
        "Hoa Sen",
        "Bé Ngoan",
        "Thỏ Ngọc",
        "Sao Mai",
        "Măng Non",
        "Rạng Đông",
        "Hoàng Yến",
        "Bông Sen",
        "Tuổi Ngọc",
        "Hoa Lan",
    ],
    ("MN", False): [
        "Ánh Dương",
        "Thiên Thần Nhỏ",
        "Bầu Trời Xanh",
        "Ngôi Nhà Trẻ Thơ",
        "Hoa Mai",
        "Cầu Vồng",
        "Mặt Trời Bé Con",
        "Việt Mỹ",
        "Ban Mai",
        "Ngôi Sao Xanh",
        "Gấu Trúc",
    ],
    ("TH", True): [
        "Phù Đổng",
        "Bình Tiên",
        "Lê Văn Tám",
        "Võ Văn Tần",
        "Phú Định",
        "Nguyễn Văn Luông",
        "Him Lam",
        "Phạm Văn Chí",
        "Chi Lăng",
        "Nguyễn Huệ",
        "Trương Công Định",
        "Nguyễn Thiện Thuật",
        "Điện Biên",
        "Phú Lâm",
        "Hùng Vương",
        "Bình Phú",
        "Kim Đồng",
        "Đinh Bộ Lĩnh",
        "Trần Quốc Toản",
    ],
    ("TH", False): ["Ngôi Sao Nhỏ", "Tuệ Đức", "Việt Úc", "Hòa Bình"],
    ("CS", True): [
        "Văn Thân",
        "Hậu Giang",
        "Bình Tây",
        "Hoàng Lê Kha",
        "Nguyễn Văn Luông",
        "Phạm Đình Hổ",
        "Lam Sơn",
        "Kim Đồng",
        "Đoàn Kết",
        "Phú Định",
        "Nguyễn Đức Cảnh",
        "Mạc Đĩnh Chi",
        "Chu Văn An",
    ],
    ("CS", False): ["Ngôi Sao", "Hồng Đức", "Đinh Thiện Lý"],
}

SUBJECT_GROUPS = [
    ("TOAN", "Tổ Toán"),
    ("VAN", "Tổ Ngữ văn"),
    ("NN", "Tổ Ngoại ngữ"),
    ("KHTN", "Tổ Khoa học tự nhiên"),
    ("LSDL", "Tổ Lịch sử và Địa lí"),
    ("TINCN", "Tổ Tin học – Công nghệ"),
    ("GDTCNT", "Tổ Giáo dục thể chất – Nghệ thuật"),
    ("VP", "Tổ Văn phòng"),
]

# Family names with rough weights (the South writes Huỳnh and Võ where the North writes Hoàng and Vũ).
KINH_FAMILY = [
    ("Nguyễn", 31),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 6),
    ("Huỳnh", 5),
    ("Võ", 5),
    ("Phan", 4),
    ("Trương", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Đinh", 1),
    ("Đoàn", 1),
    ("Lâm", 1),
    ("Mai", 1),
    ("Cao", 1),
    ("Tô", 1),
    ("Châu", 1),
    ("Hoàng", 1),
    ("Vũ", 1),
]
MALE_MIDDLE = ["Minh", "Gia", "Hoàng", "Quốc", "Đức", "Anh", "Tuấn", "Thành", "Nhật", "Bảo", "Đăng"]
MALE_MIDDLE += ["Khánh", "Thiên", "Hữu", "Trọng", "Phúc", "Văn", "Văn", "Công", "Duy", "Thanh"]
FEMALE_MIDDLE = ["Ngọc", "Bảo", "Gia", "Khánh", "Minh", "Phương", "Thanh", "Mai", "Quỳnh", "Thảo", "Tú"]
FEMALE_MIDDLE += ["Hoài", "Kim", "Yến", "Như", "Thùy", "Ánh", "Thị", "Thị", "Diệu", "Bích", "Cẩm"]
MALE_GIVEN = ["An", "Bảo", "Duy", "Dũng", "Đạt", "Huy", "Hùng", "Khang", "Khoa", "Khôi", "Kiệt", "Lâm"]
MALE_GIVEN += ["Long", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quân", "Sơn", "Tài"]
MALE_GIVEN += ["Thắng", "Thịnh", "Tín", "Trí", "Trung", "Tuấn", "Vinh", "Vũ", "Hào", "Hiếu", "Hưng"]
MALE_GIVEN += ["Kiên", "Lộc", "Luân", "Nguyên", "Quang", "Thái", "Thiện", "Toàn", "Khải", "Hoàng"]
FEMALE_GIVEN = ["Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hân", "Hạnh", "Hằng", "Hương"]
FEMALE_GIVEN += ["Khuê", "Lan", "Linh", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh"]
FEMALE_GIVEN += ["Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thư", "Trâm", "Trang", "Trinh", "Uyên"]
FEMALE_GIVEN += ["Vân", "Vy", "Yến", "Như", "Hoa", "Hiền", "Thùy", "Tiên", "Xuân", "Ly"]
# Quận 6 is home to a large Hoa (Chinese-Vietnamese) community; their names read differently.
HOA_FAMILY = ["Lâm", "Quách", "Lý", "Trương", "Hứa", "Tăng", "Thái", "La", "Mã", "Diệp", "Châu", "Lưu"]
HOA_FAMILY += ["Quan", "Tạ", "Trần", "Hoàng", "Ngô", "Dương", "Huỳnh", "Vương"]
HOA_MALE = ["Gia Hào", "Vĩ Kiệt", "Tuấn Kiệt", "Gia Vinh", "Chí Cường", "Kiến Văn", "Quốc Vinh"]
HOA_MALE += ["Hạo Nhiên", "Thiếu Hoa", "Vĩnh Khang", "Chấn Phong", "Gia Huy", "Tử Long", "Kiện Hùng"]
HOA_FEMALE = ["Mỹ Linh", "Tú Trân", "Bội Linh", "Huệ Mẫn", "Gia Tuệ", "Uyển Nhi", "Tiểu My", "Lệ Quyên"]
HOA_FEMALE += ["Mỹ Ngọc", "Thục Nghi", "Vịnh Nghi", "Gia Hân", "Tuệ Mẫn", "Bảo Nghi", "Khả Hân"]
KHMER_FAMILY = ["Thạch", "Sơn", "Danh", "Kim", "Trịnh"]
ETHNICITIES = [("Kinh", 82.0), ("Hoa", 17.0), ("Khmer", 1.0)]
PHONE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098"]

# username, role, where (the department unit, or the demo school), title
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("lanhdao", Role.DEPARTMENT_LEADER, "department", "Trưởng phòng"),
    ("chuyenvien", Role.DEPARTMENT_OFFICER, "department", "Chuyên viên phụ trách THCS"),
    ("cntt.phong", Role.DEPARTMENT_IT, "department", "Chuyên viên công nghệ thông tin"),
    ("tichhop", Role.INTEGRATION, "department", "Kết nối cơ sở dữ liệu ngành"),
    ("hieutruong", Role.PRINCIPAL, "school", "Hiệu trưởng"),
    ("hieupho", Role.VICE_PRINCIPAL, "school", "Phó hiệu trưởng chuyên môn"),
    ("vanthu", Role.SCHOOL_OFFICE, "school", "Văn thư"),
    ("cntt.truong", Role.SCHOOL_IT, "school", "Nhân viên công nghệ thông tin"),
    ("giaovien", Role.TEACHER, "school", "Giáo viên Toán"),
    ("gvcn", Role.HOMEROOM_TEACHER, "school", "Giáo viên chủ nhiệm lớp 6/1"),
    ("phuhuynh", Role.PARENT, "school", "Cha mẹ học sinh"),
    ("hocsinh", Role.STUDENT, "school", "Học sinh lớp 6/1"),
]
SUPERUSER_NAME = "admin"


@dataclass(frozen=True)
class UnitPlan:
    code: str
    kind: str
    name: str
    short_name: str
    parent_code: str | None


@dataclass(frozen=True)
class SchoolPlan:
    code: str
    level: str
    public: bool
    old_ward: str
    students: int


@dataclass(frozen=True)
class StudentPlan:
    school_code: str
    personal_id: str
    full_name: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    address: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str


@dataclass(frozen=True)
class AccountPlan:
    username: str
    role: str  # a Role value, or SUPERUSER
    unit_code: str | None
    full_name: str
    title: str
    # The base32 TOTP secret, for accounts that must use a second factor.
    totp_secret: str | None
    # For the parent and the student: the personal_id of the student they are linked to.
    student_personal_id: str | None = None

    @property
    def email(self) -> str:
        return f"{self.username}@example.edu.vn"


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    structure: str
    school_year: int
    units: list[UnitPlan] = field(default_factory=list)
    schools: list[SchoolPlan] = field(default_factory=list)
    students: list[StudentPlan] = field(default_factory=list)
    accounts: list[AccountPlan] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of everything the plan would write: equal plans, equal digests."""
        payload = json.dumps(asdict(self), default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def demo_school_code(self) -> str:
        return next(s.code for s in self.schools if s.level == "CS")

    def unit_name(self, code: str | None) -> str:
        return next((u.name for u in self.units if u.code == code), "")


def totp_secret(seed: int, username: str) -> str:
    """A fixed base32 secret per account and seed, so a demo's authenticator entries survive a re-seed."""
    raw = hashlib.sha256(f"giaoducso-demo-totp:{seed}:{username}".encode()).digest()[:20]
    return base64.b32encode(raw).decode()


def current_school_year(today: dt.date) -> int:
    """The first calendar year of the school year running on `today` (years start in September)."""
    return today.year if today.month >= 9 else today.year - 1


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
    plan = DemoPlan(seed=seed, structure=structure, school_year=school_year)
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
    for (level, public, name, old_ward), size in zip(school_rows, enrolment, strict=True):
        key = (level, public)
        numbers[key] = numbers.get(key, 0) + 1
        code = f"775{level}{'CL' if public else 'TT'}{numbers[key]:02d}"
        parent = department_code if structure == DISTRICT else NEW_WARDS[OLD_WARDS[old_ward]]
        full_name = f"{LEVEL_PREFIX[level]} {name}"
        plan.units.append(UnitPlan(code, UnitKind.SCHOOL, full_name, f"{LEVEL_SHORT[level]} {name}", parent))
        plan.schools.append(SchoolPlan(code, level, public, old_ward, size))
        if level == "CS":
            for suffix, group in SUBJECT_GROUPS:
                plan.units.append(UnitPlan(f"{code}-{suffix}", UnitKind.SCHOOL_GROUP, group, group, code))

    # Students and one guardian each.
    used_ids: set[str] = set()
    ethnic_names = [name for name, _ in ETHNICITIES]
    ethnic_weights = [weight for _, weight in ETHNICITIES]
    for school in plan.schools:
        youngest, oldest = LEVEL_AGES[school.level]
        for _ in range(school.students):
            sex = Sex.MALE if rng.random() < 0.515 else Sex.FEMALE
            ethnicity = rng.choices(ethnic_names, ethnic_weights)[0]
            year = school_year - rng.randint(youngest, oldest)
            while True:
                personal_id = make_personal_id(BIRTH_PROVINCE, sex, year, rng.randrange(1_000_000))
                if personal_id not in used_ids:
                    used_ids.add(personal_id)
                    break
            family = people.family(ethnicity)
            ward = school.old_ward if rng.random() < 0.7 else rng.choice(old_wards)
            if rng.random() < 0.55:
                guardian = (f"{people.full_name(Sex.FEMALE, ethnicity, adult=True)}", "Mẹ")
            else:
                guardian = (f"{family} {people.given(Sex.MALE, ethnicity, adult=True)}", "Cha")
            plan.students.append(
                StudentPlan(
                    school_code=school.code,
                    personal_id=personal_id,
                    full_name=f"{family} {people.given(sex, ethnicity)}",
                    date_of_birth=people.birth_date(year),
                    sex=str(sex),
                    ethnicity=ethnicity,
                    address=people.address(ward, structure),
                    guardian_name=guardian[0],
                    guardian_relation=guardian[1],
                    guardian_phone=people.phone(),
                )
            )

    # Accounts: department roles on the department (the Sở after 2025), school roles on the first THCS.
    school_code = plan.demo_school_code
    linked = next((s for s in plan.students if s.school_code == school_code), None)
    for username, role, where, title in ACCOUNTS:
        unit_code = department_code if where == "department" else school_code
        student_id = None
        if role == Role.PARENT and linked is not None:
            full_name, student_id = linked.guardian_name, linked.personal_id
        elif role == Role.STUDENT and linked is not None:
            full_name, student_id = linked.full_name, linked.personal_id
        elif role == Role.INTEGRATION:
            full_name = "Hệ thống tích hợp CSDL ngành"
        else:
            full_name = people.full_name(rng.choice([Sex.MALE, Sex.FEMALE]), adult=True)
        secret = totp_secret(seed, username) if role in TWO_FACTOR_ROLES else None
        plan.accounts.append(AccountPlan(username, role, unit_code, full_name, title, secret, student_id))
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
