"""Transcripts (học bạ): the official layout's content, built from the class's results; one student's PDF
for who sees the whole record (a parent their own child's); a class's as one background job."""

import re
import zlib

import pytest
from django.urls import reverse

from giaoducso.core.models import AuditEntry, Job, JobStatus
from giaoducso.core.roles import Role
from giaoducso.records import services, transcripts
from giaoducso.records.models import GradeSubject, Subject
from giaoducso.records.selectors.transcript import class_transcripts
from giaoducso.records.services import Cell
from giaoducso.records.services.qualities import QualityEntry, qualities_write
from giaoducso.testing.auth import sign_in
from rules import qualities

from .records_fixtures import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(world):
    rec = build_records(world)
    teacher = world.user(Role.HOMEROOM_TEACHER)
    cells = [
        Cell(world.child.pk, term, kind, index, value=value)
        for term in (1, 2)
        for kind, index, value in (("tx", 1, "6"), ("tx", 2, "7"), ("gk", 1, "5"), ("ck", 1, "6,5"))
    ]
    services.marks_write(actor=teacher, school_class=rec.directory.class_a, subject=rec.gdcd, cells=cells)
    services.marks_write(
        actor=teacher,
        school_class=rec.primary_class,
        subject=rec.toan_th,
        cells=[
            Cell(rec.pupil.pk, 2, "ck", 1, value="9", level=2),
            Cell(rec.pupil.pk, 1, "ck", 1, value="8", level=1),
        ],
    )
    qualities_write(
        actor=teacher,
        school_class=rec.primary_class,
        term=2,
        kind="ck",
        entries=[
            QualityEntry(rec.pupil.pk, "yeu_nuoc", 2),
            QualityEntry(rec.pupil.pk, "giao_tiep_hop_tac", 1),
        ],
    )
    return rec


def _font_names(pdf_bytes):
    chunks = [pdf_bytes]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf_bytes, re.S):
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return " ".join(m.decode() for c in chunks for m in re.findall(rb"/BaseFont\s*/([\w+-]+)", c))


def test_a_secondary_transcript_says_what_the_summary_says(world, rec):
    [context] = class_transcripts(
        user=world.user(Role.HOMEROOM_TEACHER), school_class=rec.directory.class_a, student_id=world.child.pk
    ).contexts
    html = transcripts.transcript_html(context)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "HỌC BẠ" in html and "Lê Minh Con" in html and "6/1" in html and "2026-2027" in html
    gdcd = next(s for s in context["subjects"] if s["name"] == "Giáo dục công dân")
    assert gdcd["cells"] == ["6,1", "6,1", "6,1"]  # worked example 2, both terms, and the year
    assert "Kết quả rèn luyện" in html and "Tổng số buổi nghỉ học cả năm" in html
    assert "Giáo viên chủ nhiệm" in html and "Trần Thị Chủ Nhiệm" in html
    assert "Hiệu trưởng" in html and "Nguyễn Văn Hiệu" in html  # the school record's principal
    assert "Liberation Serif" in html


def test_a_primary_transcript_has_levels_tests_qualities_and_the_completion_line(world, rec):
    [context] = class_transcripts(
        user=world.user(Role.PRINCIPAL), school_class=rec.primary_class, student_id=rec.pupil.pk
    ).contexts
    toan = next(s for s in context["primary_subjects"] if s["name"] == "Toán")
    assert toan["points"] == [{"level": "H", "test": "8"}, {"level": "T", "test": "9"}]
    html = transcripts.transcript_html(context)
    assert "Thông tư 27/2020/TT-BGDĐT" in html and "Năng lực chung" in html and "Phẩm chất chủ yếu" in html
    items = {i["name"]: i["levels"] for g in context["quality_groups"] for i in g["items"]}
    assert items["Yêu nước"] == ["", "Tốt"] and items["Giao tiếp và hợp tác"] == ["", "Đạt"]


def test_grade_5_completion_line_once_the_year_result_completes(world, rec):
    teacher = world.user(Role.HOMEROOM_TEACHER)
    for gs in GradeSubject.objects.filter(grade=5).select_related("subject"):
        subject = gs.subject
        services.teaching_assign(
            actor=world.user(Role.PRINCIPAL),
            school_class=rec.primary_class,
            subject=subject,
            teacher=rec.directory.teacher_a,
        )
        tested = services.tested_at(subject, 5, 2, "ck")
        services.mark_set(
            actor=teacher,
            school_class=rec.primary_class,
            subject=Subject.objects.get(pk=subject.pk),
            cell=Cell(rec.pupil.pk, 2, "ck", 1, value="9" if tested else None, level=2),
        )
    qualities_write(
        actor=teacher,
        school_class=rec.primary_class,
        term=2,
        kind="ck",
        entries=[QualityEntry(rec.pupil.pk, item.code, 2) for item in qualities.ITEMS],
    )
    [context] = class_transcripts(
        user=teacher, school_class=rec.primary_class, student_id=rec.pupil.pk
    ).contexts
    assert context["primary_result"] == "Hoàn thành xuất sắc" and context["award"] == "Học sinh Xuất sắc"
    assert "Hoàn thành chương trình tiểu học" in transcripts.transcript_html(context)


def test_the_pdf_download_by_who_sees_the_record(client, world, rec):
    url = reverse("records:transcript_pdf", args=[rec.directory.class_a.pk, world.child.pk])
    for role in (Role.HOMEROOM_TEACHER, Role.PRINCIPAL, Role.PARENT):
        sign_in(client, world.user(role))
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]
        client.logout()
    assert "Liberation-Serif" in _font_names(response.content)
    assert AuditEntry.objects.filter(object_type="records.transcript", action="export").count() == 3
    other = reverse("records:transcript_pdf", args=[rec.directory.class_a.pk, world.other_student_a.pk])
    sign_in(client, world.user(Role.PARENT))
    assert client.get(other).status_code == 404  # not their child
    client.logout()
    for user in (world.user(Role.TEACHER), world.stranger):
        sign_in(client, user)
        assert client.get(url).status_code == 404
        client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    wrong_class = reverse("records:transcript_pdf", args=[rec.primary_class.pk, world.child.pk])
    assert client.get(wrong_class).status_code == 404


def test_a_class_s_transcripts_as_one_job(client, world, rec, django_capture_on_commit_callbacks):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:transcripts_start", args=[rec.directory.class_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    job = Job.objects.get(kind=transcripts.KIND)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress == 100 and job.result["rows"] == 2
    content = job.result_file.open("rb").read()
    assert content.startswith(b"%PDF") and "Liberation-Serif" in _font_names(content)
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.logout()
    # Only who sees the whole class starts it: a parent or a subject teacher gets 404, nothing started.
    for user in (world.user(Role.PARENT), world.user(Role.TEACHER), world.stranger):
        sign_in(client, user)
        assert client.post(url).status_code == 404
        client.logout()
    assert Job.objects.filter(kind=transcripts.KIND).count() == 1
