"""The qualities (phẩm chất) and competences (năng lực) a primary pupil is assessed on under Circular
27/2020/TT-BGDĐT (Art. 7.2), as its transcript (học bạ) lists them: the general competences, the
subject-specific ones and the five main qualities of the 2018 programme, each at Tốt / Đạt / Cần cố gắng.

Data, not code: the homeroom teacher's page, the transcript and the demo read this list; the year result
(`assessment_primary.year_result`) takes every item's end-of-year level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .assessment_primary import QualityLevel


@dataclass(frozen=True)
class Item:
    code: str
    name: str


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    items: tuple[Item, ...]


GROUPS: Final = (
    Group(
        "nang_luc_chung",
        "Năng lực chung",
        (
            Item("tu_chu_tu_hoc", "Tự chủ và tự học"),
            Item("giao_tiep_hop_tac", "Giao tiếp và hợp tác"),
            Item("gqvd_sang_tao", "Giải quyết vấn đề và sáng tạo"),
        ),
    ),
    Group(
        "nang_luc_dac_thu",
        "Năng lực đặc thù",
        (
            Item("ngon_ngu", "Ngôn ngữ"),
            Item("tinh_toan", "Tính toán"),
            Item("khoa_hoc", "Khoa học"),
            Item("tham_mi", "Thẩm mĩ"),
            Item("the_chat", "Thể chất"),
        ),
    ),
    Group(
        "pham_chat",
        "Phẩm chất chủ yếu",
        (
            Item("yeu_nuoc", "Yêu nước"),
            Item("nhan_ai", "Nhân ái"),
            Item("cham_chi", "Chăm chỉ"),
            Item("trung_thuc", "Trung thực"),
            Item("trach_nhiem", "Trách nhiệm"),
        ),
    ),
)

ITEMS: Final = tuple(item for group in GROUPS for item in group.items)
CODES: Final = frozenset(item.code for item in ITEMS)

# What a teacher types or picks for a level, folded to lower case: Tốt / Đạt / Cần cố gắng.
LEVEL_INPUT: Final = {
    "t": QualityLevel.TOT,
    "tốt": QualityLevel.TOT,
    "tot": QualityLevel.TOT,
    "đ": QualityLevel.DAT,
    "d": QualityLevel.DAT,
    "đạt": QualityLevel.DAT,
    "dat": QualityLevel.DAT,
    "c": QualityLevel.CAN_CO_GANG,
    "ccg": QualityLevel.CAN_CO_GANG,
    "cần cố gắng": QualityLevel.CAN_CO_GANG,
    "can co gang": QualityLevel.CAN_CO_GANG,
}
LEVEL_SHORT: Final = {QualityLevel.TOT: "T", QualityLevel.DAT: "Đ", QualityLevel.CAN_CO_GANG: "C"}


def parse_level(text: str) -> QualityLevel | None:
    """A typed level (T/Đ/C, the full words, with or without accents); None for an empty cell.
    ValueError for anything else."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        return None
    level = LEVEL_INPUT.get(cleaned)
    if level is None:
        raise ValueError(cleaned)
    return level
