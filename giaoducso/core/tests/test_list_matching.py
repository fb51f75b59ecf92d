"""The unit and account lists match names like the search page does (core.text_match).

Before: "nguyen van" found no account named Nguyễn Văn, "NGUYỄN VĂN AN" none either, and the unit list
behaved the same with units' names.
"""

import pytest
from django.urls import reverse

from giaoducso.core import selectors, services
from giaoducso.core.models import Unit, User
from giaoducso.core.roles import Role
from giaoducso.core.text_match import query_words
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn An", "Nguyễn Văn Bình", "Trần Văn Nguyên", "Lê Văn An"]
QUERIES = [
    (["Nguyễn Văn", "nguyen van", "NGUYEN VAN", "nguyễn   văn"], {"Nguyễn Văn An", "Nguyễn Văn Bình"}),
    (["Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyen van an", "nguyen  van   an"], {"Nguyễn Văn An"}),
    (["van an", "VĂN  AN"], {"Nguyễn Văn An", "Lê Văn An"}),
]
CASES = [(query, expected) for queries, expected in QUERIES for query in queries]


def test_query_words_fold_like_the_stored_names():
    assert query_words("  NGUYỄN   Văn_An% ") == ["nguyen", "vanan"]
    assert query_words("%_\\") == [] and query_words("") == []


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_unit_list_matches_like_search(client, world, query, expected):
    for name in NAMES:
        UnitFactory(name=f"Trường Tiểu học {name}", parent=world.department)
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.get(reverse("core:unit_list"), {"q": query})
    assert response.status_code == 200
    assert {unit.name for unit in response.context["page"]} == {f"Trường Tiểu học {n}" for n in expected}


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_account_list_and_export_match_like_search(client, world, query, expected):
    for n, name in enumerate(NAMES):
        MembershipFactory(user=UserFactory(username=f"gv{n}", full_name=name), unit=world.school_a)
    principal = world.user(Role.PRINCIPAL)
    sign_in(client, principal)
    response = client.get(reverse("core:user_list"), {"q": query})
    assert response.status_code == 200
    assert {person.full_name for person in response.context["page"]} == expected
    assert {person.full_name for person in selectors.user_list(user=principal, q=query)} == expected


def test_renamed_units_and_users_are_found_by_their_new_name(world):
    services.unit_update(actor=None, unit=world.school_b, name="Trường THCS Lê Quý Đôn")
    services.user_update(actor=None, user=world.stranger, full_name="Đặng Thị Ánh")
    officer = world.user(Role.DEPARTMENT_OFFICER)
    assert list(selectors.unit_list(user=officer, q="le quy don")) == [Unit.objects.get(code="TB02")]
    assert list(selectors.user_list(user=officer, q="dang thi anh")) == [
        User.objects.get(username="w_stranger")
    ]
    assert list(selectors.unit_list(user=officer, q="hau giang")) == []


def test_the_code_and_username_still_match(world):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    assert [u.code for u in selectors.unit_list(user=officer, q="ta01")] == ["TA01"]
    assert [u.username for u in selectors.user_list(user=officer, q="w_stranger")] == ["w_stranger"]


def test_a_unit_renamed_in_the_back_office_is_found_by_its_new_name(client, world):
    it_officer = world.user(Role.DEPARTMENT_IT)
    sign_in(client, it_officer, verified=True)
    response = client.post(
        f"/admin/core/unit/{world.school_b.pk}/change/",
        {
            "kind": "school",
            "code": "TB02",
            "name": "Trường THCS Lê Quý Đôn",
            "short_name": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [u.code for u in selectors.unit_list(user=it_officer, q="LE QUY DON")] == ["TB02"]
