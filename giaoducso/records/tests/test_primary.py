"""The primary grade book (a level and, where the circular tests, a score per checkpoint) and the
homeroom teacher's qualities and competences page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.records import services
from giaoducso.records.models import Mark, QualityMark
from giaoducso.records.services.qualities import QualityEntry, qualities_write
from giaoducso.testing.auth import sign_in

from .records_fixtures import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(world):
    return build_records(world)


def test_a_tested_subject_shows_a_score_beside_the_level_where_the_circular_tests(client, world, rec):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    body = client.get(
        reverse("records:gradebook", args=[rec.primary_class.pk, rec.toan_th.pk])
    ).content.decode()
    pid = rec.pupil.pk
    # Grade 5 Toán: tests at all four checkpoints; Đạo đức: none.
    for term, kind in ((1, "gk"), (1, "ck"), (2, "gk"), (2, "ck")):
        assert f'name="c-{pid}-{term}-{kind}-1"' in body and f'name="t-{pid}-{term}-{kind}-1"' in body
    assert 'data-field="value"' in body
    body = client.get(
        reverse("records:gradebook", args=[rec.primary_class.pk, rec.dao_duc.pk])
    ).content.decode()
    assert f'name="c-{pid}-1-ck-1"' in body and f'name="t-{pid}-1-ck-1"' not in body


def test_the_cell_save_keeps_the_level_when_the_score_is_typed_and_back(client, world, rec):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:cell_save", args=[rec.primary_class.pk, rec.toan_th.pk])
    base = {"student": rec.pupil.pk, "term": 1, "kind": "ck", "index": 1}
    assert client.post(url, {**base, "level": "T"}).json()["level"] == "T"
    answer = client.post(url, {**base, "value": "9"}).json()
    assert answer == {**answer, "level": "T", "value": "9"}
    answer = client.post(url, {**base, "level": "h"}).json()  # the stored 9 stays
    assert answer["level"] == "H" and answer["value"] == "9"
    mark = Mark.objects.get(student=rec.pupil)
    assert (mark.level, mark.value) == (1, 9)
    refused = client.post(url, {**base, "value": "8,5"})
    assert refused.status_code == 400 and refused.json()["code"] == "not_an_integer"
    refused = client.post(url, {**base, "level": "X"})
    assert refused.status_code == 400 and "T/H/C" in refused.json()["error"]
    dd = reverse("records:cell_save", args=[rec.primary_class.pk, rec.dao_duc.pk])
    refused = client.post(dd, {**base, "value": "7"})
    assert refused.status_code == 400 and refused.json()["code"] == "not_tested"
    assert Mark.objects.get(student=rec.pupil).value == 9


def test_the_grid_without_script_saves_levels_and_scores(client, world, rec):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:gradebook", args=[rec.primary_class.pk, rec.toan_th.pk])
    pid, pid2 = rec.pupil.pk, rec.pupil2.pk
    response = client.post(url, {f"c-{pid}-1-ck-1": "T", f"t-{pid}-1-ck-1": "10", f"c-{pid2}-1-gk-1": "C"})
    assert response.status_code == 302
    assert sorted(Mark.objects.values_list("level", "value")) == [(0, None), (2, 10)]
    response = client.post(url, {f"t-{pid}-1-ck-1": "11", f"c-{pid}-1-ck-1": "T"}, follow=True)
    assert "0 đến 10" in response.content.decode()
    assert Mark.objects.get(student=rec.pupil).value == 10


def test_qualities_are_written_by_the_homeroom_teacher_only_and_audited(world, rec):
    teacher = world.user(Role.HOMEROOM_TEACHER)
    entries = [QualityEntry(rec.pupil.pk, "yeu_nuoc", 2), QualityEntry(rec.pupil.pk, "tu_chu_tu_hoc", 1)]
    assert (
        qualities_write(actor=teacher, school_class=rec.primary_class, term=1, kind="ck", entries=entries)
        == 2
    )
    assert AuditEntry.objects.filter(object_type="records.qualitymark", action="create").count() == 2
    qualities_write(
        actor=teacher,
        school_class=rec.primary_class,
        term=1,
        kind="ck",
        entries=[
            QualityEntry(rec.pupil.pk, "yeu_nuoc", 0),
            QualityEntry(rec.pupil.pk, "tu_chu_tu_hoc", None),
        ],
    )
    assert list(QualityMark.objects.values_list("item", "level")) == [("yeu_nuoc", 0)]
    assert AuditEntry.objects.filter(object_type="records.qualitymark").count() == 4
    with pytest.raises(PermissionDenied):
        qualities_write(
            actor=world.user(Role.TEACHER), school_class=rec.primary_class, term=1, kind="ck", entries=entries
        )
    with pytest.raises(ValidationError):
        qualities_write(
            actor=teacher,
            school_class=rec.primary_class,
            term=1,
            kind="ck",
            entries=[QualityEntry(rec.pupil.pk, "x", 1)],
        )
    with pytest.raises(ValidationError):  # a secondary class has no qualities to assess
        qualities_write(actor=teacher, school_class=rec.directory.class_a, term=1, kind="ck", entries=[])


def test_a_locked_term_refuses_qualities_with_the_reason(client, world, rec):
    services.term_lock(
        actor=world.user(Role.PRINCIPAL), school=world.school_a, year=rec.directory.year, term=1
    )
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:qualities", args=[rec.primary_class.pk]) + "?at=1-ck"
    response = client.post(url, {f"q-{rec.pupil.pk}-yeu_nuoc": "T"})
    assert response.status_code == 400 and "khoá" in response.content.decode().lower()
    assert not QualityMark.objects.exists()


def test_the_qualities_page(client, world, rec):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:qualities", args=[rec.primary_class.pk])
    page = client.get(url + "?at=2-ck").content.decode()
    assert "Yêu nước" in page and "Giải quyết vấn đề và sáng tạo" in page and "Ngô Bé Năm" in page
    response = client.post(
        url + "?at=2-ck", {f"q-{rec.pupil.pk}-yeu_nuoc": "T", f"q-{rec.pupil2.pk}-nhan_ai": "C"}
    )
    assert response.status_code == 302
    assert sorted(QualityMark.objects.values_list("term", "kind", "item", "level")) == [
        (2, "ck", "nhan_ai", 0),
        (2, "ck", "yeu_nuoc", 2),
    ]
    bad = client.post(url + "?at=2-ck", {f"q-{rec.pupil.pk}-yeu_nuoc": "H"})
    assert bad.status_code == 400 and "Cần cố gắng" in bad.content.decode()
    assert client.get(url + "?at=nonsense").status_code == 200
    # A secondary class has no such page; a subject teacher, a parent and a stranger get 404.
    assert client.get(reverse("records:qualities", args=[rec.directory.class_a.pk])).status_code == 404
    for user in (world.user(Role.PARENT), world.stranger):
        client.logout()
        sign_in(client, user)
        assert client.get(url).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    page = client.get(url + "?at=2-ck")
    assert page.status_code == 200 and f'name="q-{rec.pupil.pk}-yeu_nuoc"' not in page.content.decode()
    assert client.post(url, {f"q-{rec.pupil.pk}-yeu_nuoc": "C"}).status_code == 404
