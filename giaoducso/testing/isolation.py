"""The isolation matrix's world and its description of every route's parameters.

Two tenants, each a province (its own Sở, so its own school-year calendar) with a department and one school
under it, each holding one user per role and one record of every kind, with a made-up word (the tenant's marker) in every person's name. The matrix signs
in as each user of one tenant and asks every route for the other tenant's records: it must answer 404 or
show nothing of theirs.

Routes come from the URL configuration and the OpenAPI document, never from a hand list; what the matrix
cannot invent is how to fill a route's parameters with the other tenant's ids. `PARAMS` says it, per
parameter name or per "route name:parameter"; a new route whose parameters are not described fails the
matrix until they are (or until `SKIPPED` names it with the reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from giaoducso.core.models import Job, Notification, Unit, UnitKind, User
from giaoducso.core.roles import Role
from giaoducso.directory import services as directory_services
from giaoducso.directory.models import Guardian, Staff, Student, Transfer
from giaoducso.records.models import Subject

from .factories import (
    ClassFactory,
    EquipmentFactory,
    MembershipFactory,
    RoomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
    personal_id,
)
from .world import DEPARTMENT_ROLES, SCHOOL_ROLES

# The key of the tenant's Sở-level officer in `Tenant.users` (the world's other roles sit on the Phòng).
PROVINCE_OFFICER = "province_officer"


@dataclass
class Tenant:
    tag: str
    marker: str  # in every person's name, and nowhere else
    department: Unit
    school: Unit
    users: dict[str, User] = field(default_factory=dict)
    records: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["records"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_tenant(province: Unit, tag: str, marker: str) -> Tenant:
    department = UnitFactory(
        kind=UnitKind.DISTRICT_DEPARTMENT, code=f"PGD{tag}", name=f"Phòng GD&ĐT số {tag}", parent=province
    )
    school = UnitFactory(code=f"TR{tag}", name=f"Trường THCS số {tag}", parent=department)
    tenant = Tenant(tag=tag, marker=marker, department=department, school=school)
    for role in DEPARTMENT_ROLES:
        tenant.users[role] = UserFactory(username=f"m{tag}_{role}", full_name=f"Cán Bộ {marker} Phòng")
        MembershipFactory(user=tenant.users[role], unit=department, role=role)
    for role in SCHOOL_ROLES:
        tenant.users[role] = UserFactory(username=f"m{tag}_{role}", full_name=f"Người {marker} Trường")
        MembershipFactory(user=tenant.users[role], unit=school, role=role)
    # An officer of the Sở, the one role that changes its province's calendar.
    tenant.users[PROVINCE_OFFICER] = UserFactory(username=f"m{tag}_so", full_name=f"Cán Bộ {marker} Sở")
    MembershipFactory(user=tenant.users[PROVINCE_OFFICER], unit=province, role=Role.DEPARTMENT_OFFICER)

    SchoolFactory(unit=school, level="lower_secondary", address=f"1 Đường {marker}")
    # The calendar is the province's: each tenant's Sở has its own 2026-2027.
    year = SchoolYearFactory(unit=province, name="2026-2027", is_current=True)
    teacher = StaffFactory(school=school, full_name=f"Trần Thị {marker}")
    Staff.objects.filter(pk=teacher.pk).update(user=tenant.users[Role.TEACHER])
    room = RoomFactory(school=school, name=f"P.{tag}")
    school_class = ClassFactory(school=school, year=year, name="6/1", homeroom_teacher=teacher, room=room)
    student = directory_services.student_create(
        actor=None,
        school=school,
        personal_id=personal_id("F", 2014),
        full_name=f"Lê Thu {marker}",
        date_of_birth=dt.date(2014, 3, 1),
        sex="F",
        school_class=school_class,
        start_date=dt.date(2026, 9, 5),
        address=f"9 Hẻm {marker}",
    )
    Student.objects.filter(pk=student.pk).update(user=tenant.users[Role.STUDENT])
    guardian = directory_services.guardian_add(
        actor=None, student=student, full_name=f"Lê Văn {marker}", phone="0901234567"
    )
    Guardian.objects.filter(pk=guardian.pk).update(user=tenant.users[Role.PARENT])
    # A status decided now for a later day: scheduled, so it has a row of its own to reach across tenants.
    scheduled_change = directory_services.student_set_status(
        actor=None,
        student=student,
        status="dropped_out",
        date=dt.date(2030, 1, 1),
        today=dt.date(2026, 12, 2),
    )
    tenant.records.update(
        scheduled_change=scheduled_change,
        year=year,
        teacher=teacher,
        room=room,
        school_class=school_class,
        student=student,
        guardian=guardian,
        equipment=EquipmentFactory(school=school, name="Máy chiếu", room=room),
        job=Job.objects.create(
            kind="audit_export", title=f"Xuất {marker}", created_by=tenant.users[Role.PRINCIPAL], unit=school
        ),
        notification=Notification.objects.create(
            recipient=tenant.users[Role.PRINCIPAL], title=f"Tin {marker}"
        ),
    )
    return tenant


def add_transfer(tenant: Tenant, other: Tenant) -> None:
    """A pending transfer of a second student of `tenant` to a school that is neither tenant's."""
    outsider = UnitFactory(
        code=f"NGOAI{tenant.tag}", name=f"Trường ngoài {tenant.tag}", parent=tenant.department
    )
    mover = directory_services.student_create(
        actor=None,
        school=tenant.school,
        personal_id=personal_id("M", 2014),
        full_name=f"Đỗ Minh {tenant.marker}",
        date_of_birth=dt.date(2014, 6, 1),
        sex="M",
    )
    tenant.records["transfer"] = Transfer.objects.create(
        student=mover, from_school=tenant.school, to_school=outsider, requested_by_school=tenant.school
    )


def _records_lock(tenant: Tenant) -> Any:
    """A term lock of the tenant's class, already reopened so that it holds nothing closed."""
    from django.utils import timezone

    from giaoducso.records.models import TermLock

    if "term_lock" not in tenant.records:
        principal = tenant.users[Role.PRINCIPAL]
        tenant.records["term_lock"] = TermLock.objects.create(
            school=tenant.school,
            year=tenant.year,
            term=1,
            school_class=tenant.school_class,
            locked_by=principal,
            reopened_at=timezone.now(),
            reopened_by=principal,
            reopen_reason=f"Mở {tenant.marker}",
        )
    return tenant.records["term_lock"]


def _records_correction(tenant: Tenant) -> Any:
    """A correction request of the tenant's student, already refused so that deciding it changes nothing."""
    from giaoducso.records.models import CorrectionRequest, CorrectionStatus

    if "correction" not in tenant.records:
        tenant.records["correction"] = CorrectionRequest.objects.create(
            school=tenant.school,
            school_class=tenant.school_class,
            student=tenant.student,
            term=1,
            change={"target": "mark", "subject": Subject.objects.get(code="toan_thcs").pk, "kind": "gk"},
            reason=f"Sửa {tenant.marker}",
            status=CorrectionStatus.REJECTED,
            requested_by=tenant.users[Role.TEACHER],
        )
    return tenant.records["correction"]


def _records_leave(tenant: Tenant) -> Any:
    """A pending leave request of the tenant's student (records — contact book, issue 10)."""
    from giaoducso.records.models import LeaveRequest

    if "leave" not in tenant.records:
        tenant.records["leave"] = LeaveRequest.objects.create(
            school=tenant.school,
            school_class=tenant.school_class,
            student=tenant.student,
            date_from=dt.date(2026, 10, 5),
            date_to=dt.date(2026, 10, 5),
            reason=f"Ốm {tenant.marker}",
            requested_by=tenant.users[Role.PARENT],
        )
    return tenant.records["leave"]


def _records_attachment(tenant: Tenant) -> Any:
    """A file attached to the tenant's leave request (records — contact book, issue 10)."""
    from django.core.files.base import ContentFile

    from giaoducso.records.models import ContactAttachment

    if "attachment" not in tenant.records:
        attachment = ContactAttachment(
            school=tenant.school,
            leave_request=_records_leave(tenant),
            name="giay.pdf",
            content_type="application/pdf",
            size=9,
            sha256=f"{tenant.tag:0>64}"[-64:],
        )
        attachment.file.save("giay.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()
        tenant.records["attachment"] = attachment
    return tenant.records["attachment"]


def _office(tenant: Tenant) -> Any:
    """A document issued by the tenant's department to its school (the marker in its summary), with an
    attachment, and the school's copy of it in its incoming queue."""
    from django.core.files.base import ContentFile

    from giaoducso.office import services as office_services
    from giaoducso.office.models import Attachment, Incoming

    if "office_document" not in tenant.records:
        officer, leader = tenant.users[Role.DEPARTMENT_OFFICER], tenant.users[Role.DEPARTMENT_LEADER]
        document = office_services.document_create(
            actor=officer,
            issuer=tenant.department,
            recipients=[tenant.school.code],
            doc_type="KH",
            summary=f"Kế hoạch {tenant.marker}",
        )
        attachment = Attachment(
            document=document, name="ke-hoach.pdf", content_type="application/pdf", size=9, sha256="0" * 64
        )
        attachment.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()
        office_services.document_approve(actor=leader, document=document)
        document = office_services.document_issue(actor=officer, document=document)
        tenant.records["office_document"] = document
        tenant.records["office_attachment"] = attachment
        tenant.records["office_incoming"] = Incoming.objects.get(document=document)
    return tenant.records


def _admissions(tenant: Tenant) -> Any:
    """A grade-1 campaign of the tenant's department with one application (marker in the child's name)
    and a pending correction with its proof."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giaoducso.testing.admissions import apply, campaign_of

    if "admission" not in tenant.records:
        campaign = campaign_of(tenant.department, [tenant.school])
        ward = UnitFactory(
            kind=UnitKind.WARD, code=f"PXTS{tenant.tag}", name="Phường", parent=tenant.department
        )
        proof = SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        application = apply(
            campaign,
            [tenant.school],
            ward=ward,
            name=f"Lê Thu {tenant.marker}",
            data_confirmed=False,
            correction={"field": "address", "value": f"9 Hẻm {tenant.marker}", "note": ""},
            proof=proof,
        )
        tenant.records["admission"] = application
    return tenant.records["admission"]


def _portal(tenant: Tenant) -> dict[str, Any]:
    """The tenant's school site with a draft article, an image and a citizen's request with its file."""
    from giaoducso.portal.models import Article, Image, Procedure, ProcedureRequest, RequestFile, Site

    if "portal" not in tenant.records:
        site, _created = Site.objects.get_or_create(
            unit=tenant.school, defaults={"title": f"Trang {tenant.marker}"}
        )
        article = Article.objects.create(site=site, title=f"Tin {tenant.marker}", slug=f"tin-{tenant.tag}")
        stored = {"file": "portal/none", "content_type": "image/png", "size": 1, "sha256": "0" * 64}
        image = Image.objects.create(site=site, name="a.png", alt_text=f"Ảnh {tenant.marker}", **stored)
        request = ProcedureRequest.objects.create(
            unit=tenant.school,
            procedure=Procedure.objects.get(code="xin-nghi-hoc"),
            tracking_code=f"HS-ISOLATION{tenant.tag}",
            applicant_name=f"Lê Văn {tenant.marker}",
            applicant_phone="0901234567",
            details=f"Nghỉ {tenant.marker}",
            due_on=dt.date(2026, 12, 31),
        )
        file = RequestFile.objects.create(
            request=request, name="don.pdf", **{**stored, "content_type": "application/pdf"}
        )
        tenant.records["portal"] = {"article": article, "image": image, "request": request, "file": file}
    return tenant.records["portal"]


def _reporting(tenant: Tenant) -> dict[str, Any]:
    """A report form, a campaign to the tenant's school, its submission with one file (reporting)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from giaoducso.reporting import services as reporting_services

    if "reporting" not in tenant.records:
        form = reporting_services.form_create(
            actor=None,
            owner=tenant.department,
            title=f"Biểu mẫu {tenant.marker}",
            schema={
                "sections": [
                    {
                        "title": "Chung",
                        "fields": [
                            {"key": "ghi_chu", "label": "Ghi chú", "type": "text"},
                            {"key": "tep", "label": "Tệp", "type": "file", "kinds": ["pdf"]},
                        ],
                    }
                ]
            },
        )
        campaign = reporting_services.campaign_create(
            actor=None,
            owner=tenant.department,
            form=form,
            title=f"Đợt {tenant.marker}",
            opens_on=dt.date(2026, 1, 1),
            deadline=dt.date(2099, 1, 1),
            schools=[tenant.school],
        )
        submission = campaign.submissions.get()
        reporting_services.submission_save(
            actor=None,
            submission=submission,
            answers={"ghi_chu": f"Ghi {tenant.marker}"},
            files={"tep": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")},
            submit=False,
        )
        from giaoducso.reporting.services.checklists import checklist_start
        from giaoducso.reporting.services.cycles import plan_cycle_create

        tenant.records["reporting"] = {
            "cycle": plan_cycle_create(
                actor=None, owner=tenant.department, year_name="2026-2027", schools=[tenant.school]
            ),
            "checklist": checklist_start(actor=None, owner=tenant.department, kind="dt_index"),
            "form": form,
            "campaign": campaign,
            "submission": submission,
            "file": submission.files.get(),
        }
    return tenant.records["reporting"]


# How to fill a route's parameters with a tenant's ids: by "route name:parameter", else by parameter.
Fill = Callable[[Tenant], Any]
PARAMS: dict[str, Fill] = {
    # The HTML screens.
    "code": lambda t: t.school.code,
    "student_pk": lambda t: t.student.pk,
    "guardian_pk": lambda t: t.guardian.pk,
    "directory:student_detail:pk": lambda t: t.student.pk,
    "directory:student_edit:pk": lambda t: t.student.pk,
    "directory:student_set_class:pk": lambda t: t.student.pk,
    "directory:student_set_status:pk": lambda t: t.student.pk,
    "directory:student_change_cancel:pk": lambda t: t.student.pk,
    "directory:student_status_correct:pk": lambda t: t.student.pk,
    "directory:student_identifier:pk": lambda t: t.student.pk,
    "change_pk": lambda t: t.scheduled_change.pk,
    "directory:guardian_add:pk": lambda t: t.student.pk,
    "directory:guardian_edit:pk": lambda t: t.student.pk,
    "directory:guardian_remove:pk": lambda t: t.student.pk,
    "directory:class_detail:pk": lambda t: t.school_class.pk,
    "directory:class_edit:pk": lambda t: t.school_class.pk,
    "directory:class_print_pdf:pk": lambda t: t.school_class.pk,
    "directory:class_print_xlsx:pk": lambda t: t.school_class.pk,
    "directory:staff_detail:pk": lambda t: t.teacher.pk,
    "directory:staff_edit:pk": lambda t: t.teacher.pk,
    "directory:staff_assign:pk": lambda t: t.teacher.pk,
    "directory:room_edit:pk": lambda t: t.room.pk,
    "directory:equipment_edit:pk": lambda t: t.equipment.pk,
    "directory:transfer_detail:pk": lambda t: t.transfer.pk,
    "directory:transfer_decide:pk": lambda t: t.transfer.pk,
    "directory:transfer_decide:action": lambda t: "approve",
    "directory:import_detail:pk": lambda t: t.job.pk,
    "directory:import_status:pk": lambda t: t.job.pk,
    "directory:import_commit:pk": lambda t: t.job.pk,
    "directory:year_set_current:pk": lambda t: t.year.pk,
    "directory:year_term_set:pk": lambda t: t.year.pk,
    "core:user_detail:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_reset_password:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_unlock:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_grant:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_revoke:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_revoke:membership_pk": lambda t: t.users[Role.TEACHER].memberships.get().pk,
    "core:account_set_active:pk": lambda t: t.users[Role.TEACHER].pk,
    "core:account_set_active:action": lambda t: "deactivate",
    "core:notification_mark_read:pk": lambda t: t.notification.pk,
    "core:job_detail:pk": lambda t: t.job.pk,
    "core:job_progress:pk": lambda t: t.job.pk,
    "core:job_download:pk": lambda t: t.job.pk,
    "records:class_detail:pk": lambda t: t.school_class.pk,
    "records:summary:pk": lambda t: t.school_class.pk,
    "records:gradebook:pk": lambda t: t.school_class.pk,
    "records:cell_save:pk": lambda t: t.school_class.pk,
    "records:qualities:pk": lambda t: t.school_class.pk,
    "records:transcripts_start:pk": lambda t: t.school_class.pk,
    "records:transcript_pdf:pk": lambda t: t.school_class.pk,
    "records:transcript_pdf:student_pk": lambda t: t.student.pk,
    "records:teaching_class:pk": lambda t: t.school_class.pk,
    "records:attendance:pk": lambda t: t.school_class.pk,
    "records:attendance_month:pk": lambda t: t.school_class.pk,
    "records:conduct:pk": lambda t: t.school_class.pk,
    "records:correction_new:pk": lambda t: t.school_class.pk,
    "records:summary_export:pk": lambda t: t.school_class.pk,
    "records:gradebook_export:pk": lambda t: t.school_class.pk,
    "records:gradebook_import:pk": lambda t: t.school_class.pk,
    "records:lock_reopen:pk": lambda t: _records_lock(t).pk,
    "records:correction_detail:pk": lambda t: _records_correction(t).pk,
    "records:import_detail:pk": lambda t: t.job.pk,
    "records:import_status:pk": lambda t: t.job.pk,
    "records:import_commit:pk": lambda t: t.job.pk,
    # records — contact book (issue 10)
    "records:contact_inbox:pk": lambda t: t.school_class.pk,
    "records:contact_thread:pk": lambda t: t.school_class.pk,
    "records:retests:pk": lambda t: t.school_class.pk,
    "leave_pk": lambda t: _records_leave(t).pk,
    "attachment_pk": lambda t: _records_attachment(t).pk,
    "attachment_id": lambda t: _records_attachment(t).pk,
    "leave_id": lambda t: _records_leave(t).pk,
    # --- admissions
    "admissions:receipt:code": lambda t: _admissions(t).code,
    "admissions:receipt_pdf:code": lambda t: _admissions(t).code,
    "admissions:campaign_detail:pk": lambda t: _admissions(t).campaign_id,
    "admissions:campaign_edit:pk": lambda t: _admissions(t).campaign_id,
    "admissions:campaign_action:pk": lambda t: _admissions(t).campaign_id,
    "admissions:campaign_action:action": lambda t: "open",
    "admissions:campaign_inputs:pk": lambda t: _admissions(t).campaign_id,
    "admissions:campaign_stats:pk": lambda t: _admissions(t).campaign_id,
    "admissions:application_list:pk": lambda t: _admissions(t).campaign_id,
    "admissions:queue:pk": lambda t: _admissions(t).campaign_id,
    "admissions:enrol:pk": lambda t: _admissions(t).campaign_id,
    "admissions:application_detail:pk": lambda t: _admissions(t).pk,
    "admissions:proof_download:pk": lambda t: _admissions(t).corrections.get().proofs.get().pk,
    "api:giaoducso_admissions_api_campaign_detail:campaign_id": lambda t: _admissions(t).campaign_id,
    "api:giaoducso_admissions_api_campaign_patch:campaign_id": lambda t: _admissions(t).campaign_id,
    "api:giaoducso_admissions_api_application_list:campaign_id": lambda t: _admissions(t).campaign_id,
    "api:giaoducso_admissions_api_campaign_statistics:campaign_id": lambda t: _admissions(t).campaign_id,
    # reporting
    "reporting:form_detail:pk": lambda t: _reporting(t)["form"].pk,
    "reporting:campaign_detail:pk": lambda t: _reporting(t)["campaign"].pk,
    "reporting:campaign_export:pk": lambda t: _reporting(t)["campaign"].pk,
    "reporting:submission_detail:pk": lambda t: _reporting(t)["submission"].pk,
    "reporting:submission_file:pk": lambda t: _reporting(t)["submission"].pk,
    "reporting:submission_file:file_pk": lambda t: _reporting(t)["file"].pk,
    "submission_id": lambda t: _reporting(t)["submission"].pk,
    "reporting:cycle_detail:pk": lambda t: _reporting(t)["cycle"].pk,
    "reporting:cycle_pdf:pk": lambda t: _reporting(t)["cycle"].pk,
    "reporting:cycle_docx:pk": lambda t: _reporting(t)["cycle"].pk,
    "reporting:checklist_edit:pk": lambda t: _reporting(t)["checklist"].pk,
    # Subjects are the national programme's, the same for every tenant: the class is what is guarded.
    "subject_pk": lambda t: Subject.objects.get(code="toan_thcs").pk,
    # The API (OpenAPI path parameters).
    "student_id": lambda t: t.student.pk,
    "guardian_id": lambda t: t.guardian.pk,
    "change_id": lambda t: t.scheduled_change.pk,
    "class_id": lambda t: t.school_class.pk,
    "staff_id": lambda t: t.teacher.pk,
    "room_id": lambda t: t.room.pk,
    "equipment_id": lambda t: t.equipment.pk,
    "job_id": lambda t: t.job.pk,
    # The records' API: the class is what is guarded (subjects are national, dates and sessions are words).
    "subject_code": lambda t: "toan_thcs",
    "date": lambda t: "2026-10-05",
    "session": lambda t: "am",
    # --- office: a document of the tenant's department sent to its school, and the school's copy ---
    "office:document_detail:pk": lambda t: _office(t)["office_document"].pk,
    "office:document_edit:pk": lambda t: _office(t)["office_document"].pk,
    "office:document_pdf:pk": lambda t: _office(t)["office_document"].pk,
    "office:document_action:pk": lambda t: _office(t)["office_document"].pk,
    "office:document_action:action": lambda t: "recall",
    "office:attachment:pk": lambda t: _office(t)["office_attachment"].pk,
    "office:incoming_detail:pk": lambda t: _office(t)["office_incoming"].pk,
    "office:incoming_action:pk": lambda t: _office(t)["office_incoming"].pk,
    "office:incoming_action:action": lambda t: "register",
    "document_id": lambda t: _office(t)["office_document"].pk,
    "incoming_id": lambda t: _office(t)["office_incoming"].pk,
    # portal: the editors' screens name the unit by its code (above) and the content by kind and id.
    "portal:content_new:kind": lambda t: "tin",
    "portal:content_edit:kind": lambda t: "tin",
    "portal:content_edit:pk": lambda t: _portal(t)["article"].pk,
    "portal:attachment_add:kind": lambda t: "tin",
    "portal:attachment_add:pk": lambda t: _portal(t)["article"].pk,
    "portal:content_action:kind": lambda t: "tin",
    "portal:content_action:pk": lambda t: _portal(t)["article"].pk,
    "portal:content_action:action": lambda t: "dang",
    "portal:image:pk": lambda t: _portal(t)["image"].pk,
    "portal:image_file:pk": lambda t: _portal(t)["image"].pk,
    "portal:request:pk": lambda t: _portal(t)["request"].pk,
    "portal:request_file:pk": lambda t: _portal(t)["request"].pk,
    "portal:request_file:file_pk": lambda t: _portal(t)["file"].pk,
    # The catalogue's items are national: the school (its code) is what is guarded.
    "portal:disclosure_item:pk": lambda t: _requirement_pk(),
}


def _requirement_pk() -> int:
    from giaoducso.portal.models import Requirement

    return Requirement.objects.get(code="d4-thong-tin-chung").pk


# Routes the matrix does not request, each with the reason; everything else must be described above.
# Screens are named by their URL name, API operations by "api:" and their operation id.
SKIPPED: dict[str, str] = {
    "admin:": "the Django admin: superusers only, covered by the admin's own tests",
    "api:giaoducso_exchange_api_dataset_detail": "open data: public aggregates with disclosure control",
    "exchange:open_data_dataset": "open data: public aggregates with disclosure control",
    "core:logout": "signs the user out, which ends the matrix's session",
    "core:password_reset_confirm": "a signed link from an e-mail: its token, not the session, names the account",
    "set_language": "changes the session's language only",
    "admissions:apply_start": "public admission form of an open campaign: no personal data until identified",
    "admissions:apply_form": "public admission form: reached only after identifying a child in this session",
    "admissions:school_list": "public admission list: masked names and years of birth, by design",
    "site:": "the public portal: published pages any visitor reads; portal/tests check drafts stay hidden",
    "portal:requirement_edit": "the national catalogue of disclosure items, no tenant's; portal/tests check who edits it",
}


def skipped(name: str) -> str | None:
    for prefix, reason in SKIPPED.items():
        if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
            return reason
    return None


def fill(name: str, params: list[str], tenant: Tenant) -> dict[str, Any] | None:
    """The route's parameters filled with `tenant`'s ids, or None when some parameter is not described."""
    values: dict[str, Any] = {}
    for param in params:
        describer = PARAMS.get(f"{name}:{param}") or PARAMS.get(param)
        if describer is None:
            return None
        values[param] = describer(tenant)
    return values
