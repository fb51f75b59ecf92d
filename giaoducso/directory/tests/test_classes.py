"""Classes and the students in them: scoping, grade rules, homeroom teachers, enrolment history,
status history, guardians, student creation with identifier checks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import services
from giaoducso.directory.models import Enrolment, SchoolClass, Sex, Student, StudentStatusEvent
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StudentFactory, personal_id
from rules.text import name_sort_key

from .directory_fixtures import build_directory, put_in_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    return build_directory(world)


def test_class_list_scoped_with_counts(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    page = client.get(reverse("directory:class_list")).context["page"]
    assert {(c.name, c.student_count) for c in page} == {("6/1", 2), ("6/2", 0)}
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    page = client.get(reverse("directory:class_list"), {"school": "TB02"}).context["page"]
    assert [c.name for c in page] == ["7/1"]
    page = client.get(reverse("directory:class_list"), {"grade": "6"}).context["page"]
    assert sorted(c.name for c in page) == ["6/1", "6/2"]


def test_class_detail_scoped(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    response = client.get(reverse("directory:class_detail", args=[directory.class_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Minh Con" in body and "Trần Thị Chủ Nhiệm" in body
    assert client.get(reverse("directory:class_detail", args=[directory.class_b.pk])).status_code == 404
    assert client.get(reverse("directory:class_edit", args=[directory.class_a.pk])).status_code == 404


def test_parent_sees_no_class_list(client, world, directory):
    sign_in(client, world.user(Role.PARENT))
    assert list(client.get(reverse("directory:class_list")).context["page"]) == []
    assert client.get(reverse("directory:class_detail", args=[directory.class_a.pk])).status_code == 404


def test_create_class_parses_name_and_is_audited(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:class_create", args=["TA01"])
    response = client.post(
        url, {"year": directory.year.pk, "name": " 7 / a ", "homeroom_teacher": directory.teacher_a.pk}
    )
    assert response.status_code == 302
    created = SchoolClass.objects.get(school=world.school_a, name="7/A")
    assert created.grade == 7 and created.homeroom_teacher == directory.teacher_a
    assert (
        lines_by_people()
        .filter(object_type="directory.schoolclass", object_id=str(created.pk), action="create")
        .exists()
    )
    assert client.get(reverse("directory:class_create", args=["TB02"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "message"),
    [("Lớp Một", "khối/lớp"), ("3/1", "không dạy khối 3"), ("6/1", "đã có bản ghi trùng"), ("", "bắt buộc")],
)
def test_create_class_refuses_bad_names(client, world, directory, name, message):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(
        reverse("directory:class_create", args=["TA01"]), {"year": directory.year.pk, "name": name}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SchoolClass.objects.filter(school=world.school_a).count() == 2


def test_homeroom_teacher_must_work_at_the_school(world, directory):
    with pytest.raises(ValidationError) as exc:
        services.class_update(
            actor=None, school_class=directory.class_a, homeroom_teacher=directory.teacher_b
        )
    assert "homeroom_teacher" in exc.value.message_dict
    # A teacher of B posted to A as well may be a homeroom teacher in A.
    services.staff_assign(actor=None, staff=directory.teacher_b, school=world.school_a)
    services.class_update(actor=None, school_class=directory.class_a2, homeroom_teacher=directory.teacher_b)
    assert SchoolClass.objects.get(pk=directory.class_a2.pk).homeroom_teacher == directory.teacher_b


def test_class_edit_form_lists_only_the_schools_people(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:class_edit", args=[directory.class_a2.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["homeroom_teacher"].queryset) == [directory.teacher_a]
    response = client.post(url, {"name": "6/2", "homeroom_teacher": directory.teacher_b.pk})
    assert response.status_code == 400


def test_class_list_export_audited(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:class_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert lines_by_people().get(action="export").changes["rows"] == 2


def test_class_list_has_no_n_plus_one(client, world, directory, django_assert_max_num_queries):
    for n in range(3, 10):
        school_class = services.class_create(
            actor=None,
            school=world.school_a,
            year=directory.year,
            name=f"8/{n}",
            homeroom_teacher=directory.teacher_a,
        )
        for _ in range(3):
            put_in_class(StudentFactory(school=world.school_a), school_class)
    sign_in(client, world.user(Role.PRINCIPAL))
    client.get(reverse("directory:class_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:class_list"))
    assert len(response.context["page"]) == 9


# --- students: create, class, status, guardians ------------------------------------------------------


def _create_data(**overrides):
    data = {
        "personal_id": personal_id(Sex.FEMALE, 2014),
        "full_name": "  Trần   Thị   Mới ",
        "date_of_birth": "02/03/2014",
        "sex": "F",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    }
    data.update(overrides)
    return data


def test_create_student_enrols_and_starts_history(client, world, directory):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    data = _create_data(school_class=directory.class_a2.pk, start_date="05/09/2026")
    response = client.post(reverse("directory:student_create", args=["TA01"]), data)
    assert response.status_code == 302
    student = Student.objects.get(personal_id=data["personal_id"])
    assert student.full_name == "Trần Thị Mới" and student.search_name == "tran thi moi"
    assert student.sort_key == name_sort_key("Trần Thị Mới")
    assert student.current_class == directory.class_a2 and student.status == "studying"
    assert [(e.status, e.date) for e in student.status_events.all()] == [("studying", dt.date(2026, 9, 5))]
    assert student.enrolments.get().school_class == directory.class_a2
    assert (
        lines_by_people()
        .filter(object_type="directory.student", action="create", unit=world.school_a)
        .exists()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "M"}, "sex"),  # the 4th digit says female
        ({"date_of_birth": "02/03/2013"}, "date_of_birth"),  # the 5th-6th digits say 2014
        ({"personal_id": "07931400000"}, "personal_id"),
        ({"date_of_birth": "31/02/2014"}, "date_of_birth"),
        ({"ministry_code": "12ab"}, "ministry_code"),
    ],
)
def test_create_student_refuses_mismatched_identifiers(client, world, directory, overrides, field):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(reverse("directory:student_create", args=["TA01"]), _create_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Student.objects.filter(full_name="Trần Thị Mới").exists()


def test_create_student_only_in_own_school(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("directory:student_create", args=["TB02"])).status_code == 404
    # A class of another school cannot be chosen (it is not among the choices).
    response = client.post(
        reverse("directory:student_create", args=["TA01"]), _create_data(school_class=directory.class_b.pk)
    )
    assert response.status_code == 400 and "school_class" in response.context["form"].errors
    client.logout()
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:student_create", args=["TA01"])).status_code == 404


def test_change_class_keeps_history(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:student_set_class", args=[world.child.pk])
    response = client.post(url, {"cls-school_class": directory.class_a2.pk, "cls-date": "10/10/2026"})
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.current_class == directory.class_a2
    history = list(Enrolment.objects.filter(student=world.child).order_by("start_date"))
    assert [(e.school_class.name, e.end_date) for e in history] == [
        ("6/1", dt.date(2026, 10, 10)),
        ("6/2", None),
    ]
    detail = client.get(reverse("directory:student_detail", args=[world.child.pk])).content.decode()
    assert "6/1" in detail and "10/10/2026" in detail
    # Into a class of another school: refused as an invalid choice, nothing changes.
    response = client.post(url, {"cls-school_class": directory.class_b.pk, "cls-date": "11/10/2026"})
    assert response.status_code == 400
    assert Enrolment.objects.filter(student=world.child).count() == 2


def test_change_status_appends_history(client, world, directory):
    services.student_set_status(actor=None, student=world.child, status="studying", date=dt.date(2026, 9, 5))
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:student_set_status", args=[world.child.pk])
    response = client.post(
        url, {"st-status": "dropped_out", "st-date": "01/12/2026", "st-note": "Gia đình chuyển"}
    )
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.status == "dropped_out"
    events = list(StudentStatusEvent.objects.filter(student=world.child).values_list("status", "date"))
    assert events == [("studying", dt.date(2026, 9, 5)), ("dropped_out", dt.date(2026, 12, 1))]
    # A date before the latest event would rewrite history: refused.
    response = client.post(url, {"st-status": "returned", "st-date": "01/11/2026"})
    assert response.status_code == 400 and "date" in response.context["status_form"].errors
    assert StudentStatusEvent.objects.filter(student=world.child).count() == 2
    # Teachers cannot change status; other schools' students are 404.
    assert (
        client.post(reverse("directory:student_set_status", args=[world.student_b.pk]), {}).status_code == 404
    )
    client.logout()
    sign_in(client, world.user(Role.TEACHER))
    assert client.post(url, {"st-status": "returned", "st-date": "02/12/2026"}).status_code == 404


def test_guardians_add_edit_remove(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    add = reverse("directory:guardian_add", args=[world.child.pk])
    response = client.post(
        add, {"full_name": " Lê  Văn Bố ", "relation": "Cha", "phone": "+84 912 345 678", "is_primary": "on"}
    )
    assert response.status_code == 302
    father = world.child.guardians.get(relation="Cha")
    assert father.full_name == "Lê Văn Bố" and father.phone == "0912345678" and father.is_primary
    assert world.child.guardians.filter(is_primary=True).count() == 1  # the mother stops being primary
    bad = client.post(add, {"full_name": "X", "relation": "Cha", "phone": "123"})
    assert bad.status_code == 400 and "phone" in bad.context["form"].errors
    edit = reverse("directory:guardian_edit", args=[world.child.pk, father.pk])
    assert (
        client.post(
            edit, {"full_name": "Lê Văn Bố", "relation": "Bố", "phone": "0912345678", "is_primary": "on"}
        ).status_code
        == 302
    )
    assert lines_by_people().get(object_type="directory.guardian", action="update").changes["relation"] == [
        "Cha",
        "Bố",
    ]
    remove = reverse("directory:guardian_remove", args=[world.child.pk, father.pk])
    assert client.post(remove).status_code == 302
    assert not world.child.guardians.filter(pk=father.pk).exists()
    assert world.child.guardians.get().is_primary  # the remaining guardian becomes the primary contact
    assert lines_by_people().filter(object_type="directory.guardian", action="delete").count() == 1
    other = world.student_b.guardians.create(school=world.school_b, full_name="Phụ huynh B")
    assert (
        client.get(reverse("directory:guardian_edit", args=[world.student_b.pk, other.pk])).status_code == 404
    )
    assert client.get(reverse("directory:guardian_edit", args=[world.child.pk, other.pk])).status_code == 404


def test_student_detail_shows_actions_only_to_who_may_change(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    response = client.get(reverse("directory:student_detail", args=[world.child.pk]))
    assert response.context["class_form"] is None and "Chuyển lớp" not in response.content.decode()
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    assert (
        "Chuyển lớp"
        in client.get(reverse("directory:student_detail", args=[world.child.pk])).content.decode()
    )


def test_student_export_needs_export_permission(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:student_export")).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:student_export"))
    assert response.status_code == 200
    assert lines_by_people().get(action="export").changes["rows"] == 2
