"""Identifiers: the personal identification number, the Ministry student code, the school code.

The personal identification number (số định danh cá nhân) has 12 digits:

- digits 1–3: the pre-2025 code of the province where the birth was registered (they stay valid after the
  2025 province mergers, so the old list is the one to check against), or the code of the country where
  a birth abroad was registered;
- digit 4: century and sex — 20th century (1900–1999): 0 male, 1 female; 21st: 2 / 3; 22nd: 4 / 5;
  23rd: 6 / 7; 24th: 8 / 9;
- digits 5–6: the last two digits of the year of birth;
- digits 7–12: a random number.

A disagreement between the number and the recorded sex or year of birth is a data-quality error to show
with the field to fix, never something to correct silently: either side may be the wrong one. An unknown
code in digits 1–3 is only a warning (`IdProblem.is_warning`): a birth registered abroad carries a country
code, and the codes given to births registered after 1 July 2025 are not known; a write path never rejects
a number for it, the quality board lists it to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Sex(StrEnum):
    # The same values as the directory's Sex choices, so that a stored value can be passed as it is.
    MALE = "M"
    FEMALE = "F"


# Birth-registration province codes (before the 2025 mergers), as printed on the chip ID card.
PROVINCE_CODES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

PERSONAL_ID_LENGTH: Final = 12
# Digit 4 encodes five centuries, starting with the 20th.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2399
SERIAL_MAX: Final = 999_999

# Error codes of IdProblem.code.
FORMAT: Final = "format"
PROVINCE: Final = "province"
CENTURY_SEX: Final = "century_sex"
YEAR: Final = "year"
# Codes that are warnings to check, never a reason to refuse the number.
WARNING_CODES: Final[frozenset[str]] = frozenset({PROVINCE})

# Fields of IdProblem.field: the record field the person should look at.
FIELD_PERSONAL_ID: Final = "personal_id"
FIELD_SEX: Final = "sex"
FIELD_DATE_OF_BIRTH: Final = "date_of_birth"

_SEX_LABEL: Final[dict[Sex, str]] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
_CENTURY_LABEL: Final[dict[int, str]] = {0: "XX", 1: "XXI", 2: "XXII", 3: "XXIII", 4: "XXIV"}

# re.ASCII: str.isdigit() and \d would also accept Arabic-Indic or full-width digits.
_DIGITS_12 = re.compile(r"[0-9]{12}", re.ASCII)
_DIGITS_10 = re.compile(r"[0-9]{10}", re.ASCII)
_SCHOOL_CODE = re.compile(r"[A-Za-z0-9]{1,12}", re.ASCII)


@dataclass(frozen=True)
class IdProblem:
    """One reason a personal identification number is not acceptable, with the field to fix."""

    code: str
    field: str
    message: str

    @property
    def is_warning(self) -> bool:
        """A problem to check on the quality board, never a reason to refuse the record."""
        return self.code in WARNING_CODES


def errors_only(problems: list[IdProblem]) -> list[IdProblem]:
    """The problems a write path refuses the number for (the warnings left out)."""
    return [p for p in problems if not p.is_warning]


@dataclass(frozen=True)
class DecodedId:
    province_code: str
    # None when the code is not a known province: decoding still works, check_personal_id reports it.
    province_name: str | None
    sex: Sex
    birth_year: int
    serial: str


def century_sex_digit(sex: Sex | str, birth_year: int) -> int:
    """Digit 4 of the personal identification number for this sex and year of birth."""
    if not FIRST_YEAR <= birth_year <= LAST_YEAR:
        raise ValueError(f"birth year {birth_year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return (birth_year - FIRST_YEAR) // 100 * 2 + (1 if Sex(sex) is Sex.FEMALE else 0)


def _format_problem(value: str) -> IdProblem | None:
    # Nearly every value is well formed: settle that in three C-level calls before looking for a reason.
    if len(value) == PERSONAL_ID_LENGTH and value.isascii() and value.isdigit():
        return None
    if value == "":
        message = "Chưa nhập số định danh cá nhân."
    elif any(ch.isspace() for ch in value):
        message = "Số định danh cá nhân không được chứa khoảng trắng."
    elif not value.isascii() or not value.isdigit():
        message = "Số định danh cá nhân chỉ gồm các chữ số 0–9."
    elif len(value) != PERSONAL_ID_LENGTH:
        message = f"Số định danh cá nhân phải có đúng 12 chữ số (đang có {len(value)})."
    else:
        return None
    return IdProblem(FORMAT, FIELD_PERSONAL_ID, message)


def _normalise(value: str) -> str:
    # Surrounding whitespace is how spreadsheets and forms pad a cell, not a different number.
    return value.strip()


def decode_personal_id(value: str) -> DecodedId:
    """The parts of a personal identification number; ValueError if it is not 12 digits."""
    value = _normalise(value)
    problem = _format_problem(value)
    if problem is not None:
        raise ValueError(problem.message)
    digit = int(value[3])
    return DecodedId(
        province_code=value[:3],
        province_name=PROVINCE_CODES.get(value[:3]),
        sex=Sex.FEMALE if digit % 2 else Sex.MALE,
        birth_year=FIRST_YEAR + digit // 2 * 100 + int(value[4:6]),
        serial=value[6:],
    )


def check_personal_id(
    value: str, *, sex: Sex | str | None = None, birth_year: int | None = None
) -> list[IdProblem]:
    """Every problem with `value` and its agreement with the recorded sex and year; [] when valid.

    `sex` and `birth_year` are the values recorded elsewhere on the same record; None skips that check.
    """
    value = _normalise(value)
    problem = _format_problem(value)
    if problem is not None:
        return [problem]
    decoded = decode_personal_id(value)
    problems: list[IdProblem] = []
    if decoded.province_name is None:
        problems.append(
            IdProblem(
                PROVINCE,
                FIELD_PERSONAL_ID,
                f"Ba chữ số đầu «{decoded.province_code}» không có trong danh mục mã tỉnh/thành phố nơi đăng "
                "ký khai sinh; nếu khai sinh ở nước ngoài đây là mã quốc gia. Hãy kiểm tra lại.",
            )
        )
    id_century = (decoded.birth_year - FIRST_YEAR) // 100
    if sex is not None and Sex(sex) is not decoded.sex:
        problems.append(
            IdProblem(
                CENTURY_SEX,
                FIELD_SEX,
                f"Giới tính «{_SEX_LABEL[Sex(sex)]}» không khớp với chữ số thứ 4 của số định danh "
                f"(«{value[3]}» là {_SEX_LABEL[decoded.sex]}). Hãy kiểm tra lại giới tính hoặc số định danh.",
            )
        )
    if birth_year is not None:
        if not FIRST_YEAR <= birth_year <= LAST_YEAR:
            problems.append(
                IdProblem(
                    YEAR,
                    FIELD_DATE_OF_BIRTH,
                    f"Năm sinh {birth_year} nằm ngoài khoảng số định danh có thể ghi ({FIRST_YEAR}–{LAST_YEAR}).",
                )
            )
            return problems
        recorded_century = (birth_year - FIRST_YEAR) // 100
        if recorded_century != id_century:
            problems.append(
                IdProblem(
                    CENTURY_SEX,
                    FIELD_DATE_OF_BIRTH,
                    f"Năm sinh {birth_year} thuộc thế kỷ {_CENTURY_LABEL[recorded_century]}, nhưng chữ số "
                    f"thứ 4 của số định danh («{value[3]}») ghi thế kỷ {_CENTURY_LABEL[id_century]}. "
                    "Hãy kiểm tra lại ngày sinh hoặc số định danh.",
                )
            )
        if birth_year % 100 != decoded.birth_year % 100:
            problems.append(
                IdProblem(
                    YEAR,
                    FIELD_DATE_OF_BIRTH,
                    f"Năm sinh {birth_year} không khớp với chữ số thứ 5–6 của số định danh "
                    f"(«{value[4:6]}»). Hãy kiểm tra lại ngày sinh hoặc số định danh.",
                )
            )
    return problems


def make_personal_id(province_code: str, sex: Sex | str, birth_year: int, serial: int) -> str:
    """A well-formed number for these facts (demo data and tests; real numbers come from the state)."""
    if province_code not in PROVINCE_CODES:
        raise ValueError(f"unknown province code {province_code!r}")
    if not 0 <= serial <= SERIAL_MAX:
        raise ValueError(f"serial {serial} is outside 0–{SERIAL_MAX}")
    digit = century_sex_digit(sex, birth_year)
    return f"{province_code}{digit}{birth_year % 100:02d}{serial:06d}"


def is_ministry_student_code(value: str) -> bool:
    """The Ministry's student code (mã học sinh): exactly 10 digits."""
    return _DIGITS_10.fullmatch(value) is not None


def is_school_code(value: str) -> bool:
    """The Ministry's school code (mã trường): 1–12 letters or digits, otherwise opaque."""
    return _SCHOOL_CODE.fullmatch(value) is not None


def is_personal_id_format(value: str) -> bool:
    """Exactly 12 ASCII digits, nothing around them (the shape, not the province or agreement)."""
    return _DIGITS_12.fullmatch(value) is not None
