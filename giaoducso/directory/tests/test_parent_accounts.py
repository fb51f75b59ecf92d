"""Parents' accounts in bulk: one account and one letter per family, the parent role on the school,
guardians linked, one-time passwords, the rule of who may, and a PDF in Liberation Serif."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from giaoducso.core.models import AuditEntry, Job, JobStatus, User
from giaoducso.core.roles import Role
from giaoducso.directory import parent_accounts
from giaoducso.directory.models import Guardian
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, GuardianFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Starts the job and runs it (enqueued on commit; the test task backend runs it at once)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = parent_accounts.job_start_parent_accounts(**kwargs)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def families(world):
    klass = ClassFactory(school=world.school_a, name="6/2")
    one = StudentFactory(school=world.school_a, full_name="Anh Cả", current_class=klass)
    two = StudentFactory(school=world.school_a, full_name="Em Út")
    GuardianFactory(student=one, full_name="Mẹ Chung", phone="0901 111 222", user=None)
    GuardianFactory(student=two, full_name="Mẹ Chung", phone="0901111222", user=None)  # the same family
    GuardianFactory(student=world.other_student_a, full_name="Bố Riêng", phone="", user=None)
    GuardianFactory(student=world.student_b, full_name="Phụ Huynh Trường B", phone="0903", user=None)
    world.klass = klass
    return world


def _font_names(pdf_bytes):
    """Every /BaseFont name, also inside compressed object streams."""
    import zlib

    chunks = [pdf_bytes]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf_bytes, re.S):
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return " ".join(m.decode() for c in chunks for m in re.findall(rb"/BaseFont\s*/([\w+-]+)", c))


def _text_of(pdf_bytes):
    """The PDF's text, through pdftotext when it is installed; else None."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True, check=True
    ).stdout.decode()


def test_one_account_and_one_letter_per_family(families, start):
    school_it = families.user(Role.SCHOOL_IT)
    job = start(actor=school_it, school=families.school_a)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["created"] == 2 and job.result["guardians"] == 3
    created = User.objects.filter(username__startswith="ph.ta01.").order_by("username")
    assert [u.username for u in created] == ["ph.ta01.0001", "ph.ta01.0002"]
    for user in created:
        assert user.must_change_password
        assert user.memberships.get().role == Role.PARENT and user.memberships.get().unit == families.school_a
    mother = Guardian.objects.filter(full_name="Mẹ Chung")
    assert mother.count() == 2 and len({g.user_id for g in mother}) == 1
    # School B's guardian is untouched; the existing parent keeps their account.
    assert Guardian.objects.get(full_name="Phụ Huynh Trường B").user is None
    assert Guardian.objects.get(user=families.user(Role.PARENT)).user == families.user(Role.PARENT)

    content = job.result_file.read()
    assert content.startswith(b"%PDF")
    assert "Liberation-Serif" in _font_names(content)  # embedded from the machine, not the network
    text = _text_of(content)
    if text is not None:
        assert "ph.ta01.0001" in text and "Anh Cả" in text and "Em Út" in text
        password = re.search(r"ph\.ta01\.0001\s+Mật khẩu dùng một lần\s+(\S+)", text)
        if password:
            assert User.objects.get(username="ph.ta01.0001").check_password(password.group(1))
    assert AuditEntry.objects.filter(object_type="directory.parent_letters", action="export").count() == 1
    assert (
        AuditEntry.objects.filter(object_type="directory.guardian", note__startswith="liên kết").count() == 3
    )

    # Run again: nobody is left without an account, nothing new, no letter.
    again = start(actor=school_it, school=families.school_a)
    again.refresh_from_db()
    assert again.result["created"] == 0 and not again.result_file


def test_a_new_child_of_a_family_with_an_account_is_linked_without_a_letter(families, start):
    school_it = families.user(Role.SCHOOL_IT)
    start(actor=school_it, school=families.school_a)
    third = StudentFactory(school=families.school_a, full_name="Em Mới")
    GuardianFactory(student=third, full_name="Mẹ Chung", phone="0901-111-222", user=None)
    job = start(actor=school_it, school=families.school_a)
    job.refresh_from_db()
    assert job.result["created"] == 0 and job.result["linked"] == 1
    assert len({g.user_id for g in Guardian.objects.filter(full_name="Mẹ Chung")}) == 1


def test_one_class_only(families, start):
    job = start(actor=families.user(Role.PRINCIPAL), school=families.school_a, school_class=families.klass)
    job.refresh_from_db()
    assert job.result["created"] == 1 and job.result["guardians"] == 1


def test_only_those_who_grant_the_parent_role_there(families):
    for role in (Role.TEACHER, Role.VICE_PRINCIPAL, Role.DEPARTMENT_OFFICER):
        with pytest.raises(PermissionDenied):
            parent_accounts.job_start_parent_accounts(actor=families.user(role), school=families.school_a)
    with pytest.raises(PermissionDenied):
        parent_accounts.job_start_parent_accounts(
            actor=families.user(Role.SCHOOL_IT), school=families.school_b
        )


def test_the_screen_starts_the_job_and_offers_only_my_schools(
    client, families, django_capture_on_commit_callbacks
):
    sign_in(client, families.user(Role.SCHOOL_IT))
    page = client.get(reverse("directory:parent_accounts")).content.decode()
    assert families.school_a.code in page and families.school_b.code not in page
    response = client.post(reverse("directory:parent_accounts"), {"school": families.school_b.code})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:parent_accounts"), {"school": families.school_a.code, "class_name": "6/2"}
        )
    job = Job.objects.get(kind=parent_accounts.KIND)
    assert response.url == reverse("core:job_detail", args=[job.pk])
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    # Nobody else downloads the letters, not even the principal.
    other = sign_in(client.__class__(), families.user(Role.PRINCIPAL))
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    sign_in(client, families.user(Role.TEACHER))
    assert client.get(reverse("directory:parent_accounts")).status_code == 404
