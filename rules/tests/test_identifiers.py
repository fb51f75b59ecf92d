import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import identifiers as ids
from rules.identifiers import (
    PROVINCE_CODES,
    DecodedId,
    IdProblem,
    Sex,
    check_personal_id,
    decode_personal_id,
    errors_only,
    is_ministry_student_code,
    is_personal_id_format,
    is_school_code,
    make_personal_id,
)

OFFICIAL_CODES = [
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
]

VALID = "079214000123"  # Hồ Chí Minh, male, 2014


def codes(problems: list[IdProblem]) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in problems]


# --- the province list -------------------------------------------------------------------------------


def test_province_list_is_the_official_63() -> None:
    assert list(PROVINCE_CODES) == OFFICIAL_CODES
    assert len(PROVINCE_CODES) == 63


@pytest.mark.parametrize(
    ("code", "name"),
    [("001", "Hà Nội"), ("079", "Hồ Chí Minh"), ("096", "Cà Mau"), ("048", "Đà Nẵng"), ("066", "Đắk Lắk")],
)
def test_province_names_carry_diacritics(code: str, name: str) -> None:
    assert PROVINCE_CODES[code] == name


def test_every_province_name_is_nonempty_and_unique() -> None:
    names = list(PROVINCE_CODES.values())
    assert all(n.strip() == n and n for n in names)
    assert len(set(names)) == 63


# --- valid numbers -------------------------------------------------------------------------------------


def test_valid_number_without_record_facts() -> None:
    assert check_personal_id(VALID, sex=None, birth_year=None) == []


def test_valid_number_agreeing_with_record() -> None:
    assert check_personal_id(VALID, sex=Sex.MALE, birth_year=2014) == []


def test_plain_strings_for_sex_are_accepted() -> None:
    # The directory stores "M"/"F"; the same values must work without conversion.
    assert check_personal_id("079314000123", sex="F", birth_year=2014) == []
    assert codes(check_personal_id("079314000123", sex="M", birth_year=2014)) == [("century_sex", "sex")]


@pytest.mark.parametrize(
    ("digit", "sex", "first_year"),
    [
        ("0", Sex.MALE, 1900),
        ("1", Sex.FEMALE, 1900),
        ("2", Sex.MALE, 2000),
        ("3", Sex.FEMALE, 2000),
        ("4", Sex.MALE, 2100),
        ("5", Sex.FEMALE, 2100),
        ("6", Sex.MALE, 2200),
        ("7", Sex.FEMALE, 2200),
        ("8", Sex.MALE, 2300),
        ("9", Sex.FEMALE, 2300),
    ],
)
def test_every_century_and_sex_digit(digit: str, sex: Sex, first_year: int) -> None:
    for yy in (0, 57, 99):
        value = f"001{digit}{yy:02d}000001"
        decoded = decode_personal_id(value)
        assert decoded.sex is sex
        assert decoded.birth_year == first_year + yy
        assert check_personal_id(value, sex=sex, birth_year=first_year + yy) == []
        assert make_personal_id("001", sex, first_year + yy, 1) == value


@pytest.mark.parametrize(
    ("year", "male", "female"),
    [
        (1900, "079000", "079100"),
        (1999, "079099", "079199"),
        (2000, "079200", "079300"),
        (2099, "079299", "079399"),
        (2100, "079400", "079500"),
        (2399, "079899", "079999"),
    ],
)
def test_boundary_years(year: int, male: str, female: str) -> None:
    assert make_personal_id("079", Sex.MALE, year, 42) == f"{male}000042"
    assert make_personal_id("079", Sex.FEMALE, year, 42) == f"{female}000042"
    assert check_personal_id(f"{male}000042", sex=Sex.MALE, birth_year=year) == []
    assert check_personal_id(f"{female}000042", sex=Sex.FEMALE, birth_year=year) == []


def test_year_1999_is_not_2099_and_2000_is_not_1900() -> None:
    assert codes(check_personal_id("079099000001", sex=Sex.MALE, birth_year=2099)) == [
        ("century_sex", "date_of_birth")
    ]
    assert codes(check_personal_id("079200000001", sex=Sex.MALE, birth_year=1900)) == [
        ("century_sex", "date_of_birth")
    ]


def test_decode_gives_all_parts() -> None:
    assert decode_personal_id("096307123456") == DecodedId(
        province_code="096", province_name="Cà Mau", sex=Sex.FEMALE, birth_year=2007, serial="123456"
    )


# --- each problem code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "07921400012",  # 11 digits
        "0792140001234",  # 13 digits
        "079214A00123",
        "079-214-000123",
        "079 214 000123",
        "079214000123\n079",
        "０７９２１４０００１２３",  # full-width digits
        "٠٧٩٢١٤٠٠٠١٢٣",  # Arabic-Indic digits
        "+79214000123",
        "-79214000123",
        "7.9214000123",
    ],
)
def test_format_problems(value: str) -> None:
    problems = check_personal_id(value, sex=Sex.MALE, birth_year=2014)
    assert codes(problems) == [("format", "personal_id")]
    assert problems[0].message
    with pytest.raises(ValueError):
        decode_personal_id(value)
    assert not is_personal_id_format(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "Chưa nhập"),
        ("0792140001", "đúng 12 chữ số (đang có 10)"),
        ("079214A00123", "chỉ gồm các chữ số"),
        ("079 214000123", "khoảng trắng"),
    ],
)
def test_format_messages_are_vietnamese_and_specific(value: str, fragment: str) -> None:
    assert fragment in check_personal_id(value, sex=None, birth_year=None)[0].message


def test_surrounding_whitespace_is_padding_not_a_different_number() -> None:
    assert check_personal_id(f"  {VALID}\t", sex=Sex.MALE, birth_year=2014) == []
    assert decode_personal_id(f" {VALID} ").serial == "000123"
    assert not is_personal_id_format(f" {VALID}")


@pytest.mark.parametrize("province", ["000", "003", "005", "078", "081", "097", "099", "999"])
def test_unknown_province(province: str) -> None:
    value = f"{province}214000123"
    problems = check_personal_id(value, sex=Sex.MALE, birth_year=2014)
    assert codes(problems) == [("province", "personal_id")]
    assert province in problems[0].message
    # A birth registered abroad carries a country code: a warning to check, never a reason to refuse.
    assert problems[0].is_warning and errors_only(problems) == []
    assert decode_personal_id(value).province_name is None
    with pytest.raises(ValueError):
        make_personal_id(province, Sex.MALE, 2014, 1)


@pytest.mark.parametrize("province", OFFICIAL_CODES)
def test_every_known_province_is_accepted(province: str) -> None:
    assert check_personal_id(make_personal_id(province, Sex.FEMALE, 2012, 7), sex="F", birth_year=2012) == []


def test_sex_disagreement_names_the_sex_field() -> None:
    problems = check_personal_id(VALID, sex=Sex.FEMALE, birth_year=2014)
    assert codes(problems) == [("century_sex", "sex")]
    assert "Nữ" in problems[0].message and "Nam" in problems[0].message


def test_century_disagreement_names_the_date_of_birth_field() -> None:
    problems = check_personal_id("079014000123", sex=Sex.MALE, birth_year=2014)
    assert codes(problems) == [("century_sex", "date_of_birth")]
    assert "XXI" in problems[0].message and "XX" in problems[0].message


def test_year_disagreement_names_the_date_of_birth_field() -> None:
    problems = check_personal_id(VALID, sex=Sex.MALE, birth_year=2015)
    assert codes(problems) == [("year", "date_of_birth")]
    assert "2015" in problems[0].message and "«14»" in problems[0].message


def test_all_disagreements_are_reported_together() -> None:
    # Unknown province, female recorded for a male digit, wrong century and wrong year: four problems.
    problems = check_personal_id("000014000123", sex=Sex.FEMALE, birth_year=2013)
    assert codes(problems) == [
        ("province", "personal_id"),
        ("century_sex", "sex"),
        ("century_sex", "date_of_birth"),
        ("year", "date_of_birth"),
    ]


@pytest.mark.parametrize("year", [1899, 2400, 0, -5])
def test_birth_year_the_number_cannot_hold(year: int) -> None:
    assert codes(check_personal_id(VALID, sex=Sex.MALE, birth_year=year)) == [("year", "date_of_birth")]
    with pytest.raises(ValueError):
        make_personal_id("079", Sex.MALE, year, 1)


def test_unknown_sex_value_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_personal_id(VALID, sex="X", birth_year=None)


def test_problem_is_frozen() -> None:
    problem = check_personal_id("", sex=None, birth_year=None)[0]
    with pytest.raises(AttributeError):
        problem.code = "other"  # type: ignore[misc]


def test_checks_without_record_facts_skip_agreement() -> None:
    assert check_personal_id("079014000123", sex=None, birth_year=None) == []
    assert codes(check_personal_id("079014000123", sex=Sex.FEMALE, birth_year=None)) == [
        ("century_sex", "sex")
    ]
    assert codes(check_personal_id("079014000123", sex=None, birth_year=2014)) == [
        ("century_sex", "date_of_birth")
    ]


# --- make_personal_id ---------------------------------------------------------------------------------


@pytest.mark.parametrize("serial", [-1, 1_000_000])
def test_make_rejects_serial_out_of_range(serial: int) -> None:
    with pytest.raises(ValueError):
        make_personal_id("079", Sex.MALE, 2014, serial)


def test_make_pads_serial_and_year() -> None:
    assert make_personal_id("001", Sex.FEMALE, 2005, 9) == "001305000009"
    assert make_personal_id("079", Sex.MALE, 2014, 999_999) == "079214999999"


def test_century_sex_digit() -> None:
    assert ids.century_sex_digit(Sex.MALE, 1950) == 0
    assert ids.century_sex_digit("F", 2099) == 3
    assert ids.century_sex_digit(Sex.FEMALE, 2399) == 9


# --- round trip ----------------------------------------------------------------------------------------


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    sex=st.sampled_from(list(Sex)),
    year=st.integers(min_value=ids.FIRST_YEAR, max_value=ids.LAST_YEAR),
    serial=st.integers(min_value=0, max_value=ids.SERIAL_MAX),
)
def test_round_trip(province: str, sex: Sex, year: int, serial: int) -> None:
    value = make_personal_id(province, sex, year, serial)
    assert is_personal_id_format(value)
    assert check_personal_id(value, sex=sex, birth_year=year) == []
    decoded = decode_personal_id(value)
    assert (decoded.province_code, decoded.province_name, decoded.sex, decoded.birth_year) == (
        province,
        PROVINCE_CODES[province],
        sex,
        year,
    )
    assert int(decoded.serial) == serial


@given(
    sex=st.sampled_from(list(Sex)),
    year=st.integers(min_value=ids.FIRST_YEAR, max_value=ids.LAST_YEAR),
    other_year=st.integers(min_value=ids.FIRST_YEAR, max_value=ids.LAST_YEAR),
)
def test_a_disagreement_names_the_field_to_fix(sex: Sex, year: int, other_year: int) -> None:
    value = make_personal_id("079", sex, year, 1)
    other_sex = Sex.FEMALE if sex is Sex.MALE else Sex.MALE
    assert codes(check_personal_id(value, sex=other_sex, birth_year=year)) == [("century_sex", "sex")]
    problems = check_personal_id(value, sex=sex, birth_year=other_year)
    if other_year == year:
        assert problems == []
    else:
        assert problems
        assert {p.field for p in problems} == {"date_of_birth"}
        assert all(p.message for p in problems)


@given(st.text(max_size=20))
def test_any_text_gives_problems_or_decodes(value: str) -> None:
    problems = check_personal_id(value, sex=None, birth_year=None)
    if any(p.code == "format" for p in problems):
        with pytest.raises(ValueError):
            decode_personal_id(value)
    else:
        decode_personal_id(value)
        assert is_personal_id_format(value.strip())


# --- Ministry student code and school code ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("7900123456", True),
        ("0000000000", True),
        ("790012345", False),
        ("79001234567", False),
        ("79001234a6", False),
        (" 7900123456", False),
        ("7900123456\n", False),
        ("", False),
        ("７９００１２３４５６", False),
    ],
)
def test_ministry_student_code(value: str, ok: bool) -> None:
    assert is_ministry_student_code(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("79000701", True),
        ("A", True),
        ("775CSCL01", True),
        ("abcDEF123456", True),
        ("abcDEF1234567", False),
        ("", False),
        ("775-CS", False),
        ("775 CS", False),
        ("79000701\n", False),
        ("Trường", False),
    ],
)
def test_school_code(value: str, ok: bool) -> None:
    assert is_school_code(value) is ok


@given(
    prefix=st.from_regex(r"[0-9]{3}", fullmatch=True),
    sex=st.sampled_from(list(Sex)),
    year=st.integers(1900, 2399),
    serial=st.integers(0, 999_999),
)
def test_digits_1_to_3_never_refuse_a_number(prefix: str, sex: Sex, year: int, serial: int) -> None:
    """Whatever digits 1–3 hold (a province, a country, a code not yet known), a number that agrees with
    the recorded sex and year has no error, at most the one warning."""
    value = f"{prefix}{ids.century_sex_digit(sex, year)}{year % 100:02d}{serial:06d}"
    problems = check_personal_id(value, sex=sex, birth_year=year)
    assert errors_only(problems) == []
    assert [p.code for p in problems] == ([] if prefix in PROVINCE_CODES else [ids.PROVINCE])
