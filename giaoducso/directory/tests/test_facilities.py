"""Rooms and equipment: scoping, create/edit with audit, validation, exports, no N+1."""

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import services
from giaoducso.directory.models import Equipment, Room
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    return build_directory(world)


def test_rooms_and_equipment_scoped(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    assert [r.name for r in client.get(reverse("directory:room_list")).context["page"]] == ["P.101"]
    assert [e.name for e in client.get(reverse("directory:equipment_list")).context["page"]] == ["Máy chiếu"]
    assert (
        client.get(reverse("directory:room_edit", args=[directory.room_a.pk])).status_code == 404
    )  # no change perm
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("directory:room_edit", args=[directory.room_b.pk])).status_code == 404
    assert client.get(reverse("directory:equipment_edit", args=[directory.equipment_b.pk])).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    page = client.get(reverse("directory:room_list"), {"kind": "computer_lab"}).context["page"]
    assert [r.name for r in page] == ["Tin 1"]


def test_room_create_edit_audited(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:room_create", args=["TA01"])
    assert (
        client.post(
            url, {"kind": "library", "name": "Thư viện", "area_m2": "60.5", "condition": "good"}
        ).status_code
        == 302
    )
    room = Room.objects.get(name="Thư viện")
    assert str(room.area_m2) == "60.5"
    edit = reverse("directory:room_edit", args=[room.pk])
    assert (
        client.post(
            edit, {"kind": "library", "name": "Thư viện", "area_m2": "60.5", "condition": "fair"}
        ).status_code
        == 302
    )
    assert lines_by_people().get(object_type="directory.room", action="update").changes == {
        "condition": ["good", "fair"]
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "classroom", "name": "p.101", "condition": "good"}, "name"),  # same name, other case
        ({"kind": "classroom", "name": "P.102", "area_m2": "-3", "condition": "good"}, "area_m2"),
        ({"kind": "classroom", "name": "P.102", "area_m2": "abc", "condition": "good"}, "area_m2"),
        ({"kind": "garage", "name": "P.102", "condition": "good"}, "kind"),
    ],
)
def test_room_bad_input_is_400(client, world, directory, data, field):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(reverse("directory:room_create", args=["TA01"]), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Room.objects.filter(school=world.school_a).count() == 1


def test_equipment_create_edit(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:equipment_create", args=["TA01"])
    response = client.post(
        url, {"name": "Máy tính", "quantity": "25", "condition": "good", "room": directory.room_a.pk}
    )
    assert response.status_code == 302
    item = Equipment.objects.get(school=world.school_a, name="Máy tính")
    assert item.quantity == 25 and item.room == directory.room_a
    # A room of another school is not a valid choice.
    response = client.post(
        url, {"name": "Loa", "quantity": "1", "condition": "good", "room": directory.room_b.pk}
    )
    assert response.status_code == 400 and "room" in response.context["form"].errors
    response = client.post(url, {"name": "Loa", "quantity": "-1", "condition": "good"})
    assert response.status_code == 400 and "quantity" in response.context["form"].errors
    edit = reverse("directory:equipment_edit", args=[item.pk])
    assert client.post(edit, {"name": "Máy tính", "quantity": "24", "condition": "poor"}).status_code == 302
    changes = lines_by_people().get(object_type="directory.equipment", action="update").changes
    assert changes["quantity"] == [25, 24] and changes["room"] == [directory.room_a.pk, None]


def test_exports_and_query_counts(client, world, directory, django_assert_max_num_queries):
    for n in range(12):
        room = services.room_create(actor=None, school=world.school_a, kind="classroom", name=f"P.2{n:02d}")
        services.equipment_create(actor=None, school=world.school_a, name=f"Bảng {n}", room=room)
    sign_in(client, world.user(Role.PRINCIPAL))
    for name in ("room_list", "equipment_list"):
        client.get(reverse(f"directory:{name}"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse(f"directory:{name}"))
        assert len(response.context["page"]) == 13
    page = client.get(reverse("directory:room_list")).context["page"]
    assert {r.name: r.equipment_count for r in page}["P.101"] == 1
    for name in ("room_export", "equipment_export"):
        assert client.get(reverse(f"directory:{name}"), {"school": "TA01"}).status_code == 200
    assert [e.changes["rows"] for e in lines_by_people().filter(action="export").order_by("id")] == [13, 13]
    assert lines_by_people().filter(action="export", unit=world.school_a).count() == 2
