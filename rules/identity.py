"""Who a pupil is on paper: the personal identifier or, where the law allows, another document; and the
parents' years of birth that the Ministry's student sheet asks for.

Every Vietnamese citizen has a personal identification number from birth registration (Law 26/2023);
a foreign pupil, or a stateless person of Vietnamese origin (who holds an identity certificate), may not.
So the number may be left empty only for a pupil whose nationality is not Vietnamese, and then the kind
and number of the document they hold instead are required.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from rules.codelists import VIETNAM

FIELD_PERSONAL_ID: Final = "personal_id"
FIELD_OTHER_KIND: Final = "other_document_kind"
FIELD_OTHER_NUMBER: Final = "other_document_number"

# A parent is at least this many years older than the child, and at most this many.
PARENT_MIN_GAP: Final = 12
PARENT_MAX_GAP: Final = 70


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


def check_identity(
    personal_id: str, nationality: str, other_kind: str, other_number: str
) -> list[FieldProblem]:
    """[] when the pupil has a personal identifier, or is not Vietnamese and records another document."""
    problems: list[FieldProblem] = []
    other_kind, other_number = other_kind.strip(), other_number.strip()
    if other_number and not other_kind:
        problems.append(FieldProblem(FIELD_OTHER_KIND, "Hãy chọn loại giấy tờ của số đã ghi."))
    if other_kind and not other_number:
        problems.append(FieldProblem(FIELD_OTHER_NUMBER, "Hãy ghi số của giấy tờ đã chọn."))
    if personal_id.strip():
        return problems
    if nationality in (VIETNAM, ""):
        problems.append(
            FieldProblem(
                FIELD_PERSONAL_ID,
                "Học sinh quốc tịch Việt Nam phải có số định danh cá nhân (12 chữ số). Chỉ học sinh không "
                "có quốc tịch Việt Nam mới được ghi giấy tờ khác thay thế.",
            )
        )
    elif not (other_kind and other_number) and not problems:
        problems.append(
            FieldProblem(
                FIELD_OTHER_NUMBER,
                "Chưa có số định danh cá nhân: hãy ghi loại và số giấy tờ thay thế (hộ chiếu, giấy chứng "
                "nhận căn cước…).",
            )
        )
    return problems


def check_parent_birth_year(year: int | None, child_birth_year: int | None, *, parent: str) -> str | None:
    """Why the parent's year of birth cannot be right, or None; `parent` is «cha» or «mẹ»."""
    if year is None:
        return None
    if not 1900 <= year <= 2100:
        return f"Năm sinh của {parent} ({year}) không hợp lệ."
    if child_birth_year is not None and not (
        child_birth_year - PARENT_MAX_GAP <= year <= child_birth_year - PARENT_MIN_GAP
    ):
        return (
            f"Năm sinh của {parent} ({year}) phải sớm hơn năm sinh của học sinh ({child_birth_year}) từ "
            f"{PARENT_MIN_GAP} đến {PARENT_MAX_GAP} năm."
        )
    return None
