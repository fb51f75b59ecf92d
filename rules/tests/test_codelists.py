"""The code lists: complete where the law fixes them, and read back loosely but never ambiguously."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import codelists
from rules.codelists import CodeList, key_of

ALL = [
    codelists.ethnic_groups,
    codelists.provinces,
    codelists.nationalities,
    codelists.staff_positions,
    codelists.qualifications,
    codelists.employment_kinds,
]


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_the_54_ethnic_groups_with_their_official_codes() -> None:
    groups = codelists.ethnic_groups()
    assert groups.codes == tuple(f"{n:02d}" for n in range(1, 55))
    assert (
        groups.name_of("01") == "Kinh" and groups.name_of("04") == "Hoa" and groups.name_of("05") == "Khmer"
    )
    assert groups.name_of("54") == "Rơ Măm"


def test_the_34_provinces_after_the_2025_merger() -> None:
    provinces = codelists.provinces()
    assert len(provinces.codes) == 34 == len(set(provinces.codes))
    assert provinces.lookup("Bình Dương") == provinces.lookup("TP.HCM") == "79"
    assert provinces.lookup("Tỉnh Hà Giang") == "08"
    assert provinces.lookup("thanh pho can tho") == "92"


def test_nationality_codes_and_names() -> None:
    nations = codelists.nationalities()
    assert nations.lookup("Việt Nam") == nations.lookup("viet nam") == nations.lookup("vn") == "VN"
    # A code wins when the text is a code; a name is read loosely.
    assert nations.lookup("MY") == "MY" and nations.lookup("Mỹ") == "US"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Ê Đê", "12"), ("ê-đê", "12"), ("EDE", "12"), ("12", "12"), ("Khơ-me", "05"), ("H'Mông", "08"),
     ("dân tộc Kinh", "01"), ("5", "05"), ("  kinh ", "01")],
)  # fmt: skip
def test_ethnic_lookup_ignores_case_diacritics_and_punctuation(text: str, code: str) -> None:
    assert codelists.ethnic_groups().lookup(text) == code


@pytest.mark.parametrize("make", ALL)
def test_every_code_and_name_reads_back(make: object) -> None:
    codes: CodeList = make()  # type: ignore[operator]
    assert codes.codes
    for code, name in codes.entries:
        assert codes.lookup(code) == code
        assert codes.lookup(code.lower()) == code
        assert codes.lookup(name) == code
        assert codes.lookup(name.upper()) == code
        assert codes.lookup(_strip_marks(name)) == code
        assert codes.display(code) == name


@pytest.mark.parametrize("make", ALL)
def test_unknown_values_are_none_and_shown_as_they_are(make: object) -> None:
    codes: CodeList = make()  # type: ignore[operator]
    assert codes.lookup("") is None and codes.lookup("  -- ") is None
    assert codes.lookup("Không có trong danh mục nào") is None
    assert codes.display("văn bản cũ") == "văn bản cũ"


@given(st.sampled_from(ALL), st.text(max_size=40))
def test_lookup_never_fails_and_answers_a_code_or_none(make: object, text: str) -> None:
    codes: CodeList = make()  # type: ignore[operator]
    found = codes.lookup(text)
    assert found is None or found in codes.codes


@given(st.text(max_size=30))
def test_key_is_idempotent(text: str) -> None:
    assert key_of(key_of(text)) == key_of(text)
