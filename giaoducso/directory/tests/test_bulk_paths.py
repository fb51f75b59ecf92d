"""The bulk write paths give the rows the single-row services give: the same input written by
student_create + guardian_add (staff_create) and by student_bulk_create (staff_bulk_create) leaves the same
students, name columns, status events, enrolments, guardians and audit lines. Run on PostgreSQL too: there the
bulk inserts go through COPY."""

import datetime as dt

import pytest

from giaoducso.core.models import AuditEntry
from giaoducso.directory import services
from giaoducso.directory.models import Sex, Staff, StaffAssignment, Student
from giaoducso.directory.services.staff_bulk import NewStaff, staff_bulk_create
from giaoducso.directory.services.student_bulk import NewStudent, student_bulk_create
from giaoducso.testing.factories import personal_id
from rules import codelists
from rules.text import name_sort_key

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

IDS = {"id", "unit", "student", "student_id", "staff", "staff_id", "created_at", "updated_at", "at"}
START = dt.date(2026, 9, 5)


@pytest.fixture
def directory(world):
    return build_directory(world)


def _plain(obj, drop=()):
    return {k: v for k, v in vars(obj).items() if not k.startswith("_") and k not in IDS | set(drop)}


def _student_state(pid):
    student = Student.objects.get(personal_id=pid)
    related = (
        [_plain(e) for e in student.status_events.all()],
        [_plain(e) for e in student.enrolments.all()],
        [_plain(g) for g in student.guardians.all()],
    )
    return student, (_plain(student, drop={"personal_id"}), *related)


def _audit(objects):
    """Audit lines of these objects without what differs by nature (ids, time, the identifier)."""
    lines = []
    for obj in objects:
        for line in AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)):
            changes = {k: v for k, v in line.changes.items() if k not in IDS | {"personal_id"}}
            lines.append((line.action, line.object_type, line.object_repr, line.unit_id, changes))
    return sorted(lines, key=repr)


def _student_objects(student):
    return [student, *student.status_events.all(), *student.enrolments.all(), *student.guardians.all()]


# The Ministry's fields as student_create reads them (codes or names) and as a bulk row carries them (codes,
# names normalised: what services.codes.clean_student_fields stores).
MINISTRY_SERVICE = {
    "nationality": "Việt Nam",
    "birth_province": "79",
    "birth_commune": "  Phường   Bến Nghé ",
    "father_name": "Trần  Văn Cha",
    "father_birth_year": 1984,
    "mother_name": "Lê Thị   Mẹ",
    "mother_birth_year": 1986,
}
MINISTRY_BULK = {
    "nationality": "VN",
    "birth_province": "79",
    "birth_commune": "Phường Bến Nghé",
    "father_name": "Trần Văn Cha",
    "father_birth_year": 1984,
    "mother_name": "Lê Thị Mẹ",
    "mother_birth_year": 1986,
}


def test_student_bulk_create_writes_what_student_create_writes(world, directory):
    born = dt.date(2014, 4, 1)
    single, bulk = personal_id(Sex.FEMALE, 2014), personal_id(Sex.FEMALE, 2014)
    common = {"full_name": "  Trần   Thị  Bình ", "date_of_birth": born, "sex": "F"}
    student = services.student_create(
        actor="test",
        school=world.school_a,
        personal_id=single,
        school_class=directory.class_a,
        start_date=START,
        address="1 Lê Lợi",
        ethnicity="Kinh",
        **MINISTRY_SERVICE,
        **common,
    )
    services.guardian_add(actor="test", student=student, full_name="Trần Văn Cha", phone="0901234567")
    student_bulk_create(
        actor="test",
        rows=[
            NewStudent(
                school_id=world.school_a.pk,
                personal_id=bulk,
                class_id=directory.class_a.pk,
                address="1 Lê Lợi",
                ethnicity=codelists.KINH,
                guardian_name="Trần Văn Cha",
                guardian_phone="0901234567",
                **MINISTRY_BULK,
                **common,
            )
        ],
        year=directory.class_a.year,
        start_date=START,
        units={world.school_a.pk: world.school_a},
    )
    one, state_one = _student_state(single)
    other, state_other = _student_state(bulk)
    assert state_one == state_other
    assert one.full_name == "Trần Thị Bình" and one.search_name == "tran thi binh"
    assert one.sort_key == other.sort_key == name_sort_key("Trần Thị Bình")
    assert (one.ethnicity, one.nationality, one.birth_province) == (codelists.KINH, codelists.VIETNAM, "79")
    for field, value in MINISTRY_BULK.items():
        assert getattr(one, field) == getattr(other, field) == value, field
    assert _audit(_student_objects(one)) == _audit(_student_objects(other))
    assert len(_audit(_student_objects(other))) == 4  # student, status, enrolment, guardian


def test_student_bulk_create_writes_another_document_as_student_create_does(world, directory):
    """A foreign pupil without a personal identifier: the other document, on both paths."""
    born = dt.date(2014, 4, 1)
    common = {"full_name": "Kim Min Ji", "date_of_birth": born, "sex": "F", "other_document_kind": "passport"}
    services.student_create(
        actor="test",
        school=world.school_a,
        personal_id="",
        school_class=directory.class_a,
        start_date=START,
        nationality="KR",
        other_document_number="M1234567",
        **common,
    )
    student_bulk_create(
        actor="test",
        rows=[
            NewStudent(
                school_id=world.school_a.pk,
                personal_id="",
                class_id=directory.class_a.pk,
                nationality="KR",
                other_document_number="M7654321",
                **common,
            )
        ],
        year=directory.class_a.year,
        start_date=START,
        units={world.school_a.pk: world.school_a},
    )
    one = Student.objects.get(other_document_number="M1234567")
    other = Student.objects.get(other_document_number="M7654321")
    drop = {"other_document_number"}
    assert _plain(one, drop=drop) == _plain(other, drop=drop)
    assert other.personal_id == "" and other.nationality == "KR" and other.sort_key == one.sort_key


def test_staff_bulk_create_writes_what_staff_create_writes(world, directory):
    single, bulk = personal_id(Sex.MALE, 1990), personal_id(Sex.MALE, 1990)
    common = {
        "full_name": "Phan  Văn Toán",
        "sex": "M",
        "date_of_birth": dt.date(1990, 8, 12),
        "subjects": "Toán",
        "phone": "0903123456",
    }
    # The service reads a code or a name of the lists; a bulk row carries the codes (as the importer reads them).
    coded = {
        "position": codelists.staff_positions().lookup("Giáo viên"),
        "qualification": codelists.qualifications().lookup("Đại học"),
        "employment_type": codelists.employment_kinds().lookup("Viên chức"),
    }
    assert all(coded.values())
    services.staff_create(
        actor="test",
        school=world.school_a,
        personal_id=single,
        position="Giáo viên",
        qualification="Đại học",
        employment_type="Viên chức",
        **common,
    )
    staff_bulk_create(
        actor="test",
        rows=[NewStaff(school_id=world.school_a.pk, personal_id=bulk, **coded, **common)],
        units={world.school_a.pk: world.school_a},
    )
    one, other = Staff.objects.get(personal_id=single), Staff.objects.get(personal_id=bulk)
    assert _plain(one, drop={"personal_id"}) == _plain(other, drop={"personal_id"})
    assert one.search_name == "phan van toan"
    assert one.sort_key == other.sort_key == name_sort_key("Phan Văn Toán")
    assert (other.position, other.qualification, other.employment_type) == tuple(coded.values())
    assignments = [StaffAssignment.objects.get(staff=s) for s in (one, other)]
    assert _plain(assignments[0]) == _plain(assignments[1])
    assert _audit([one, assignments[0]]) == _audit([other, assignments[1]])


def test_school_bulk_create_writes_what_school_create_writes(world):
    from giaoducso.core import services as core_services
    from giaoducso.core.models import UnitKind
    from giaoducso.directory.models import School

    units = [
        core_services.unit_create(
            actor="test",
            kind=UnitKind.SCHOOL,
            code=f"7960{n}",
            name=f"Trường Tiểu học Số {n}",
            parent=world.department,
        )
        for n in (1, 2)
    ]
    common = {
        "level": "primary",
        "ownership": "public",
        "address": "12 Lê Lợi",
        "email": "th@example.edu.vn",
        "principal_name": "Ngô Thị Hiệu",
    }
    one = services.school_create(actor="test", unit=units[0], phone="028 3855 1234", **common)
    (other,) = services.school_bulk_create(
        actor="test", rows=[(units[1], {"phone": "02838551234", **common})]
    )
    rows = [School.objects.get(pk=unit.pk) for unit in units]
    assert one.phone == "02838551234"  # the single-row path normalises; a bulk row arrives normalised
    assert _plain(rows[0], drop={"unit_id"}) == _plain(rows[1], drop={"unit_id"})
    lines = [[(a, t, c) for a, t, _repr, _unit, c in _audit([school])] for school in (one, other)]
    assert lines[0] == lines[1] and lines[0][0][0] == "create"
    assert (
        AuditEntry.objects.get(object_type="directory.school", object_id=str(other.pk)).unit_id == units[1].pk
    )


def test_school_create_refuses_a_bad_phone_with_its_own_sentence(world):
    from django.core.exceptions import ValidationError

    from giaoducso.core import services as core_services
    from giaoducso.core.models import UnitKind

    unit = core_services.unit_create(
        actor="test", kind=UnitKind.SCHOOL, code="79609", name="Trường Mầm non Số 9", parent=world.department
    )
    with pytest.raises(ValidationError) as caught:
        services.school_create(actor="test", unit=unit, level="preschool", ownership="public", phone="12ab")
    assert "phone" in caught.value.message_dict


def test_bulk_columns_are_every_field_but_the_id():
    """student_bulk_create writes tuples in the order of its column lists: a field added to a model and not
    to its list would be left out of the insert and of the audit line."""
    from giaoducso.directory.models import Enrolment, Guardian, StudentStatusEvent
    from giaoducso.directory.services import student_bulk

    for model, columns in (
        (Student, student_bulk.STUDENT_COLUMNS),
        (StudentStatusEvent, student_bulk.EVENT_COLUMNS),
        (Enrolment, student_bulk.ENROLMENT_COLUMNS),
        (Guardian, student_bulk.GUARDIAN_COLUMNS),
    ):
        expected = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        assert sorted(columns) == sorted(expected), model
