from hypothesis import given
from hypothesis import strategies as st

from rules.identity import PARENT_MAX_GAP, PARENT_MIN_GAP, check_identity, check_parent_birth_year


def fields(problems):
    return [p.field for p in problems]


def test_a_vietnamese_pupil_needs_the_number():
    assert fields(check_identity("", "VN", "", "")) == ["personal_id"]
    assert fields(check_identity("", "VN", "passport", "B1234567")) == ["personal_id"]
    assert check_identity("079214000001", "VN", "", "") == []


def test_a_foreign_pupil_records_another_document_instead():
    assert check_identity("", "KR", "passport", "M12345678") == []
    assert check_identity("", "XX", "id_certificate", "001234") == []
    assert fields(check_identity("", "KR", "", "")) == ["other_document_number"]
    assert fields(check_identity("", "KR", "passport", "")) == ["other_document_number"]
    assert fields(check_identity("", "KR", "", "M1")) == ["other_document_kind"]


@given(
    number=st.text(alphabet="0123456789", min_size=1, max_size=12),
    nationality=st.sampled_from(["VN", "KR", "XX", ""]),
    kind=st.sampled_from(["", "passport"]),
    doc=st.sampled_from(["", "X1"]),
)
def test_with_a_number_only_the_document_pair_matters(number, nationality, kind, doc):
    problems = check_identity(number, nationality, kind, doc)
    assert set(fields(problems)) <= {"other_document_kind", "other_document_number"}
    assert (problems == []) == (bool(kind) == bool(doc))


@given(child=st.integers(1990, 2030), gap=st.integers(-5, 90))
def test_parent_year_gap(child, gap):
    message = check_parent_birth_year(child - gap, child, parent="mẹ")
    assert (message is None) == (PARENT_MIN_GAP <= gap <= PARENT_MAX_GAP)
    assert check_parent_birth_year(None, child, parent="cha") is None
