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
}

# Routes the matrix does not request, each with the reason; everything else must be described above.
# Screens are named by their URL name, API operations by "api:" and their operation id.
SKIPPED: dict[str, str] = {
    "admin:": "the Django admin: superusers only, covered by the admin's own tests",
    "api:giaoducso_exchange_api_dataset_detail": "open data: public aggregates with disclosure control",
    "exchange:open_data_dataset": "open data: public aggregates with disclosure control",
    "core:logout": "signs the user out, which ends the matrix's session",
    "core:password_reset_confirm": "a signed link from an e-mail: its token, not the session, names the account",
    "set_language": "changes the session's language only",
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
