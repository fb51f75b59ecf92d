"""The budget of every upload route: the largest file the limits allow finishes within its time, and a file
just past a limit (one row more, one byte more) is refused — with a message, before any work is written.

Upload routes come from the URL configuration: a screen whose view reads `request.FILES` (or whose form has
a file field), an admin whose model has a file field, an API operation taking multipart data. A route found
there without a case in CASES fails `test_every_upload_route_has_a_budget`, so a new upload route is held to
a budget the day it is added.

The limits are lowered here (IMPORT_MAX_ROWS to ROWS, IMPORT_MAX_UPLOAD_SIZE to the size of the largest
file) so that the largest allowed file stays small; the budget is generous, so that a slow shared machine
does not fail it while a file that reads past its limit (thousands of times more work) still would.
Speed itself is measured by the benchmarks under bench/, not here.
"""

from __future__ import annotations

import csv
import inspect
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook

from giaoducso.api import api
from giaoducso.core.models import Job, Unit
from giaoducso.core.roles import Role
from giaoducso.directory import ministry
from giaoducso.directory.importing import schools, staff, students
from giaoducso.directory.models import SchoolClass, Staff, Student
from giaoducso.directory.tests.import_helpers import pid, setup_directory, student_row
from giaoducso.portal.tests import upload_cases as portal_upload_cases
from giaoducso.records import importing as records_importing
from giaoducso.records.models import Mark, Subject
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import gradebook_class
from giaoducso.testing.world import World

pytestmark = pytest.mark.django_db

ROWS = 200  # IMPORT_MAX_ROWS in this test
BUDGET_SECONDS = 60.0  # per upload, its background check and (where there is one) its write


# --- finding the upload routes ------------------------------------------------------------------


def _reads_files(view: Any) -> bool:
    view = inspect.unwrap(view)
    view_class = getattr(view, "view_class", None)
    for target in (view_class, view):
        if target is None:
            continue
        try:
            if "FILES" in inspect.getsource(target):
                return True
        except (OSError, TypeError):
            continue
    form_class = getattr(view_class, "form_class", None)
    return bool(
        form_class
        and any(isinstance(f, forms.FileField) for f in getattr(form_class, "base_fields", {}).values())
    )


def upload_routes() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else (pattern.namespace or namespace)
                )
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or "")
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith(("/api/", "/admin/")):
                    continue  # below: the API from its document, the admin from its models
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or route)
                if _reads_files(pattern.callback):
                    found.add(name)

    walk(get_resolver().url_patterns, "/", "")
    for model in admin.site._registry:
        if any(
            isinstance(f, models.FileField) and f.editable for f in model._meta.get_fields() if f.concrete
        ):
            found.add(f"admin:{model._meta.app_label}_{model._meta.model_name}_change")
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    for methods in document["paths"].values():
        for operation in methods.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "multipart/form-data" in content or "application/octet-stream" in content:
                found.add(f"api:{operation['operationId']}")
    return found


# --- the cases ----------------------------------------------------------------------------------


@dataclass
class Case:
    """One kind of file sent to an upload route."""

    name: str
    role: str
    file_name: str
    build: Callable[[World, int], bytes]  # the file with this many data rows, every one valid
    data: Callable[[World], dict[str, Any]]  # the form's other fields
    written: Callable[[World], int]  # how many records the kind holds, to see that a refusal wrote none
    commit: bool  # a check job then a write job (the import screen), or one job (the Ministry codes)
    route_args: Callable[[World], list[Any]] = lambda world: []  # the route's URL arguments
    commit_route: str = "directory:import_commit"  # where a checked file is written (when `commit`)


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode()


def _students(world: World, count: int) -> bytes:
    return _csv(students.COLUMNS, [student_row(n) for n in range(1, count + 1)])


def _schools(world: World, count: int) -> bytes:
    rows = [
        {
            "ma_truong": f"BT{n:04d}",
            "ten_truong": f"Trường Tiểu học Ngân Sách {n}",
            "cap_hoc": "Tiểu học",
            "loai_hinh": "Công lập",
            "phuong_xa": "Phường 7",
            "dia_chi": "1 Hậu Giang",
            "dien_thoai": "028 3855 1234",
            "email": f"bt{n:04d}@example.edu.vn",
            "hieu_truong": "Lê Văn Hiệu",
        }
        for n in range(1, count + 1)
    ]
    return _csv(schools.COLUMNS, rows)


def _staff(world: World, count: int) -> bytes:
    rows = [
        {
            "ma_dinh_danh": pid(n, "F", 1985),
            "ho_ten": f"Trần Thị Giáo {n}",
            "ngay_sinh": "02/01/1985",
            "gioi_tinh": "Nữ",
            "ma_truong": "TA01",
            "vi_tri_viec_lam": "Giáo viên",
            "loai_hop_dong": "Viên chức",
            "trinh_do": "Đại học",
            "mon_day": "Toán",
            "dien_thoai": "0901234567",
            "email": "",
        }
        for n in range(1, count + 1)
    ]
    return _csv(staff.COLUMNS, rows)


def _ministry(world: World, count: int) -> bytes:
    """The returned C1-HocSinh: codes for the school's students, then pupils the Ministry has not coded."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(ministry.SHEET_NAME)
    sheet.append([label for label, _getter in ministry.EXPORT_COLUMNS])
    known = list(Student.objects.filter(school=world.school_a).order_by("pk"))[:count]
    blank = dict.fromkeys((label for label, _getter in ministry.EXPORT_COLUMNS), "")
    for n in range(count):
        row = dict(blank)
        if n < len(known):
            row[ministry.COL_PERSONAL_ID] = known[n].personal_id
            row[ministry.COL_CODE] = f"79{n + 1:08d}"
        else:
            row[ministry.COL_PERSONAL_ID] = pid(n)
        sheet.append([row[label] for label, _getter in ministry.EXPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GRADEBOOK_CLASS = "6/9"
GRADEBOOK_SUBJECT = "toan_thcs"


def _gradebook(world: World) -> tuple[SchoolClass, Subject]:
    """A class of school A whose mathematics the world's teacher teaches, with a pupil for every row of the
    longest file sent (ROWS + 1), so that every row of every file is valid; made on first use."""
    school_class = SchoolClass.objects.filter(school=world.school_a, name=GRADEBOOK_CLASS).first()
    if school_class is None:
        school_class, subject, _pupils = gradebook_class(
            school=world.school_a,
            teacher=world.user(Role.TEACHER),
            principal=world.user(Role.PRINCIPAL),
            students=ROWS + 1,
            subject_code=GRADEBOOK_SUBJECT,
            name=GRADEBOOK_CLASS,
        )
        return school_class, subject
    return school_class, Subject.objects.get(code=GRADEBOOK_SUBJECT)


def _gradebook_file(world: World, count: int) -> bytes:
    """The class's grade book for term I, every assessment of the subject scored for `count` pupils."""
    school_class, subject = _gradebook(world)
    columns = records_importing.columns_of(subject, school_class.grade)
    pupils = Student.objects.filter(current_class=school_class).order_by("full_name")[:count]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("So diem")
    sheet.append([records_importing.HEADERS[c] for c in columns])
    for n, pupil in enumerate(pupils, start=1):
        values = {
            "stt": n,
            "ma_dinh_danh": pupil.personal_id,
            "ho_va_ten": pupil.full_name,
            "hoc_ki": 1,
            **{c: f"{5 + n % 5},5" for c in columns if c.startswith("ddg")},
        }
        sheet.append([values.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kind(kind: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"kind": kind}


CASES: dict[str, list[Case]] = {
    "directory:import_start": [
        Case(
            "students",
            Role.PRINCIPAL,
            "hoc-sinh.csv",
            _students,
            _kind("students"),
            lambda w: Student.objects.count(),
            True,
        ),
        Case(
            "schools",
            Role.DEPARTMENT_OFFICER,
            "truong.csv",
            _schools,
            _kind("schools"),
            lambda w: Unit.objects.count(),
            True,
        ),
        Case(
            "staff",
            Role.PRINCIPAL,
            "can-bo.csv",
            _staff,
            _kind("staff"),
            lambda w: Staff.objects.count(),
            True,
        ),
    ],
    "directory:ministry_import": [
        Case(
            "ministry codes",
            Role.PRINCIPAL,
            "C1-HocSinh.xlsx",
            _ministry,
            lambda w: {"school": w.school_a.pk},
            lambda w: Student.objects.exclude(ministry_code="").count(),
            False,
        ),
    ],
    "records:gradebook_import": [
        Case(
            "grade book",
            Role.TEACHER,
            "so-diem.xlsx",
            _gradebook_file,
            lambda w: {"term": 1},
            lambda w: Mark.objects.count(),
            True,
            route_args=lambda w: [_gradebook(w)[0].pk, _gradebook(w)[1].pk],
            commit_route="records:import_commit",
        ),
    ],
}
# Single-file uploads (a proof, an attachment, an image) have no rows: core.uploads.check_upload bounds their
# size and type. Each names the test that sends it one byte past its limit and sees it refused, nothing kept.
SINGLE_FILE_ROUTES: dict[str, str] = {
    # --- admissions
    "admissions:apply_form": "giaoducso/admissions/tests/test_public_pages.py::test_proof_over_the_limit_is_refused",
    # --- records: a contact-book message with files through the API (the page's limits, core.uploads)
    "api:giaoducso_records_api_family_records_messages_send_with_attachments": (
        "giaoducso/records/tests/test_contact_api_attachments.py::test_one_byte_over_the_attachment_limit_is_refused"
    ),
}
ALL_CASES = [
    pytest.param(route, case, id=f"{route}-{case.name}") for route, cases in CASES.items() for case in cases
]


def test_every_upload_route_has_a_budget() -> None:
    found = upload_routes()
    # The finder must find the routes known today, else an empty "found" would pass everything.
    assert {"directory:import_start", "directory:ministry_import"} <= found
    known = (
        set(CASES)
        | set(ATTACHMENT_CASES)
        | set(CONTACT_ATTACHMENT_CASES)
        | set(SINGLE_FILE_ROUTES)
        | set(FILE_CASES)
        | set(DIRECT_CASES)
    )
    missing = found - known
    assert not missing, f"upload routes without a budget case: {sorted(missing)}"
    assert not known - found, "a budget case names a route that no longer takes files"


def test_the_finder_knows_an_upload_view_when_it_sees_one() -> None:
    from django.contrib.auth.decorators import login_required
    from django.views.generic import FormView

    @login_required
    def upload(request: Any) -> Any:
        return request.FILES.get("file")

    def page(request: Any) -> Any:
        return None

    class FileForm(forms.Form):
        file = forms.FileField()

    class UploadView(FormView):  # type: ignore[type-arg]
        form_class = FileForm

    assert _reads_files(upload) and _reads_files(UploadView.as_view())
    assert not _reads_files(page)


# --- the budget ---------------------------------------------------------------------------------


def _send(
    client: Any, route: str, case: Case, world: World, content: bytes, capture: Any
) -> tuple[Any, Job | None]:
    before = set(Job.objects.values_list("pk", flat=True))
    data = {**case.data(world), "file": SimpleUploadedFile(case.file_name, content)}
    with capture(execute=True):
        response = client.post(reverse(route, args=case.route_args(world)), data)
    job = Job.objects.exclude(pk__in=before).first()
    if job is None or not case.commit or response.status_code != 302:
        return response, job
    job.refresh_from_db()
    if job.result.get("error_count"):
        return response, job
    with capture(execute=True):
        client.post(reverse(case.commit_route, args=[job.pk]))
    return response, Job.objects.exclude(pk__in=before).exclude(pk=job.pk).first()


@pytest.mark.parametrize(("route", "case"), ALL_CASES)
def test_the_largest_allowed_file_fits_its_budget_and_one_past_it_is_refused(
    route: str, case: Case, client: Any, world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    setup_directory(world)
    sign_in(client, world.user(case.role))
    settings.IMPORT_MAX_ROWS = ROWS
    largest = case.build(world, ROWS)
    settings.IMPORT_MAX_UPLOAD_SIZE = len(largest)

    # One byte over the size limit: refused by the form, no job, no work.
    settings.IMPORT_MAX_UPLOAD_SIZE = len(largest) - 1
    response, job = _send(client, route, case, world, largest, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and job is None
    assert "Tệp lớn hơn" in response.content.decode()
    settings.IMPORT_MAX_UPLOAD_SIZE = len(largest)

    # One row over the row limit (the size limit raised to let it through): refused as a whole, nothing written.
    longer = case.build(world, ROWS + 1)
    settings.IMPORT_MAX_UPLOAD_SIZE = len(longer)
    records = case.written(world)
    started = time.perf_counter()
    response, job = _send(client, route, case, world, longer, django_capture_on_commit_callbacks)
    refused_in = time.perf_counter() - started
    assert response.status_code == 302 and job is not None
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["error_count"] >= 1, job.message
    assert f"nhiều hơn {ROWS} dòng" in job.result["errors"][0]["message"]
    assert case.written(world) == records
    assert refused_in < BUDGET_SECONDS

    # The largest allowed file, at both limits: accepted, checked and written within the budget.
    settings.IMPORT_MAX_UPLOAD_SIZE = len(largest)
    started = time.perf_counter()
    response, job = _send(client, route, case, world, largest, django_capture_on_commit_callbacks)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302 and job is not None
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["error_count"] == 0, job.result["errors"][:3]
    assert job.result["data_rows"] == ROWS
    assert case.written(world) > records
    assert elapsed < BUDGET_SECONDS, f"{case.name}: {elapsed:.1f} s for {ROWS} rows"


# --- office: attachments of official documents (one file kept as it is, no rows to read) -------------
# The budget of a kept file is its size: the largest allowed is stored with its SHA-256, one byte more is
# refused with a message and leaves nothing behind (no draft, no register line, no file row).


def _office_world(world: World) -> None:
    from giaoducso.office.models import OfficeSettings

    OfficeSettings.objects.get_or_create(unit=world.department, defaults={"abbreviation": "PGDĐT"})


def _office_draft_data(world: World) -> dict[str, Any]:
    return {
        "doc_type": "CV",
        "summary": "Về việc ngân sách tệp",
        "urgency": "thuong",
        "recipients": [world.school_a.code],
    }


def _office_incoming_data(world: World) -> dict[str, Any]:
    return {
        "sender_name": "Sở Giáo dục và Đào tạo",
        "notation": f"{Job.objects.count() + 1}/SGDĐT-VP",
        "doc_date": "20/11/2026",
        "doc_type": "CV",
        "summary": "Về việc ngân sách tệp",
        "urgency": "thuong",
        "source": "paper",
    }


def _office_written() -> int:
    from giaoducso.office.models import Attachment, Document, Incoming

    return Attachment.objects.count() + Document.objects.count() + Incoming.objects.count()


# route -> (role, file field, the form's other fields, route args)
ATTACHMENT_CASES: dict[
    str, tuple[str, str, Callable[[World], dict[str, Any]], Callable[[World], list[Any]]]
] = {
    "office:document_new": (Role.DEPARTMENT_OFFICER, "main_file", _office_draft_data, lambda w: []),
    "office:document_edit": (
        Role.DEPARTMENT_OFFICER,
        "main_file",
        _office_draft_data,
        lambda w: [_office_existing_draft(w).pk],
    ),
    "office:incoming_new": (Role.SCHOOL_OFFICE, "file", _office_incoming_data, lambda w: []),
}


def _office_existing_draft(world: World) -> Any:
    from giaoducso.office import services as office_services
    from giaoducso.office.models import Document

    found = Document.objects.filter(summary="Bản nháp có sẵn").first()
    return found or office_services.document_create(
        actor=world.user(Role.DEPARTMENT_OFFICER),
        issuer=world.department,
        recipients=[world.school_a.code],
        doc_type="CV",
        summary="Bản nháp có sẵn",
    )


@pytest.mark.parametrize("route", sorted(ATTACHMENT_CASES))
def test_an_office_file_at_its_limit_is_kept_and_one_byte_more_is_refused(
    route: str, client: Any, world: World, monkeypatch: Any
) -> None:
    from giaoducso.office.models import Attachment
    from giaoducso.office.services import documents as office_documents

    _office_world(world)
    role, field, data, args = ATTACHMENT_CASES[route]
    sign_in(client, world.user(role))
    url = reverse(route, args=args(world))
    limit = 4096
    monkeypatch.setattr(office_documents, "MAX_ATTACHMENT_BYTES", limit)
    largest = b"%PDF-1.4\n" + b"0" * (limit - 9)
    before = _office_written()
    started = time.perf_counter()
    refused = client.post(url, {**data(world), field: SimpleUploadedFile("van-ban.pdf", largest + b"0")})
    assert refused.status_code == 400 and "Tệp quá lớn" in refused.content.decode()
    assert _office_written() == before
    kept = client.post(url, {**data(world), field: SimpleUploadedFile("van-ban.pdf", largest)})
    assert kept.status_code == 302, kept.content.decode()[:500]
    stored = Attachment.objects.latest("pk")
    assert stored.size == limit and len(stored.sha256) == 64
    assert time.perf_counter() - started < BUDGET_SECONDS


# --- single files kept as they are (documents, pictures), not imports ------------------------------------
# Each app describes its routes (see giaoducso/portal/tests/upload_cases.py): the role sending (None: no
# account), the address, the file field, the form's other fields, the setting that bounds the size, what
# counts the files kept, and a good file.

FILE_CASES: dict[str, dict[str, Any]] = {**portal_upload_cases.CASES}
# A Windows program renamed to look like the route's kind: refused by its content, whatever its name.
DISGUISED = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize("route", sorted(FILE_CASES))
def test_a_file_past_its_limit_or_in_disguise_is_refused_with_a_message_and_a_good_one_kept(
    route: str, client: Any, world: World, settings: Any
) -> None:
    case = FILE_CASES[route]
    prepared = portal_upload_cases.prepare(world) if route.startswith(("portal:", "site:")) else {}
    if case["role"] is not None:
        sign_in(client, world.user(case["role"]))
    url = case["url"](world, prepared)
    name, build = case["good"]
    good = build()
    extension = name.rsplit(".", 1)[-1]

    def send(file_name: str, content: bytes) -> Any:
        fields = case["data"](world) if callable(case["data"]) else case["data"]
        data = {**fields, case["field"]: SimpleUploadedFile(file_name, content)}
        return client.post(url, data)

    kept = case["written"](world)
    setattr(settings, case["limit"], len(good) - 1)
    response = send(name, good)
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert case["written"](world) == kept
    setattr(settings, case["limit"], len(good) + 1024)
    response = send(f"tai-lieu.{extension}", DISGUISED)
    assert response.status_code == 400 and "không phải loại được nhận" in response.content.decode()
    assert case["written"](world) == kept
    started = time.perf_counter()
    response = send(name, good)
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert case["written"](world) == kept + 1
    assert time.perf_counter() - started < BUDGET_SECONDS


# --- records — attachments of the contact book (issue 10) ------------------------------------------------
# A message's or leave request's attachment is one small file, bounded by bytes (no rows, no job): one byte
# over the limit is refused with a message and nothing written; a file at the limit is kept.

PNG_HEAD = b"\x89PNG\r\n\x1a\n"
ATTACHMENT_LIMIT = 4096


@dataclass
class AttachmentCase:
    role: str
    route_args: Callable[[World, Any], list[Any]]
    data: dict[str, str]
    written: Callable[[], int]


def _messages_count() -> int:
    from giaoducso.records.models import Message

    return Message.objects.count()


def _leave_count() -> int:
    from giaoducso.records.models import LeaveRequest

    return LeaveRequest.objects.count()


CONTACT_ATTACHMENT_CASES: dict[str, AttachmentCase] = {
    "records:family_messages": AttachmentCase(
        Role.PARENT, lambda w, r: [w.child.pk], {"body": "Giấy khám bệnh"}, _messages_count
    ),
    "records:family_attendance": AttachmentCase(
        Role.PARENT,
        lambda w, r: [w.child.pk],
        {"date_from": "16/11/2026", "date_to": "16/11/2026", "sessions": "am", "reason": "Ốm"},
        _leave_count,
    ),
    "records:contact_thread": AttachmentCase(
        Role.HOMEROOM_TEACHER,
        lambda w, r: [r.directory.class_a.pk, w.child.pk],
        {"body": "Lịch thi"},
        _messages_count,
    ),
}


# --- reporting: uploads handled within the request (a report's attachment, a school's computers sheet) --


@dataclass
class DirectCase:
    """A file checked and written in the request itself (no job): its limits are the module's constants."""

    role: str
    route_args: Callable[[World], list[Any]]
    build: Callable[[int], tuple[str, bytes]]  # (field name, content) with this many data rows
    data: dict[str, Any]
    limits: str  # the module whose MAX_BYTES / MAX_ROWS hold
    written: Callable[[World], int]
    rows: bool  # whether a row limit applies


def _computers_sheet(count: int) -> tuple[str, bytes]:
    book = Workbook()
    sheet = book.active
    sheet.append(["loai_may", "tinh_trang", "cau_hinh", "so_luong"])
    for n in range(count):
        sheet.append(["desktop", "good", f"Core i5 số {n}", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return "file", buffer.getvalue()


def _report_attachment(count: int) -> tuple[str, bytes]:
    return "f_tep", b"%PDF-1.4\n" + b"%" + b"x" * (count * 100) + b"\n%%EOF\n"


def _report_submission(world: World) -> list[Any]:
    import datetime as dt

    from giaoducso.reporting.models import Submission
    from giaoducso.reporting.services import campaign_create, form_create

    found = Submission.objects.filter(school=world.school_a).first()
    if found is None:
        schema = {
            "sections": [
                {"title": "A", "fields": [{"key": "tep", "label": "Tệp", "type": "file", "kinds": ["pdf"]}]}
            ]
        }
        form = form_create(actor=None, owner=world.department, title="Tệp", schema=schema)
        campaign = campaign_create(
            actor=None,
            owner=world.department,
            form=form,
            title="Tệp",
            opens_on=dt.date(2020, 1, 1),
            deadline=dt.date(2099, 1, 1),
            schools=[world.school_a],
        )
        found = campaign.submissions.get()
    return [found.pk]


def _count(model: str) -> Callable[[World], int]:
    def count(world: World) -> int:
        from django.apps import apps

        return apps.get_model("reporting", model).objects.count()

    return count


DIRECT_CASES: dict[str, DirectCase] = {
    "reporting:asset_school": DirectCase(
        Role.SCHOOL_IT,
        lambda w: [w.school_a.code],
        _computers_sheet,
        {"action": "import"},
        "giaoducso.reporting.importing",
        _count("Computer"),
        True,
    ),
    "reporting:submission_detail": DirectCase(
        Role.SCHOOL_IT,
        _report_submission,
        _report_attachment,
        {"action": "save"},
        "giaoducso.reporting.services.campaigns",
        _count("SubmissionFile"),
        False,
    ),
}


@pytest.mark.parametrize("route", sorted(CONTACT_ATTACHMENT_CASES))
def test_an_attachment_past_its_limit_is_refused_and_one_at_it_kept(
    route: str, client: Any, world: World, monkeypatch: Any
) -> None:
    from giaoducso.records.services import family
    from giaoducso.records.tests.records_fixtures import build_records

    records = build_records(world)
    monkeypatch.setattr(family, "ATTACHMENT_MAX_BYTES", ATTACHMENT_LIMIT)
    case = CONTACT_ATTACHMENT_CASES[route]
    sign_in(client, world.user(case.role))
    url = reverse(route, args=case.route_args(world, records))
    before = case.written()
    too_big = PNG_HEAD + b"\x00" * (ATTACHMENT_LIMIT + 1 - len(PNG_HEAD))
    response = client.post(url, {**case.data, "attachment": SimpleUploadedFile("giay.png", too_big)})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert case.written() == before
    at_limit = PNG_HEAD + b"\x00" * (ATTACHMENT_LIMIT - len(PNG_HEAD))
    started = time.perf_counter()
    response = client.post(url, {**case.data, "attachment": SimpleUploadedFile("giay.png", at_limit)})
    assert response.status_code == 302 and case.written() == before + 1
    assert time.perf_counter() - started < BUDGET_SECONDS


@pytest.mark.parametrize("route", sorted(DIRECT_CASES))
def test_direct_uploads_fit_their_budget_and_one_past_is_refused(
    route: str, client: Any, world: World, monkeypatch: Any
) -> None:
    import importlib

    case = DIRECT_CASES[route]
    limits = importlib.import_module(case.limits)
    sign_in(client, world.user(case.role))
    url = reverse(route, args=case.route_args(world))
    field, largest = case.build(ROWS)
    size_name = "MAX_BYTES" if hasattr(limits, "MAX_BYTES") else "MAX_FILE_BYTES"
    if case.rows:
        monkeypatch.setattr(limits, "MAX_ROWS", ROWS)

    def send(content: bytes) -> Any:
        name = "may-tinh.xlsx" if case.rows else "bien-ban.pdf"
        return client.post(url, {**case.data, field: SimpleUploadedFile(name, content)})

    monkeypatch.setattr(limits, size_name, len(largest) - 1)
    response = send(largest)
    assert response.status_code == 422 and "Tệp quá lớn" in response.content.decode()
    assert case.written(world) == 0
    if case.rows:
        _field, longer = case.build(ROWS + 1)
        monkeypatch.setattr(limits, size_name, len(longer))
        response = send(longer)
        assert response.status_code == 422 and f"nhiều hơn {ROWS} dòng" in response.content.decode()
        assert case.written(world) == 0
    monkeypatch.setattr(limits, size_name, len(largest))
    started = time.perf_counter()
    response = send(largest)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert case.written(world) == (ROWS if case.rows else 1)
    assert time.perf_counter() - started < BUDGET_SECONDS
