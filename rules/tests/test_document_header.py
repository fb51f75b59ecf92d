"""Guessing a received document's header from the text of its first page (Decree 30's layout)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rules.documents import HeaderGuess, guess_header

PLAN = """UBND QUẬN 6
PHÒNG GD&ĐT QUẬN 6
Số: 01/KH-PGDĐT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quận 6, ngày 03 tháng 12 năm 2026
KẾ HOẠCH
Kế hoạch thực hiện nhiệm vụ công nghệ thông tin năm học 2026-2027
Căn cứ Kế hoạch của Sở.
Nơi nhận:
- Trường THCS Văn Thân;"""

LETTER = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
UBND THÀNH PHỐ HỒ CHÍ MINH
SỞ GIÁO DỤC VÀ
ĐÀO TẠO
Thành phố Hồ Chí Minh, ngày 5 tháng 1 năm 2026
Số:  1161 / SGDĐT-QLT
V/v triển khai phần mềm
quản lý trường học năm học 2026
Kính gửi: Trưởng phòng Giáo dục và Đào tạo các quận."""


def test_a_plan_printed_by_the_decree() -> None:
    assert guess_header(PLAN) == HeaderGuess(
        notation="01/KH-PGDĐT",
        doc_date=dt.date(2026, 12, 3),
        sender_name="PHÒNG GD&ĐT QUẬN 6",
        doc_type="KH",
        summary="Kế hoạch thực hiện nhiệm vụ công nghệ thông tin năm học 2026-2027",
    )


def test_a_letter_with_its_header_in_another_order_and_wrapped_lines() -> None:
    assert guess_header(LETTER) == HeaderGuess(
        notation="1161/SGDĐT-QLT",
        doc_date=dt.date(2026, 1, 5),
        sender_name="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        doc_type="CV",
        summary="triển khai phần mềm quản lý trường học năm học 2026",
    )


def test_the_type_from_the_notation_when_no_heading_says_it() -> None:
    guess = guess_header("SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 12/TB-SGDĐT\nngày 31 tháng 2 năm 2026\n")
    assert (guess.doc_type, guess.notation, guess.doc_date) == ("TB", "12/TB-SGDĐT", None)
    assert guess_header("SỞ GD&ĐT\nSố: 7/SGDĐT-VP\n").doc_type == "CV"


def test_nothing_recognisable_gives_an_empty_guess() -> None:
    assert guess_header("") == HeaderGuess()
    assert guess_header("Một trang chỉ có chữ thường\nkhông có số hiệu") == HeaderGuess()


@given(st.text())
def test_any_text_gives_a_guess_never_an_error(text: str) -> None:
    guess = guess_header("Số: " + text)
    assert len(guess.notation) <= 64 and len(guess.summary) <= 500
