"""Form messages in plain Vietnamese (defect 10): a date that does not exist, a required field, a
duplicate, a date range that cannot hold; and forms that leave the wording to us, not to the browser."""

import re

import pytest
from django import forms
from django.urls import reverse

from giaoducso.core import audit
from giaoducso.core.forms import DayMonthYearField
from giaoducso.core.roles import Role
from giaoducso.directory.forms import StudentForm
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


class _DateForm(forms.Form):
    day = DayMonthYearField()


def test_a_date_that_does_not_exist_is_told_so_not_sent_back_to_the_format():
    form = _DateForm({"day": "31/02/2014"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Ngày 31/02/2014 không có thật."]
    assert "dd/mm/yyyy" in _DateForm({"day": "2014-02-31x"}).errors["day"][0]
    assert _DateForm({"day": "28/02/2014"}).is_valid()


def test_the_student_form_says_the_birth_date_does_not_exist(world):
    form = StudentForm(
        {"full_name": "Lê Minh", "date_of_birth": "31/02/2014", "sex": "M"}, instance=world.child
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Ngày 31/02/2014 không có thật."]


def test_djangos_required_message_does_not_read_as_this_school():
    errors = _DateForm({}).errors["day"]
    assert errors == ["Mục này là bắt buộc."]


def test_a_duplicate_names_the_field_in_vietnamese(world):
    from giaoducso.core.models import Unit

    form = forms.modelform_factory(Unit, fields=["code", "name", "kind"])(
        {"code": world.school_a.code, "name": "Trùng mã", "kind": world.school_a.kind}
    )
    assert not form.is_valid()
    message = form.errors["code"][0]
    assert "already exists" not in message and "đã tồn tại" not in message
    assert "Mã" in message and "đã được dùng" in message


def test_an_audit_filter_ending_before_it_starts_is_an_error_and_lists_nothing(client, world):
    audit.record(actor="test", action="update", object_type="directory.student", unit=world.school_a)
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    response = client.get(reverse("core:audit_list"), {"date_from": "10/05/2026", "date_to": "01/05/2026"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“Từ ngày” phải trước hoặc bằng “Đến ngày”." in body
    assert len(response.context["page"].object_list) == 0


def test_filter_forms_leave_validation_messages_to_the_server(client, world):
    sign_in(client, world.user(Role.PRINCIPAL))
    body = client.get(reverse("directory:student_list")).content.decode()
    assert re.search(r'<form method="get" class="filters"[^>]*novalidate', body)
