"""The demo district's data: its units, school names, streets, people's names, roles and shares of the
deliberate data-quality problems. `plan.py` turns them into a plan; nothing here touches a database."""

from __future__ import annotations

from giaoducso.core.roles import Role

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
    ("bientap", Role.PORTAL_EDITOR, "school", "Biên tập viên trang thông tin của trường"),
]
SUPERUSER_NAME = "admin"


# How the demo's level letters map to the directory's school levels.
DIRECTORY_LEVEL = {"MN": "preschool", "TH": "primary", "CS": "lower_secondary"}
# The first part of a school's e-mail, as the city's schools write it (c2vanthan.q6@…).
EMAIL_PREFIX = {"MN": "mn", "TH": "th", "CS": "c2"}
# Demo addresses must never reach a real mailbox: the same reserved-looking domain as the accounts.
EMAIL_DOMAIN = "example.edu.vn"
# Ages are whole years reached in the calendar year the school year starts (how Vietnam places children:
# grade g turns 5 + g that year). Preschool groups go by age: Mầm (3), Chồi (4), Lá (5), all grade 0.
PRESCHOOL_GROUPS = {3: "Mầm", 4: "Chồi", 5: "Lá"}
CLASS_SIZE_MAX = {"MN": 35, "TH": 40, "CS": 40}
# Share of pupils a year older than their grade expects (held back, late start).
LATE_SHARE = 0.03
BIRTHPLACE_HCM = "TP. Hồ Chí Minh"
# Where the students born outside the city come from (their personal ids carry that province's code).
OTHER_BIRTHPLACES = ["Long An", "Tiền Giang", "Bến Tre", "Đồng Tháp", "An Giang", "Bình Định", "Nghệ An"]
OTHER_BIRTHPLACES += ["Thanh Hóa", "Quảng Ngãi", "Cần Thơ", "Đồng Nai", "Bình Dương"]
STAFF_PROVINCES = ["Hồ Chí Minh"] * 6 + OTHER_BIRTHPLACES
POLICY_GROUPS = ["Hộ nghèo", "Hộ cận nghèo", "Con thương binh, liệt sĩ", "Mồ côi cha hoặc mẹ"]
DISABILITIES = ["Khuyết tật vận động", "Khuyết tật nghe, nói", "Khuyết tật nhìn", "Khuyết tật trí tuệ"]
DISABILITIES += ["Khuyết tật học tập"]
# Deliberate data-quality problems, so the quality board has something to show (see README).
MISSING_GUARDIAN_PHONE_SHARE = 0.01
UNKNOWN_WARD_SHARE = 0.003
ID_YEAR_MISMATCH_SHARE = 0.002
# Ward names that are no longer in the tree: merged away in 2023–2025 (district) or by the 2025 reform.
MERGED_WARDS = ["Phường 3", "Phường 4", "Phường 5", "Phường 6"]

PRINCIPAL = "Hiệu trưởng"
VICE_PRINCIPAL = "Phó Hiệu trưởng"
CLERK = "Văn thư"
IT_STAFF = "Nhân viên công nghệ thông tin"
ACCOUNTANT = "Kế toán"
MEDICAL = "Nhân viên y tế"
TEACHER = "Giáo viên"
CIVIL_SERVANT = "Viên chức"
CONTRACT = "Hợp đồng"
# The subjects a THCS teacher is hired for, in the order a school fills its posts (Toán and Ngữ văn,
# taught most hours, come round twice).
THCS_SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Toán", "Ngữ văn", "Khoa học tự nhiên"]
THCS_SUBJECTS += ["Lịch sử và Địa lí", "Tiếng Anh", "Tin học", "Giáo dục thể chất", "Khoa học tự nhiên"]
THCS_SUBJECTS += ["Công nghệ", "Giáo dục công dân", "Âm nhạc", "Mĩ thuật"]
PRIMARY_SPECIALISTS = ["Tiếng Anh", "Giáo dục thể chất", "Âm nhạc", "Mĩ thuật", "Tin học"]
# Teachers who often teach at a second school of the same level (dạy liên trường).
SHARED_SUBJECTS = {"Tin học", "Âm nhạc", "Mĩ thuật", "Tiếng Anh"}

# Equipment per classroom, by level: (name, share of classrooms that have it).
CLASSROOM_EQUIPMENT = {
    "MN": [("Ti vi", 0.9), ("Đàn organ", 0.5)],
    "TH": [("Ti vi", 0.6), ("Máy chiếu", 0.3), ("Bảng tương tác", 0.15)],
    "CS": [("Máy chiếu", 0.6), ("Ti vi", 0.3), ("Bảng tương tác", 0.25)],
}
