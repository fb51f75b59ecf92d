"""Official documents (Decree 30/2020/NĐ-CP) as plain rules: types, number and notation, series, urgency,
place and date, and the edXML codes (QCVN 102:2016/BTTTT) that an exchange envelope carries.

Nothing here touches a database: the office app asks these functions what a number looks like and which
series a document draws from, then stores and locks what they say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from .text import fold

# Appendix III: type code -> (name as printed, abbreviation). "CV" (công văn) and "TCg" (thư công) have no
# abbreviation of their own; the code here is only how the system names them.
DOC_TYPES: Final[dict[str, tuple[str, str]]] = {
    "NQ": ("Nghị quyết", "NQ"),
    "QĐ": ("Quyết định", "QĐ"),
    "CT": ("Chỉ thị", "CT"),
    "QC": ("Quy chế", "QC"),
    "QyĐ": ("Quy định", "QyĐ"),
    "TC": ("Thông cáo", "TC"),
    "TB": ("Thông báo", "TB"),
    "HD": ("Hướng dẫn", "HD"),
    "CTr": ("Chương trình", "CTr"),
    "KH": ("Kế hoạch", "KH"),
    "PA": ("Phương án", "PA"),
    "ĐA": ("Đề án", "ĐA"),
    "DA": ("Dự án", "DA"),
    "BC": ("Báo cáo", "BC"),
    "BB": ("Biên bản", "BB"),
    "TTr": ("Tờ trình", "TTr"),
    "HĐ": ("Hợp đồng", "HĐ"),
    "CĐ": ("Công điện", "CĐ"),
    "BGN": ("Bản ghi nhớ", "BGN"),
    "BTT": ("Bản thỏa thuận", "BTT"),
    "GUQ": ("Giấy ủy quyền", "GUQ"),
    "GM": ("Giấy mời", "GM"),
    "GGT": ("Giấy giới thiệu", "GGT"),
    "GNP": ("Giấy nghỉ phép", "GNP"),
    "PG": ("Phiếu gửi", "PG"),
    "PC": ("Phiếu chuyển", "PC"),
    "PB": ("Phiếu báo", "PB"),
    "CV": ("Công văn", ""),
    "TCg": ("Thư công", ""),
}
# Types printed without a type name heading: the công văn carries "V/v …" under its number instead.
LETTER_TYPES: Final = frozenset({"CV", "TCg"})
# Types addressed with a "Kính gửi:" line.
ADDRESSED_TYPES: Final = frozenset({"CV", "TCg", "BC", "TTr"})

# Urgency (độ khẩn) and its edXML priority: 0 normal, 1 urgent, 2 very urgent, 3 express.
URGENCY_PRIORITY: Final[dict[str, int]] = {"thuong": 0, "khan": 1, "thuong_khan": 2, "hoa_toc": 3}
URGENT: Final = frozenset({"khan", "thuong_khan", "hoa_toc"})

# edXML business kinds and status codes (the "15/13/16" codes as in the government's sample files).
BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3
STATUS_CODES: Final[dict[str, str]] = {
    "01": "arrived",
    "02": "rejected",
    "03": "accepted",
    "04": "assigned",
    "05": "in_progress",
    "06": "done",
    "13": "cancelled",
    "15": "change_accepted",
    "16": "change_refused",
}
ORGAN_CODE: Final = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")

SERIES_SHARED: Final = "shared"
SERIES_PER_TYPE: Final = "per_type"


def type_name(code: str) -> str:
    return DOC_TYPES[code][0]


def number_text(number: int) -> str:
    """Numbers below 10 take a leading zero (01 … 09)."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"


def notation(*, number: int, doc_type: str, issuer_abbr: str, drafting_abbr: str = "") -> str:
    """`15/KH-GDĐT` for a typed document; `05/GDĐT-TCCB` (issuer - drafting unit) for a công văn."""
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    abbreviation = DOC_TYPES[doc_type][1]
    if abbreviation:
        return f"{number_text(number)}/{abbreviation}-{issuer_abbr}"
    suffix = f"-{drafting_abbr}" if drafting_abbr else ""
    return f"{number_text(number)}/{issuer_abbr}{suffix}"


def series_key(*, scheme: str, doc_type: str, secret: bool = False, board: str = "") -> str:
    """Which numbering series a document draws from (Art. 15): secret documents and boards issuing in
    their own name have their own; otherwise one shared series or one per type, as the head chose."""
    if secret:
        return "secret"
    if board:
        return f"board:{board}"
    if scheme == SERIES_PER_TYPE:
        return f"type:{doc_type}"
    if scheme != SERIES_SHARED:
        raise ValueError(f"unknown numbering scheme {scheme!r}")
    return SERIES_SHARED


def place_and_date(place: str, day: dt.date) -> str:
    """ "Phường Chợ Lớn, ngày 05 tháng 01 năm 2026": day < 10 and months 1–2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def edxml_document_id(organ_id: str, day: dt.date, code_notation: str) -> str:
    """`OrganId,yyyy/MM/dd,Number/Notation`."""
    return f"{organ_id},{day:%Y/%m/%d},{code_notation}"


def is_organ_code(code: str) -> bool:
    return bool(ORGAN_CODE.match(code))


def type_code_of(name: str, default: str = "CV") -> str:
    """The type code of a type named in words ("Kế hoạch", "KE HOACH" → "KH"), or `default`."""
    wanted = fold(name)
    for code, (type_name_, _abbreviation) in DOC_TYPES.items():
        if fold(type_name_) == wanted:
            return code
    return default


# --- reading the header of a document received on paper or by e-mail ---------------------------------------
# A clerk registering an outside document copies its number and notation, date, issuer, type and summary
# from the first page. From the page's text (a PDF's text layer) these are where Decree 30 puts them: the
# issuing body above "Số:", the date in "…, ngày 05 tháng 01 năm 2026", the type name in capitals with the
# summary under it, or "V/v …" under the number for a công văn. A guess fills the form; the clerk checks it.
_NUMBER_LINE: Final = re.compile(r"^so\s*[:.]?\s*(\d{1,7})\s*/\s*(\S+)")
_DATE: Final = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ABOUT: Final = re.compile(r"^\s*V/v\s*[:.]?\s*", re.IGNORECASE)
_NATION: Final = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap – tu do")


@dataclass(frozen=True)
class HeaderGuess:
    """What the first page says; an empty field (or None) where it says nothing recognisable."""

    notation: str = ""
    doc_date: dt.date | None = None
    sender_name: str = ""
    doc_type: str = ""
    summary: str = ""


def _type_of_notation(notation_: str) -> str:
    """`15/KH-SGDĐT` → "KH"; a công văn's `05/SGDĐT-TCCB` has no type abbreviation: "CV"."""
    tail = notation_.split("/")[-1]
    head = tail.split("-")[0]
    for code, (_name, abbreviation) in DOC_TYPES.items():
        if abbreviation and abbreviation == head and "-" in tail:
            return code
    return "CV"


def _continued(lines: list[str], start: int) -> str:
    """A line and the ones that carry on from it (starting in lower case: a summary wrapped by the page)."""
    parts = [lines[start]]
    for line in lines[start + 1 :]:
        if not line[:1].islower():
            break
        parts.append(line)
    return " ".join(" ".join(parts).split())


def guess_header(text: str) -> HeaderGuess:
    """Number and notation, date, issuing body, type and summary guessed from a first page's text."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    folded = [fold(line) for line in lines]
    number_at = next((i for i, f in enumerate(folded) if _NUMBER_LINE.match(f)), None)
    notation_ = ""
    if number_at is not None:
        match = re.match(r"^S\S*\s*[:.]?\s*(\d{1,7}\s*/\s*\S+)", lines[number_at])
        if match:
            notation_ = re.sub(r"\s*/\s*", "/", match.group(1)).rstrip(".,;")
    doc_date = None
    for line in folded:
        found = _DATE.search(line)
        if found:
            day, month, year = (int(g) for g in found.groups())
            try:
                doc_date = dt.date(year, month, day)
            except ValueError:
                continue
            break
    sender = ""
    if number_at is not None:
        body_lines = [
            lines[i]
            for i in range(number_at)
            if not folded[i].startswith(_NATION) and not _DATE.search(folded[i])
        ]
        # Two or more lines above the number: the first is the superior body, the rest the issuer.
        sender = " ".join(body_lines[1:] if len(body_lines) > 1 else body_lines)
    doc_type, summary = "", ""
    names = {fold(name): code for code, (name, _abbreviation) in DOC_TYPES.items()}
    start = number_at + 1 if number_at is not None else 0
    for i in range(start, len(lines)):
        if _ABOUT.match(lines[i]):
            doc_type = "CV"
            rest = _ABOUT.sub("", lines[i])
            summary = _continued([rest, *lines[i + 1 :]], 0) if rest else ""
            break
        if folded[i] in names and lines[i].isupper() and i + 1 < len(lines):
            doc_type = names[folded[i]]
            summary = _continued(lines, i + 1)
            break
    if not doc_type and notation_:
        doc_type = _type_of_notation(notation_)
    return HeaderGuess(
        notation=notation_[:64],
        doc_date=doc_date,
        sender_name=sender[:255],
        doc_type=doc_type,
        summary=summary[:500],
    )
