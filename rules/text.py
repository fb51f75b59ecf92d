"""Vietnamese text folding for search: "Nguyễn Văn An" and "nguyen van an" become the same key."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ is a letter of its own, not D with a combining mark, so NFD leaves it: map it by hand.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces; stable and idempotent (fold(fold(x)) == fold(x))."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def normalise_name(text: str) -> str:
    """A person's name as stored: NFC (one code point per letter, as keyboards type it), single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def name_columns(raw: str) -> dict[str, str]:
    """Every column derived from a person's name, as stored: the name itself and its search key.

    The one place that knows them: services, bulk writes, imports and the demo all take their values from
    here, so a new derived column (a sort key) is added once.
    """
    full_name = normalise_name(raw)
    return {"full_name": full_name, "search_name": fold(full_name)}
