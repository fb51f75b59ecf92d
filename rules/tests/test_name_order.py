"""Vietnamese name order (rules.text.name_sort_key): given name, middle, family; Vietnamese alphabet; tones."""

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.text import name_sort_key

# Written out independently of the implementation: the letters in order, and the five tone marks in order.
LETTERS = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
           "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]  # fmt: skip
VOWELS = {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"}
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none, huyền, hỏi, ngã, sắc, nặng
# Every letter as typed with each tone (NFC), mapped to (letter's place, tone's place).
PLACE = {
    unicodedata.normalize("NFC", letter + mark): (i, tone)
    for i, letter in enumerate(LETTERS)
    for tone, mark in enumerate(TONE_MARKS)
    if letter in VOWELS or tone == 0
}


Word = tuple[tuple[int, ...], int]


def reference_key(name: str) -> tuple[Word, tuple[Word, ...], tuple[Word, ...]]:
    """The order as a tuple: (given word, middle words, family word), each word (letters, tone)."""

    def word(w: str) -> Word:
        places = [PLACE[ch] for ch in unicodedata.normalize("NFC", w.lower())]
        return tuple(p for p, _t in places), max(t for _p, t in places)

    words = [word(w) for w in name.split()]
    if len(words) == 1:
        return words[0], (), ()
    return words[-1], tuple(words[1:-1]), (words[0],)


@st.composite
def syllables(draw: st.DrawFn) -> str:
    letters = draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=6))
    vowels = [i for i, letter in enumerate(letters) if letter in VOWELS]
    if vowels:  # one tone per syllable, on any of its vowels
        at = draw(st.sampled_from(vowels))
        letters[at] = unicodedata.normalize("NFC", letters[at] + draw(st.sampled_from(TONE_MARKS)))
    text = "".join(letters)
    return text.upper() if draw(st.booleans()) else text.capitalize()


names = st.lists(syllables(), min_size=1, max_size=5).map(" ".join)


def ordered(names_: list[str]) -> list[str]:
    return sorted(names_, key=name_sort_key)


def test_given_name_first_then_middle_then_family():
    assert ordered(["Võ Văn Bình", "Đỗ Thị An", "Võ Văn An", "Đỗ Văn An"]) == [
        "Đỗ Thị An",
        "Đỗ Văn An",
        "Võ Văn An",
        "Võ Văn Bình",
    ]


def test_vietnamese_letters_follow_their_base_letter():
    given_names = ["Ân", "Ăn", "An", "Ba", "Đan", "Dung", "Ê", "En", "Ơn", "Ôn", "On", "Ưng", "Út", "Vy"]
    assert ordered([f"Lê Văn {g}" for g in given_names]) == [
        f"Lê Văn {g}"
        for g in ["An", "Ăn", "Ân", "Ba", "Dung", "Đan", "En", "Ê", "On", "Ôn", "Ơn", "Út", "Ưng", "Vy"]
    ]


def test_tones_after_the_letters_in_dictionary_order():
    tones = ["Lan", "Làn", "Lản", "Lãn", "Lán", "Lạn"]
    assert ordered(list(reversed(tones))) == tones
    # The letters decide before the tone: every "lan" before "lanh", whatever their tones.
    assert ordered(["Lạnh", "Lanh", "Lạn", "Lán"]) == ["Lán", "Lạn", "Lanh", "Lạnh"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Nguyễn Văn An", "NGUYỄN VĂN AN"),
        ("Nguyễn Văn An", "  nguyễn   văn an "),
        ("Lưu Đức Hoà", "Lưu Đức Hòa"),  # old and new tone placement
        ("Nguyễn", unicodedata.normalize("NFD", "Nguyễn")),
        ("Ðỗ An", "Đỗ An"),  # the Icelandic eth typed for Đ
    ],
)
def test_same_name_same_key(one, other):
    assert name_sort_key(one) == name_sort_key(other)


def test_shorter_names_and_odd_input():
    assert ordered(["Lê Thị Ngọc An", "Lê An", "Lê Thị An"]) == ["Lê An", "Lê Thị An", "Lê Thị Ngọc An"]
    assert ordered(["An", "Lê An"]) == ["An", "Lê An"]
    assert name_sort_key("") == name_sort_key("  - ") == "00"
    assert ordered(["Ksor H'Wên", "Ksor H'Uyên"]) == ["Ksor H'Uyên", "Ksor H'Wên"]
    assert len(name_sort_key("Nguyễn " * 200)) == 255


@given(st.text())
def test_key_is_lowercase_ascii_alphanumeric(text):
    key = name_sort_key(text)
    assert key and set(key) <= set(string.digits + string.ascii_lowercase)


@given(st.lists(names, min_size=2, max_size=8))
def test_order_agrees_with_the_reference(sample):
    assert [reference_key(n) for n in ordered(sample)] == sorted(reference_key(n) for n in sample)


@given(names)
def test_key_ignores_case_form_and_spacing(name):
    key = name_sort_key(name)
    assert name_sort_key(name.lower()) == key
    assert name_sort_key(unicodedata.normalize("NFD", name)) == key
    assert name_sort_key("  " + name.replace(" ", " \t ") + " ") == key
