"""Circular 27's qualities and competences as data."""

import pytest

from rules import qualities
from rules.assessment_primary import QualityLevel


def test_three_general_five_specific_competences_and_five_qualities():
    sizes = {g.code: len(g.items) for g in qualities.GROUPS}
    assert sizes == {"nang_luc_chung": 3, "nang_luc_dac_thu": 5, "pham_chat": 5}
    assert len(qualities.CODES) == len(qualities.ITEMS) == 13
    assert all(len(code) <= 40 for code in qualities.CODES)  # QualityMark.item
    assert [i.name for i in qualities.GROUPS[2].items] == [
        "Yêu nước",
        "Nhân ái",
        "Chăm chỉ",
        "Trung thực",
        "Trách nhiệm",
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("T", QualityLevel.TOT),
        (" tốt ", QualityLevel.TOT),
        ("Đ", QualityLevel.DAT),
        ("dat", QualityLevel.DAT),
        ("Cần  cố gắng", QualityLevel.CAN_CO_GANG),
        ("C", QualityLevel.CAN_CO_GANG),
        ("", None),
    ],
)
def test_levels_typed(text, level):
    assert qualities.parse_level(text) == level


def test_anything_else_is_refused():
    with pytest.raises(ValueError):
        qualities.parse_level("H")
