"""Data quality of the education database: completeness scores and the problems to fix.

Fast enough for a whole department (≈30,000 students, 45 schools on the demo) in one request: the scores
and most problem counts come from a few aggregate queries grouped by school; identifier checks need
Python (`rules.identifiers`), so they are one streaming pass over four columns. No query per school, per
student or per problem.

Required fields (each filled field scores 1 out of the total):
- a student on the roll (studying, transferred in, returned): personal id, full name, date of birth, sex,
  ethnicity, address, ward (a ward of the tree or the text of the file), a class of the current year, a
  guardian with a phone — 9 fields;
- a staff member at work (working or on leave): position, qualification, phone, employment type — 4;
- the school record: address, phone, e-mail, principal, IT leader — 5 (0 of 5 when there is no record).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core.models import Unit, UnitKind
from rules import codelists, identifiers

from .models import Guardian, School, Staff, StaffStatus, Student, StudentStatus

ENROLLED = (StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN, StudentStatus.RETURNED)
AT_WORK = (StaffStatus.WORKING, StaffStatus.LEAVE)
STUDENT_FIELDS = 9
STAFF_FIELDS = 4
SCHOOL_FIELDS = ("address", "phone", "email", "principal_name", "it_leader_name")


class Kind:
    MISSING_GUARDIAN_PHONE = "missing_guardian_phone"
    ID_MISMATCH = "id_mismatch"
    UNKNOWN_PROVINCE = "unknown_province"
    NO_CLASS = "no_class"
    WARD_TEXT = "ward_text"
    STAFF_NO_POSITION = "staff_no_position"
    SCHOOL_CONTACT = "school_contact"
    NOT_IN_LIST = "not_in_list"


KIND_LABELS: dict[str, Promise] = {
    Kind.MISSING_GUARDIAN_PHONE: gettext_lazy("Thiếu số điện thoại cha mẹ/người giám hộ"),
    Kind.ID_MISMATCH: gettext_lazy("Số định danh không khớp"),
    Kind.UNKNOWN_PROVINCE: gettext_lazy("Mã tỉnh/quốc gia trong số định danh cần kiểm tra"),
    Kind.NO_CLASS: gettext_lazy("Chưa xếp lớp năm học hiện tại"),
    Kind.WARD_TEXT: gettext_lazy("Phường/xã không có trong danh mục"),
    Kind.STAFF_NO_POSITION: gettext_lazy("Cán bộ chưa có vị trí việc làm"),
    Kind.SCHOOL_CONTACT: gettext_lazy("Trường thiếu thông tin liên hệ"),
    Kind.NOT_IN_LIST: gettext_lazy("Giá trị không có trong danh mục"),
}
KINDS = list(KIND_LABELS)

_FIELD_LABELS = {
    identifiers.FIELD_PERSONAL_ID: gettext_lazy("Số định danh cá nhân"),
    identifiers.FIELD_SEX: gettext_lazy("Giới tính"),
    identifiers.FIELD_DATE_OF_BIRTH: gettext_lazy("Ngày sinh"),
    "ward": gettext_lazy("Phường/xã"),
    "guardian_phone": gettext_lazy("Điện thoại cha mẹ"),
    "current_class": gettext_lazy("Lớp"),
    "position": gettext_lazy("Vị trí việc làm"),
    "address": gettext_lazy("Địa chỉ"),
    "phone": gettext_lazy("Điện thoại"),
    "email": gettext_lazy("Thư điện tử"),
    "principal_name": gettext_lazy("Hiệu trưởng"),
    "ethnicity": gettext_lazy("Dân tộc"),
    "nationality": gettext_lazy("Quốc tịch"),
    "birth_province": gettext_lazy("Nơi sinh: tỉnh/thành phố"),
    "qualification": gettext_lazy("Trình độ chuyên môn"),
    "employment_type": gettext_lazy("Loại hợp đồng/biên chế"),
    "it_leader_name": gettext_lazy("Lãnh đạo phụ trách CNTT"),
}


@dataclass
class SchoolQuality:
    unit: Unit
    filled: int = 0
    required: int = 0
    students: int = 0
    staff: int = 0
    problems: Counter[str] = field(default_factory=Counter)

    @property
    def score(self) -> float:
        """Share of required fields filled, 0–100 (100 for a school with nothing to fill yet)."""
        return round(100 * self.filled / self.required, 1) if self.required else 100.0

    @property
    def problem_total(self) -> int:
        return sum(self.problems.values())

    def counts(self) -> list[int]:
        return [self.problems.get(kind, 0) for kind in KINDS]


@dataclass(frozen=True)
class Problem:
    kind: str
    record: str  # the student's, staff member's or school's name
    field: str  # which field to fix
    message: str
    url: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def field_label(name: str) -> str:
    return str(_FIELD_LABELS.get(name, name))


def _link(*candidates: tuple[str, list[Any]]) -> str:
    """The first screen that exists for the record: a module's own page, else the admin's."""
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def student_url(pk: int, screen: str = "directory:student_detail") -> str:
    """The screen where this student's problem is fixed (the record itself when that is where)."""
    return _link((screen, [pk]), ("directory:student_detail", [pk]), ("admin:directory_student_change", [pk]))


# Which screen fixes each kind of student problem: every kind on the board leads to a form that fixes it.
FIX_SCREENS = {
    Kind.ID_MISMATCH: "directory:student_identifier",
    Kind.UNKNOWN_PROVINCE: "directory:student_identifier",
    Kind.NO_CLASS: "directory:student_detail",  # its "Chuyển lớp" form
    Kind.WARD_TEXT: "directory:student_edit",
}


def _id_fix_url(pk: int, problem: identifiers.IdProblem) -> str:
    # Sex or birth year against the number: either side may be wrong, and the identifier screen shows
    # both with a link to the record's form; a bad number itself is corrected there.
    return student_url(pk, FIX_SCREENS[_id_kind(problem)])


def guardian_phone_urls(student_ids: list[int]) -> dict[int, str]:
    """The form where a guardian's phone is entered: the primary guardian's, else a new guardian's."""
    first: dict[int, int] = {}
    rows = Guardian.objects.filter(student_id__in=student_ids).order_by("student_id", "-is_primary", "id")
    for student_id, guardian_id in rows.values_list("student_id", "pk"):
        first.setdefault(student_id, guardian_id)
    urls = {}
    for pk in student_ids:
        if pk in first:
            urls[pk] = _link(("directory:guardian_edit", [pk, first[pk]]), ("directory:student_detail", [pk]))
        else:
            urls[pk] = _link(("directory:guardian_add", [pk]), ("directory:student_detail", [pk]))
    return urls


def staff_url(pk: int) -> str:
    return _link(
        ("directory:staff_edit", [pk]),
        ("directory:staff_detail", [pk]),
        ("admin:directory_staff_change", [pk]),
    )


def school_url(unit: Unit) -> str:
    return _link(
        ("directory:school_edit", [unit.code]),
        ("directory:school_detail", [unit.code]),
        ("admin:directory_school_change", [unit.pk]),
    )


def _in_class() -> Q:
    # The class's year is its school's calendar, so this is each school's own (province's) current year.
    return Q(current_class__year__is_current=True)


def _guardian_phone() -> Exists:
    return Exists(Guardian.objects.filter(student=OuterRef("pk")).exclude(phone=""))


def _ward_known_or_text() -> Q:
    return Q(ward__isnull=False) | ~Q(ward_name="")


def _students(units: Iterable[Unit]) -> QuerySet[Student]:
    return Student.objects.filter(school__in=list(units), status__in=ENROLLED)


# Coded fields (rules/codelists): a stored value that is not a code is older free text no code matched
# (migrations 0008, 0009); it is listed to be picked again from the list.
STUDENT_CODED = {
    "ethnicity": codelists.ethnic_groups,
    "nationality": codelists.nationalities,
    "birth_province": codelists.provinces,
}
STAFF_CODED = {
    "position": codelists.staff_positions,
    "qualification": codelists.qualifications,
    "employment_type": codelists.employment_kinds,
}


def _not_in_lists(coded: dict[str, Any], values: Iterable[str]) -> list[tuple[str, str]]:
    """(field, value) of each filled value that is not a code of its list."""
    return [
        (name, value)
        for (name, codes), value in zip(coded.items(), values, strict=True)
        if value and value not in codes().codes
    ]


def _not_in_list_message(field: str, value: str) -> str:
    return _("«%(value)s» không có trong danh mục %(field)s; hãy chọn lại trong danh mục.") % {
        "value": value,
        "field": field_label(field).lower(),
    }


def _id_problems(
    personal_id: str, sex: str, date_of_birth: Any, other_document: str = ""
) -> list[identifiers.IdProblem]:
    if not personal_id and other_document:
        return []  # a pupil who is not Vietnamese records another document instead (rules.identity)
    return identifiers.check_personal_id(
        personal_id, sex=sex or None, birth_year=date_of_birth.year if date_of_birth else None
    )


def _id_kind(problem: identifiers.IdProblem) -> str:
    return Kind.UNKNOWN_PROVINCE if problem.code == identifiers.PROVINCE else Kind.ID_MISMATCH


def school_quality(units: list[Unit]) -> list[SchoolQuality]:
    """Scores and problem counts of these schools, in a fixed number of queries."""
    result = {u.pk: SchoolQuality(unit=u) for u in units}
    if not result:
        return []
    # Prefixed: an annotation may not take a field's own name.
    not_blank = {
        f"f_{name}": Count("id", filter=~Q(**{name: ""}))
        for name in ("personal_id", "full_name", "sex", "ethnicity", "address")
    }
    student_rows = (
        _students(units)
        .values("school")
        .annotate(
            n=Count("id"),
            dob=Count("date_of_birth"),
            f_ward=Count("id", filter=_ward_known_or_text()),
            n_ward_text=Count("id", filter=Q(ward__isnull=True) & ~Q(ward_name="")),
            klass=Count("id", filter=_in_class()),
            **not_blank,
        )
        .order_by()
    )
    for r in student_rows:
        q = result[r["school"]]
        q.students = r["n"]
        q.filled += sum(r[k] for k in (*not_blank, "dob", "f_ward", "klass"))
        q.required += STUDENT_FIELDS * r["n"]
        q.problems[Kind.NO_CLASS] += r["n"] - r["klass"]
        q.problems[Kind.WARD_TEXT] += r["n_ward_text"]
    phones = _students(units).filter(_guardian_phone()).values("school").annotate(n=Count("id")).order_by()
    with_phone = {r["school"]: r["n"] for r in phones}
    for pk, q in result.items():
        q.filled += with_phone.get(pk, 0)
        q.problems[Kind.MISSING_GUARDIAN_PHONE] += q.students - with_phone.get(pk, 0)
    staff_rows = (
        Staff.objects.filter(school__in=units, status__in=AT_WORK)
        .values("school")
        .annotate(
            n=Count("id"),
            **{
                f"f_{name}": Count("id", filter=~Q(**{name: ""}))
                for name in ("position", "qualification", "phone", "employment_type")
            },
        )
        .order_by()
    )
    for r in staff_rows:
        q = result[r["school"]]
        q.staff = r["n"]
        q.filled += r["f_position"] + r["f_qualification"] + r["f_phone"] + r["f_employment_type"]
        q.required += STAFF_FIELDS * r["n"]
        q.problems[Kind.STAFF_NO_POSITION] += r["n"] - r["f_position"]
    records = {s.unit_id: s for s in School.objects.filter(unit__in=units)}
    for pk, q in result.items():
        record = records.get(pk)
        missing = _school_missing(record)
        q.required += len(SCHOOL_FIELDS)
        q.filled += len(SCHOOL_FIELDS) - len(missing)
        q.problems[Kind.SCHOOL_CONTACT] += 1 if missing else 0
        if record is not None and record.ward_id is None and record.ward_name:
            q.problems[Kind.WARD_TEXT] += 1
    # One streaming pass for what only Python can check.
    rows = (
        _students(units)
        .values_list("school", "personal_id", "sex", "date_of_birth", "other_document_number", *STUDENT_CODED)
        .order_by()
    )
    for school_id, personal_id, sex, dob, other, *coded in rows.iterator(chunk_size=5000):
        problems = result[school_id].problems
        for problem in _id_problems(personal_id, sex, dob, other):
            problems[_id_kind(problem)] += 1
        if other and not personal_id:
            result[school_id].filled += 1  # the document held instead counts as the identifier
        problems[Kind.NOT_IN_LIST] += len(_not_in_lists(STUDENT_CODED, coded))
    staff = Staff.objects.filter(school__in=units, status__in=AT_WORK).values_list("school", *STAFF_CODED)
    for school_id, *coded in staff.order_by().iterator(chunk_size=5000):
        result[school_id].problems[Kind.NOT_IN_LIST] += len(_not_in_lists(STAFF_CODED, coded))
    return list(result.values())


def _school_missing(record: School | None) -> list[str]:
    if record is None:
        return list(SCHOOL_FIELDS)
    return [name for name in SCHOOL_FIELDS if not (getattr(record, name) or "").strip()]


def total_of(rows: list[SchoolQuality], unit: Unit) -> SchoolQuality:
    """A department's score: all its schools' fields together (a big school weighs more)."""
    total = SchoolQuality(unit=unit)
    for q in rows:
        total.filled += q.filled
        total.required += q.required
        total.students += q.students
        total.staff += q.staff
        total.problems.update(q.problems)
    return total


def school_problems(unit: Unit, *, kind: str = "") -> Iterator[Problem]:
    """Every problem of one school, kind by kind, each with the screen where it is fixed."""
    wanted = (lambda k: k == kind) if kind else (lambda k: True)
    students = _students([unit])
    if wanted(Kind.MISSING_GUARDIAN_PHONE):
        missing = list(
            students.exclude(_guardian_phone()).values_list("pk", "full_name").order_by("sort_key", "pk")
        )
        urls = guardian_phone_urls([pk for pk, _name in missing])
        for pk, name in missing:
            yield Problem(
                Kind.MISSING_GUARDIAN_PHONE,
                name,
                field_label("guardian_phone"),
                _("Chưa có cha mẹ/người giám hộ nào có số điện thoại."),
                urls[pk],
            )
    if wanted(Kind.ID_MISMATCH) or wanted(Kind.UNKNOWN_PROVINCE):
        rows = students.values_list(
            "pk", "full_name", "personal_id", "sex", "date_of_birth", "other_document_number"
        ).order_by("sort_key", "pk")
        for pk, name, personal_id, sex, dob, other in rows.iterator(chunk_size=5000):
            for problem in _id_problems(personal_id, sex, dob, other):
                if wanted(_id_kind(problem)):
                    yield Problem(
                        _id_kind(problem),
                        name,
                        field_label(problem.field),
                        problem.message,
                        _id_fix_url(pk, problem),
                    )
    if wanted(Kind.NO_CLASS):
        for pk, name in (
            students.exclude(_in_class()).values_list("pk", "full_name").order_by("sort_key", "pk")
        ):
            yield Problem(
                Kind.NO_CLASS,
                name,
                field_label("current_class"),
                _("Chưa có lớp trong năm học hiện tại."),
                student_url(pk, FIX_SCREENS[Kind.NO_CLASS]),
            )
    if wanted(Kind.WARD_TEXT):
        rows = (
            students.filter(ward__isnull=True)
            .exclude(ward_name="")
            .values_list("pk", "full_name", "ward_name")
        )
        for pk, name, ward_name in rows.order_by("sort_key", "pk"):
            yield Problem(
                Kind.WARD_TEXT,
                name,
                field_label("ward"),
                _("«%(ward)s» không có trong danh mục phường/xã; hãy chọn phường/xã đúng.")
                % {"ward": ward_name},
                student_url(pk, FIX_SCREENS[Kind.WARD_TEXT]),
            )
    record = School.objects.filter(unit=unit).first()
    if wanted(Kind.WARD_TEXT) and record is not None and record.ward_id is None and record.ward_name:
        yield Problem(
            Kind.WARD_TEXT,
            unit.name,
            field_label("ward"),
            _("«%(ward)s» không có trong danh mục phường/xã; hãy chọn phường/xã đúng.")
            % {"ward": record.ward_name},
            school_url(unit),
        )
    if wanted(Kind.STAFF_NO_POSITION):
        staff = Staff.objects.filter(school=unit, status__in=AT_WORK, position="").values_list(
            "pk", "full_name"
        )
        for pk, name in staff.order_by("sort_key", "pk"):
            yield Problem(
                Kind.STAFF_NO_POSITION,
                name,
                field_label("position"),
                _("Chưa khai báo vị trí việc làm."),
                staff_url(pk),
            )
    if wanted(Kind.NOT_IN_LIST):
        rows = students.values_list("pk", "full_name", *STUDENT_CODED).order_by("full_name", "pk")
        for pk, name, *coded in rows.iterator(chunk_size=5000):
            for field, value in _not_in_lists(STUDENT_CODED, coded):
                yield Problem(
                    Kind.NOT_IN_LIST,
                    name,
                    field_label(field),
                    _not_in_list_message(field, value),
                    student_url(pk),
                )
        staff_rows = Staff.objects.filter(school=unit, status__in=AT_WORK).values_list(
            "pk", "full_name", *STAFF_CODED
        )
        for pk, name, *coded in staff_rows.order_by("full_name", "pk"):
            for field, value in _not_in_lists(STAFF_CODED, coded):
                yield Problem(
                    Kind.NOT_IN_LIST,
                    name,
                    field_label(field),
                    _not_in_list_message(field, value),
                    staff_url(pk),
                )
    if wanted(Kind.SCHOOL_CONTACT):
        missing = _school_missing(record)
        if missing:
            yield Problem(
                Kind.SCHOOL_CONTACT,
                unit.name,
                ", ".join(field_label(name) for name in missing),
                _("Hồ sơ trường còn thiếu: %(fields)s.")
                % {"fields": ", ".join(field_label(n) for n in missing)},
                school_url(unit),
            )


def school_units(queryset: QuerySet[Unit]) -> list[Unit]:
    return list(queryset.filter(kind=UnitKind.SCHOOL).order_by("name", "pk"))
