"""The code lists the law and the Ministry fix, shipped with the code as CSV beside this module.

Each list is a CSV (`code,name,aliases`; aliases separated by "|"). A value is stored as its code and shown
as its name; `lookup` accepts the code or any name or alias, ignoring case, diacritics, spaces, hyphens and
apostrophes ("Ê Đê", "ê-đê", "EDE" and "12" are the same ethnic group). Nothing here reads the network:
updating a list is editing its CSV.

Sources (see README.md beside the CSVs for what is confirmed and what is not):

- DAN_TOC — the 54 ethnic groups and their codes 01–54, Decision 121-TCTK/PPCĐ (1979) of the General
  Statistics Office, the list the Ministry's DAN_TOC sheet and the 2019 census use.
- TINH — the 34 provinces and centrally-run cities after Resolution 202/2025/QH15 (in force 12/6/2025),
  with the codes of the national list of administrative units (Decision 19/2025/QĐ-TTg): each merged
  province keeps the code of the province whose seat it took. The names of the 63 former provinces are
  aliases, so "Bình Dương" reads as 79 (Thành phố Hồ Chí Minh).
- QUOC_TICH — nationality: ISO 3166-1 alpha-2 codes, names as the Ministry of Foreign Affairs writes them;
  the common nationalities of pupils and staff, not every country. "XX" (stateless) is ISO's
  user-assigned range. The Ministry's own QUOC_TICH codes were not available: the C1 export writes names.
- VI_TRI_VIEC_LAM, TRINH_DO, LOAI_HOP_DONG — staff: job positions in public schools (Circular
  19/2023/TT-BGDĐT), the highest training level (Law on Education 2019, Art. 6), the kind of employment
  (Law on Public Employees: viên chức; Decree 111/2022/NĐ-CP: labour contracts). The codes are the
  platform's own: the Ministry's were not found.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

from rules.text import fold

_HERE: Final = Path(__file__).resolve().parent
_NOT_LETTERS: Final = re.compile(r"[^a-z0-9]")


def key_of(text: str) -> str:
    """The comparison key of a name or code: no case, diacritics, spaces, hyphens or apostrophes."""
    return _NOT_LETTERS.sub("", fold(text))


@dataclass(frozen=True)
class CodeList:
    """One list: codes in the order of the source, their names, and a lookup by code, name or alias."""

    name: str  # the Ministry's sheet name, e.g. DAN_TOC
    entries: tuple[tuple[str, str], ...]  # (code, name)
    _keys: dict[str, str] = field(repr=False, compare=False)  # comparison key of a name or alias → code
    _codes: frozenset[str] = field(repr=False, compare=False)
    # Words a value may start with that say what kind of thing it is ("Tỉnh", "Thành phố").
    prefixes: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _name in self.entries)

    def name_of(self, code: str) -> str | None:
        for known, name in self.entries:
            if known == code:
                return name
        return None

    def display(self, value: str) -> str:
        """The name of a stored code; a stored value that is not a code (older free text) as it is."""
        return self.name_of(value) or value

    def lookup(self, text: str) -> str | None:
        """The code `text` names (a code, a name or an alias, loosely written); None if none.

        A code is matched first, exactly but for case ("MY" is Malaysia); then names and aliases, loosely
        ("Mỹ" is the United States)."""
        raw = text.strip().upper()
        if raw.isdigit():
            raw = raw.zfill(2)
        if raw in self._codes:
            return raw
        key = key_of(text)
        if not key:
            return None
        found = self._keys.get(key)
        if found is None:
            for prefix in self.prefixes:
                if key.startswith(prefix) and len(key) > len(prefix):
                    found = self._keys.get(key[len(prefix) :])
                    if found is not None:
                        break
        return found

    def choices(self) -> list[tuple[str, str]]:
        return list(self.entries)


def _load(sheet: str, file_name: str, prefixes: tuple[str, ...] = ()) -> CodeList:
    entries: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    with open(_HERE / file_name, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = row["code"].strip(), row["name"].strip()
            entries.append((code, name))
            aliases = [a for a in (row.get("aliases") or "").split("|") if a.strip()]
            for text in (name, *aliases):
                key = key_of(text)
                if keys.setdefault(key, code) != code:
                    raise ValueError(f"{file_name}: «{text}» names both {keys[key]} and {code}")
    codes = frozenset(code for code, _name in entries)
    if len(codes) != len(entries) or any(c != c.strip().upper() or not c for c in codes):
        raise ValueError(f"{file_name}: codes must be unique, upper case, not blank")
    return CodeList(name=sheet, entries=tuple(entries), _keys=keys, _codes=codes, prefixes=prefixes)


@cache
def ethnic_groups() -> CodeList:
    return _load("DAN_TOC", "dan_toc.csv", prefixes=("dantoc", "nguoi"))


@cache
def provinces() -> CodeList:
    return _load("TINH", "tinh.csv", prefixes=("thanhpho", "tinh", "tp"))


@cache
def nationalities() -> CodeList:
    return _load("QUOC_TICH", "quoc_tich.csv", prefixes=("quoctich",))


@cache
def staff_positions() -> CodeList:
    return _load("VI_TRI_VIEC_LAM", "vi_tri_viec_lam.csv")


@cache
def qualifications() -> CodeList:
    return _load("TRINH_DO", "trinh_do.csv", prefixes=("trinhdo",))


@cache
def employment_kinds() -> CodeList:
    return _load("LOAI_HOP_DONG", "loai_hop_dong.csv")


VIETNAM: Final = "VN"
STATELESS: Final = "XX"
KINH: Final = "01"
