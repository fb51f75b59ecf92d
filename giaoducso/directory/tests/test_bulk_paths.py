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

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

IDS = {"id", "student", "student_id", "staff", "staff_id", "created_at", "updated_at", "at"}
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
                guardian_name="Trần Văn Cha",
                guardian_phone="0901234567",
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
    assert _audit(_student_objects(one)) == _audit(_student_objects(other))
    assert len(_audit(_student_objects(other))) == 4  # student, status, enrolment, guardian


def test_staff_bulk_create_writes_what_staff_create_writes(world, directory):
    single, bulk = personal_id(Sex.MALE, 1990), personal_id(Sex.MALE, 1990)
    common = {
        "full_name": "Phan  Văn Toán",
        "sex": "M",
        "date_of_birth": dt.date(1990, 8, 12),
        "position": "Giáo viên",
        "subjects": "Toán",
        "phone": "0903123456",
    }
    services.staff_create(actor="test", school=world.school_a, personal_id=single, **common)
    staff_bulk_create(
        actor="test",
        rows=[NewStaff(school_id=world.school_a.pk, personal_id=bulk, **common)],
        units={world.school_a.pk: world.school_a},
    )
    one, other = Staff.objects.get(personal_id=single), Staff.objects.get(personal_id=bulk)
    assert _plain(one, drop={"personal_id"}) == _plain(other, drop={"personal_id"})
    assert one.search_name == "phan van toan"
    assignments = [StaffAssignment.objects.get(staff=s) for s in (one, other)]
    assert _plain(assignments[0]) == _plain(assignments[1])
    assert _audit([one, assignments[0]]) == _audit([other, assignments[1]])
