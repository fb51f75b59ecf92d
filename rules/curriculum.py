"""The 2018 general education programme (Chương trình GDPT 2018, Circular 32/2018/TT-BGDĐT): the subjects
of each primary and lower-secondary grade, their kind of assessment and their periods per school year.

Data, not code: the records app seeds its subject table from here, and the number of regular scores of a
secondary subject follows from its periods (`assessment_secondary.regular_score_count`). Art and music are
one subject in the programme (Nghệ thuật) but taught and assessed as two; they are listed as two.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

PROGRAMME: Final = "GDPT 2018"


class Kind(StrEnum):
    SCORED = "scored"  # secondary: comments and a 10-point score
    COMMENT = "comment"  # secondary: Đạt / Chưa đạt only
    LEVEL = "level"  # primary: T / H / C, with a periodic test where `tested`


@dataclass(frozen=True)
class SubjectSpec:
    code: str
    name: str
    kind: Kind
    # grade → periods per school year (35 weeks)
    periods: dict[int, int]
    order: int


def _g(grades: range, periods: int) -> dict[int, int]:
    return dict.fromkeys(grades, periods)


PRIMARY = range(1, 6)
SECONDARY = range(6, 10)

SUBJECTS: Final = (
    # Primary (tiểu học)
    SubjectSpec("tieng_viet", "Tiếng Việt", Kind.LEVEL, {1: 420, 2: 350, 3: 245, 4: 245, 5: 245}, 10),
    SubjectSpec("toan", "Toán", Kind.LEVEL, {1: 105, 2: 175, 3: 175, 4: 175, 5: 175}, 20),
    SubjectSpec("ngoai_ngu_1", "Ngoại ngữ 1", Kind.LEVEL, _g(range(3, 6), 140), 30),
    SubjectSpec("dao_duc", "Đạo đức", Kind.LEVEL, _g(PRIMARY, 35), 40),
    SubjectSpec("tu_nhien_xa_hoi", "Tự nhiên và Xã hội", Kind.LEVEL, _g(range(1, 4), 70), 50),
    SubjectSpec("lich_su_dia_li_th", "Lịch sử và Địa lí", Kind.LEVEL, _g(range(4, 6), 70), 60),
    SubjectSpec("khoa_hoc", "Khoa học", Kind.LEVEL, _g(range(4, 6), 70), 70),
    SubjectSpec("tin_hoc_cong_nghe", "Tin học và Công nghệ", Kind.LEVEL, _g(range(3, 6), 70), 80),
    SubjectSpec("gdtc_th", "Giáo dục thể chất", Kind.LEVEL, _g(PRIMARY, 70), 90),
    SubjectSpec("am_nhac_th", "Âm nhạc", Kind.LEVEL, _g(PRIMARY, 35), 100),
    SubjectSpec("mi_thuat_th", "Mĩ thuật", Kind.LEVEL, _g(PRIMARY, 35), 110),
    SubjectSpec("hdtn_th", "Hoạt động trải nghiệm", Kind.LEVEL, _g(PRIMARY, 105), 120),
    # Lower secondary (trung học cơ sở)
    SubjectSpec("ngu_van", "Ngữ văn", Kind.SCORED, _g(SECONDARY, 140), 210),
    SubjectSpec("toan_thcs", "Toán", Kind.SCORED, _g(SECONDARY, 140), 220),
    SubjectSpec("ngoai_ngu_1_thcs", "Ngoại ngữ 1", Kind.SCORED, _g(SECONDARY, 105), 230),
    SubjectSpec("gdcd", "Giáo dục công dân", Kind.SCORED, _g(SECONDARY, 35), 240),
    SubjectSpec("lich_su_dia_li", "Lịch sử và Địa lí", Kind.SCORED, _g(SECONDARY, 105), 250),
    SubjectSpec("khtn", "Khoa học tự nhiên", Kind.SCORED, _g(SECONDARY, 140), 260),
    SubjectSpec("cong_nghe", "Công nghệ", Kind.SCORED, {6: 35, 7: 35, 8: 52, 9: 52}, 270),
    SubjectSpec("tin_hoc", "Tin học", Kind.SCORED, _g(SECONDARY, 35), 280),
    SubjectSpec("gdtc", "Giáo dục thể chất", Kind.COMMENT, _g(SECONDARY, 70), 290),
    SubjectSpec("am_nhac", "Âm nhạc", Kind.COMMENT, _g(SECONDARY, 35), 300),
    SubjectSpec("mi_thuat", "Mĩ thuật", Kind.COMMENT, _g(SECONDARY, 35), 310),
    SubjectSpec("hdtn_hn", "Hoạt động trải nghiệm, hướng nghiệp", Kind.COMMENT, _g(SECONDARY, 105), 320),
    SubjectSpec("gddp", "Nội dung giáo dục của địa phương", Kind.COMMENT, _g(SECONDARY, 35), 330),
)

# Primary subjects whose periodic tests are taken (Circular 27, Art. 7): code → the rules' subject name.
PRIMARY_TESTED: Final = {
    "tieng_viet": "tieng_viet",
    "toan": "toan",
    "ngoai_ngu_1": "ngoai_ngu_1",
    "tin_hoc_cong_nghe": "tin_hoc_cong_nghe",
    "lich_su_dia_li_th": "lich_su_dia_li",
    "khoa_hoc": "khoa_hoc",
}


def subjects_for_grade(grade: int) -> list[SubjectSpec]:
    """The subjects taught in `grade`, in the order a grade book or a transcript lists them."""
    return sorted((s for s in SUBJECTS if grade in s.periods), key=lambda s: s.order)
