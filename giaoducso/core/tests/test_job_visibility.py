"""Who may see a background job: one rule (`selectors.job_get`/`job_list`) for the job pages, the import
pages and the API. The owner sees it; a superuser sees any; everyone else gets the 404 of a job that
never was, however wide their role."""

import uuid

import pytest
from django.http import Http404
from django.urls import reverse

from giaoducso.core import selectors
from giaoducso.core.models import Job
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teachers_job(world):
    return Job.objects.create(
        kind="system_check", title="Việc của giáo viên", created_by=world.user(Role.TEACHER)
    )


def test_owner_sees_own_job_and_list(world, teachers_job):
    teacher = world.user(Role.TEACHER)
    other = Job.objects.create(kind="system_check", title="Việc khác", created_by=world.stranger)
    assert selectors.job_get(user=teacher, pk=teachers_job.pk) == teachers_job
    assert list(selectors.job_list(user=teacher)) == [teachers_job]
    assert other not in selectors.job_list(user=teacher)


@pytest.mark.parametrize("who", ["stranger", "nobody", Role.DEPARTMENT_LEADER, Role.PRINCIPAL])
def test_anyone_else_gets_404_whatever_their_role(world, teachers_job, who):
    user = getattr(world, who) if who in ("stranger", "nobody") else world.user(who)
    with pytest.raises(Http404):
        selectors.job_get(user=user, pk=teachers_job.pk)
    assert not selectors.job_list(user=user).exists()


def test_superuser_sees_any_job_an_inactive_one_none(world, teachers_job):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert selectors.job_get(user=admin, pk=teachers_job.pk) == teachers_job
    admin.is_active = False
    with pytest.raises(Http404):
        selectors.job_get(user=admin, pk=teachers_job.pk)


def test_kinds_narrow_and_bad_ids_are_404(world, teachers_job):
    teacher = world.user(Role.TEACHER)
    with pytest.raises(Http404):
        selectors.job_get(user=teacher, pk=teachers_job.pk, kinds=["directory_import_check"])
    for pk in (uuid.uuid4(), "not-a-uuid", None):
        with pytest.raises(Http404):
            selectors.job_get(user=teacher, pk=pk)


def test_the_three_places_answer_alike(client, world, teachers_job):
    """The job page, the API and the import page give the stranger the same 404 and the owner the job."""
    _token, raw = api_token_create(
        actor=None, user=world.stranger, name="t", scopes=["jobs:read"], expires_at=None
    )
    assert (
        client.get(f"/api/v1/jobs/{teachers_job.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    )
    sign_in(client, world.stranger)
    assert client.get(reverse("core:job_detail", args=[teachers_job.pk])).status_code == 404
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("core:job_detail", args=[teachers_job.pk])).status_code == 200
    # Not an import: the import page does not show it, even to its owner.
    assert client.get(reverse("directory:import_detail", args=[teachers_job.pk])).status_code == 404
