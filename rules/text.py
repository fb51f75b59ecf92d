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


# --- Vietnamese name order ------------------------------------------------------------------------------
# Class lists are printed by given name (the last word), then the middle names, then the family name (the
# first word), in the Vietnamese alphabet: ă and â after a, đ after d, ê after e, ô and ơ after o, ư after u.
# The letters foreign to it (f, j, w, z: names of ethnic minorities, foreign names) take their Latin place.
# Like a dictionary, a word is ordered by its letters first and by its tone only when the letters are the
# same (a < à < ả < ã < á < ạ < ac): the tone belongs to the syllable, wherever the mark sits (hoà = hòa).
_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_OTHER_LETTER = len(_ALPHABET)  # a letter of another script: after z
_SYMBOLS = {letter: index for index, letter in enumerate(_ALPHABET)}
# The marks that make a letter of its own (ă â ê ô ơ ư) as opposed to the five tone marks.
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")  # breve, circumflex, horn
# No shared fact sheet states an order of tones; this is the dictionaries' order: none, huyền, hỏi, ngã,
# sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # grave, hook, tilde, acute, dot
# Icelandic eth looks like Đ and is sometimes typed for it.
_LOOKALIKES = str.maketrans({"ð": "đ", "Ð": "đ"})
# Only digits and lower-case ASCII letters: every collation (C, en_US.UTF-8, ICU) orders such strings as
# bytes do, so the database's ORDER BY agrees with Python's sorted() on SQLite and PostgreSQL alike.
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_COMPONENT_END = "0"  # between given, middle and family names: below everything, so a prefix sorts first
_LETTERS_END = "1"  # after a word's letters, before its tone digit: a shorter word sorts first
SORT_KEY_LENGTH = 255


def _symbol_code(index: int) -> str:
    # Two characters from "20" up, all above the two separators.
    return _DIGITS[2 + index // len(_DIGITS)] + _DIGITS[index % len(_DIGITS)]


def _word_key(word: str) -> str:
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS:
            if letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif not unicodedata.combining(ch) and ch.isalnum():
            letters.append(ch)
    if not letters:
        return ""
    codes = "".join(_symbol_code(_SYMBOLS.get(letter, _OTHER_LETTER)) for letter in letters)
    return f"{codes}{_LETTERS_END}{tone}"


def name_sort_key(full_name: str) -> str:
    """A key that orders Vietnamese names as class lists are printed: given name, middle, family name.

    The key is ASCII (digits and lower-case letters only), so a database sorts it bytewise whatever its
    collation; case, spacing, composed or decomposed input and the tone mark's position do not change it.
    """
    words = [key for key in map(_word_key, full_name.translate(_LOOKALIKES).lower().split()) if key]
    if not words:
        return _COMPONENT_END * 2
    given, middle, family = words[-1], words[1:-1], words[0] if len(words) > 1 else ""
    key = _COMPONENT_END.join((given, "".join(middle), family))
    return key[:SORT_KEY_LENGTH]


def name_columns(raw: str) -> dict[str, str]:
    """Every column derived from a person's name, as stored: the name itself, its search key and its sort key.

    The one place that knows them: services, bulk writes, imports and the demo all take their values from
    here, so a new derived column (a sort key) is added once.
    """
    full_name = normalise_name(raw)
    return {"full_name": full_name, "search_name": fold(full_name), "sort_key": name_sort_key(full_name)}
