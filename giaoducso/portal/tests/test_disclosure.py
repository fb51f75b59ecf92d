"""The legal disclosure: live figures frozen into each version, every version kept, deadlines, the board."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.portal import disclosure_sources
from giaoducso.portal.models import DisclosureDraft, DisclosureVersion, Requirement
from giaoducso.portal.services import disclosure
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, RoomFactory, StaffFactory, StudentFactory
from rules.disclosure_deadlines import ItemState

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(portal):
    """School A with staff, a class of pupils and rooms."""
    StaffFactory(school=portal.school_a, position="GV", qualification="DH")
    StaffFactory(school=portal.school_a, position="GV", qualification="THS")
    StaffFactory(school=portal.school_a, position="HT", qualification="THS")
    klass = ClassFactory(school=portal.school_a, name="6/1")
    for n in range(3):
        StudentFactory(school=portal.school_a, full_name=f"Học Trò {n}", current_class=klass)
    RoomFactory(school=portal.school_a, name="P.101", area_m2=50)
    RoomFactory(school=portal.school_a, name="P.102", area_m2=48)
    portal.klass = klass
    return portal


def _live(code):
    return Requirement.objects.get(code=code)


def test_published_figures_equal_the_database_then_and_do_not_follow_it_afterwards(school):
    school_unit = school.school_a
    staff_item, classes_item, rooms_item = (
        _live("d8-doi-ngu"),
        _live("d9-lop-hoc-sinh"),
        _live("d8-co-so-vat-chat"),
    )
    before = {
        r.code: disclosure_sources.read(r.source, school_unit, r.parameters)
        for r in (staff_item, classes_item, rooms_item)
    }
    versions = disclosure.disclosure_publish(
        actor=school.user(Role.PRINCIPAL),
        school=school_unit,
        requirements=[staff_item, classes_item, rooms_item],
    )
    frozen = {v.requirement.code: v.data for v in versions}
    assert frozen == before  # what was published is what the database said at that moment
    assert frozen["d8-doi-ngu"]["rows"][-1][-1] == 3  # three working staff in the total
    assert frozen["d9-lop-hoc-sinh"]["rows"] == [["Khối 6", 1, 3], ["Tổng số", 1, 3]]

    # The database moves on: a new teacher, a new pupil, a new room.
    StaffFactory(school=school_unit, position="GV", qualification="DH")
    StudentFactory(
        school=school_unit,
        full_name="Học Trò Mới",
        current_class=school.school_a.schoolclass_set.first()
        if hasattr(school.school_a, "schoolclass_set")
        else None,
    )
    RoomFactory(school=school_unit, name="P.103", area_m2=60)
    for version in DisclosureVersion.objects.filter(pk__in=[v.pk for v in versions]):
        assert version.data == frozen[version.requirement.code]
    assert disclosure_sources.read("staff", school_unit, {}) != frozen["d8-doi-ngu"]
    # And the public page shows the frozen copy, not the live figures.
    body = Client().get(reverse("site:disclosure", args=["TA01"])).content.decode()
    assert "Giáo viên" in body
    total_cells = disclosure_sources.read("staff", school_unit, {})["rows"][-1][-1]
    assert total_cells == 4 and ">4<" not in body.split("Đội ngũ theo vị trí")[1].split("</table>")[0]


def test_every_version_is_kept_with_its_date_and_the_history_is_public(school, client):
    item = _live("d4-thong-tin-chung")
    principal = school.user(Role.PRINCIPAL)
    with pytest.raises(ValidationError):
        disclosure.disclosure_publish(actor=principal, school=school.school_a, requirements=[item])  # empty
    disclosure.disclosure_save(
        actor=principal, school=school.school_a, requirement=item, text="<p>Bản một</p>"
    )
    disclosure.disclosure_publish(actor=principal, school=school.school_a, requirements=[item])
    disclosure.disclosure_save(
        actor=principal, school=school.school_a, requirement=item, text="<p>Bản hai</p><script>x</script>"
    )
    disclosure.disclosure_publish(actor=principal, school=school.school_a, requirements=[item])
    versions = list(DisclosureVersion.objects.filter(requirement=item).order_by("number"))
    assert [v.number for v in versions] == [1, 2] and "script" not in versions[1].text
    page = client.get(reverse("site:disclosure", args=["TA01"])).content.decode()
    assert "Bản hai" in page and "Bản một" not in page
    history = client.get(reverse("site:disclosure_history", args=["TA01", item.code])).content.decode()
    assert (
        "Bản một" in history
        and "Bản hai" in history
        and versions[0].published_at.strftime("%d/%m/%Y") in history
    )


def test_a_change_after_publication_starts_the_ten_working_day_clock_and_the_board_shows_it(school):
    item = _live("d4-thong-tin-chung")
    principal = school.user(Role.PRINCIPAL)
    disclosure.disclosure_save(actor=principal, school=school.school_a, requirement=item, text="<p>A</p>")
    june = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    disclosure.disclosure_publish(actor=principal, school=school.school_a, requirements=[item], now=june)
    disclosure.disclosure_save(
        actor=principal, school=school.school_a, requirement=item, text="<p>B</p>", today=dt.date(2026, 9, 1)
    )
    board = disclosure.board(under=school.department, today=dt.date(2026, 9, 16))
    row = next(r for r in board["rows"] if r.get("school") == school.school_a)
    cell = row["cells"][board["requirements"].index(item)]
    assert cell.state == ItemState.UPDATE_LATE and cell.due == dt.date(2026, 9, 15)
    # School B published nothing: every applicable item is late after 30 June.
    row_b = next(r for r in board["rows"] if r["school"] == school.school_b)
    assert row_b["late"] == sum(1 for c in row_b["cells"] if c)


def test_the_daily_check_finds_changed_live_figures_and_reminds_the_school(school):
    item = _live("d8-doi-ngu")
    disclosure.disclosure_publish(
        actor=school.user(Role.PRINCIPAL), school=school.school_a, requirements=[item]
    )
    assert disclosure.detect_live_changes(dt.date(2026, 10, 1))["marked"] == 0
    StaffFactory(school=school.school_a, position="GV", qualification="CD")
    assert disclosure.detect_live_changes(dt.date(2026, 10, 1))["marked"] == 1
    assert DisclosureDraft.objects.get(school=school.school_a, requirement=item).changed_on == dt.date(
        2026, 10, 1
    )
    result = disclosure.remind(dt.date(2026, 10, 30))
    assert result["schools_reminded"] >= 1
    assert school.user(Role.PRINCIPAL).notifications.filter(title__startswith="Trễ hạn công khai").exists()
    # Once a week at most.
    before = school.user(Role.PRINCIPAL).notifications.count()
    disclosure.remind(dt.date(2026, 10, 31))
    assert school.user(Role.PRINCIPAL).notifications.count() == before


def test_screens_prepare_publish_and_the_department_board(school):
    item = _live("d5-hoc-phi")
    office = sign_in(Client(), school.user(Role.SCHOOL_OFFICE))
    url = reverse("portal:disclosure_item", args=["TA01", item.pk])
    assert office.post(url, {"text": "<p>Học phí 0 đồng</p>"}).status_code == 302
    # The office prepares; only the principal publishes.
    assert (
        office.post(reverse("portal:disclosure_publish", args=["TA01"]), {"requirement": item.pk}).status_code
        == 404
    )
    principal = sign_in(Client(), school.user(Role.PRINCIPAL))
    assert (
        principal.post(
            reverse("portal:disclosure_publish", args=["TA01"]), {"requirement": item.pk}
        ).status_code
        == 302
    )
    assert DisclosureVersion.objects.filter(requirement=item, school=school.school_a).count() == 1
    assert (
        principal.post(reverse("portal:disclosure_publish", args=["TA01"]), {"requirement": "x"}).status_code
        == 404
    )
    board = sign_in(Client(), school.user(Role.DEPARTMENT_OFFICER)).get(reverse("portal:board"))
    assert board.status_code == 200 and "Trường THCS Hậu Giang" in board.content.decode()
    for role in (Role.PRINCIPAL, Role.TEACHER, Role.PORTAL_EDITOR):
        assert sign_in(Client(), school.user(role)).get(reverse("portal:board")).status_code == 404
    # School B's staff cannot prepare school A's items.
    assert sign_in(Client(), school.stranger).get(url).status_code == 404


def test_the_department_edits_unconfirmed_items_and_only_deadlines_of_confirmed_ones(school):
    confirmed, unconfirmed = _live("d4-thong-tin-chung"), _live("d14-bao-cao-nam")
    with pytest.raises(ValidationError):
        disclosure.requirement_update(actor=None, requirement=confirmed, title="Khác")
    disclosure.requirement_update(actor=None, requirement=confirmed, due_month=7, due_day=15)
    disclosure.requirement_update(actor=None, requirement=unconfirmed, title="Báo cáo thường niên (sửa)")
    with pytest.raises(ValidationError):
        disclosure.requirement_update(actor=None, requirement=unconfirmed, due_month=2, due_day=31)
    officer = sign_in(Client(), school.user(Role.DEPARTMENT_OFFICER))
    assert officer.get(reverse("portal:requirement_edit", args=[unconfirmed.pk])).status_code == 200
    assert (
        sign_in(Client(), school.user(Role.PRINCIPAL))
        .get(reverse("portal:requirement_edit", args=[unconfirmed.pk]))
        .status_code
        == 404
    )
