from typing import Any

import pytest

from rules.report_forms import clean_answers, evaluate, formula_names, parse_schema, schema_to_json

FIELDS: list[dict[str, Any]] = [
    {"key": "ten", "label": "Tên", "type": "text", "required": True},
    {"key": "so", "label": "Số máy", "type": "number", "min": 0, "max": 10, "integer": True},
    {"key": "hong", "label": "Máy hỏng", "type": "number"},
    {"key": "ngay", "label": "Ngày", "type": "date"},
    {"key": "chon", "label": "Chọn", "type": "choice", "choices": ["A", "B"]},
    {"key": "nhieu", "label": "Nhiều", "type": "multi", "choices": "A\nB\nC"},
    {"key": "co", "label": "Có", "type": "yesno", "required": True},
    {"key": "tep", "label": "Tệp", "type": "file", "kinds": ["pdf"]},
    {
        "key": "bang",
        "label": "Bảng",
        "type": "table",
        "rows": ["R1", "R2"],
        "columns": [{"key": "a", "label": "A", "type": "number"}],
    },
    {"key": "tot", "label": "Tốt", "type": "computed", "formula": "so - hong"},
]


def schema():
    parsed, problems = parse_schema({"sections": [{"title": "S", "fields": FIELDS}]})
    assert problems == []
    return parsed


def test_every_type_parses_and_round_trips_through_json():
    parsed = schema()
    assert [f.type for f in parsed.fields()] == [f["type"] for f in FIELDS]
    again, problems = parse_schema(schema_to_json(parsed))
    assert problems == [] and again == parsed


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ({"key": "1x", "label": "L", "type": "text"}, "bad_key"),
        ({"key": "x", "label": "", "type": "text"}, "no_label"),
        ({"key": "x", "label": "L", "type": "video"}, "bad_type"),
        ({"key": "x", "label": "L", "type": "number", "min": 5, "max": 1}, "bad_range"),
        ({"key": "x", "label": "L", "type": "choice", "choices": ["A"]}, "no_choices"),
        ({"key": "x", "label": "L", "type": "table"}, "no_columns"),
        ({"key": "x", "label": "L", "type": "computed", "formula": "__import__('os')"}, "bad_formula"),
        ({"key": "x", "label": "L", "type": "computed", "formula": "later + 1"}, "formula_names"),
        ({"key": "x", "label": "L", "type": "number", "prefill": "secrets"}, "bad_prefill"),
        ({"key": "x", "label": "L", "type": "file", "kinds": ["exe"]}, "bad_kinds"),
    ],
)
def test_bad_schemas_name_their_problem(field, code):
    parsed, problems = parse_schema({"sections": [{"title": "S", "fields": [field]}]})
    assert parsed is None and [p.code for p in problems] == [code]


def test_duplicate_keys_and_shapes():
    assert [p.code for p in parse_schema({"sections": [{"fields": [FIELDS[0], FIELDS[0]]}]})[1]] == [
        "duplicate_key"
    ]
    assert [p.code for p in parse_schema([])[1]] == ["schema_shape"]
    assert [p.code for p in parse_schema({"sections": []})[1]] == ["no_fields"]


def test_answers_are_cleaned_and_computed():
    answers, problems = clean_answers(
        schema(),
        {
            "ten": " Trường A ",
            "so": "8",
            "hong": "2,5",
            "ngay": "05/09/2026",
            "chon": "B",
            "nhieu": ["C", "A"],
            "co": "0",
            "tep": {"id": 3, "name": "a.pdf"},
            "bang": [{"a": "1"}, {"a": ""}],
            "tot": 999,
            "la": 1,
        },
        complete=True,
    )
    assert problems == []
    assert answers == {
        "ten": "Trường A",
        "so": 8,
        "hong": 2.5,
        "ngay": "2026-09-05",
        "chon": "B",
        "nhieu": ["A", "C"],
        "co": False,
        "tep": {"id": 3, "name": "a.pdf"},
        "bang": [{"a": 1}, {}],
        "tot": 5.5,
    }


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ({"so": "11"}, ["above_max"]),
        ({"so": "-1"}, ["below_min"]),
        ({"so": "1.5"}, ["not_integer"]),
        ({"so": "nhiều"}, ["not_number"]),
        ({"ngay": "31/02/2026"}, ["bad_date"]),
        ({"chon": "Z"}, ["bad_choice"]),
        ({"nhieu": ["A", "Z"]}, ["bad_choice"]),
        ({"co": "có lẽ"}, ["not_bool"]),
        ({"tep": "a.pdf"}, ["bad_file"]),
        ({"bang": [{}, {}, {}]}, ["too_many_rows"]),
        ({"bang": [{"a": "x"}]}, ["not_number"]),
        ({"ten": "x" * 5000}, ["too_long"]),
    ],
)
def test_bad_answers_name_their_problem(raw, codes):
    _answers, problems = clean_answers(schema(), raw, complete=False)
    assert [p.code for p in problems] == codes


def test_required_only_when_submitting():
    assert clean_answers(schema(), {}, complete=False)[1] == []
    assert [p.field for p in clean_answers(schema(), {"ten": "  "}, complete=True)[1]] == ["ten", "co"]


def test_formulas_are_plain_arithmetic():
    assert evaluate("a * 100 / b", {"a": 3, "b": 4}) == 75
    assert evaluate("a / b", {"a": 1, "b": 0}) is None
    assert evaluate("a + b", {"a": 1}) is None
    assert formula_names("a + b * (c - 1)") == {"a", "b", "c"}
    assert formula_names("a.b") is None and formula_names("f(a)") is None and formula_names("'x'") is None
