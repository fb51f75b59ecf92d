"""Parents' accounts in bulk: for a school (or one class), every guardian of a pupil on the roll who has
no account gets one, with the parent role on the school and a printed letter (PDF) per family giving the
username and a one-time password to change at first sign-in.

A family is the guardians of the school who share a phone number (brothers and sisters at one school get
one account and one letter); a guardian without a phone is a family of their own. A family already holding
an account through another child is linked to it and gets no new letter. Usernames are
`ph.<school code>.<counter>`: nothing personal (a phone number as username would publish it).

Runs as a background job (`job_start_parent_accounts`) acting as the person who started it, with the
unit they had chosen; core.accounts.can_grant(PARENT, school) is checked when it starts and again when
it runs. Accounts, links and the letters are written in one transaction: a failure leaves no account
whose one-time password nobody has seen. The letters file is the one place the passwords ever appear;
only its owner can download it, and every download is audited (core jobs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from giaoducso.core import accounts, audit, jobs, pdf, services
from giaoducso.core.jobs import JOB_KINDS, JobError, JobKind
from giaoducso.core.models import Job, Unit, User
from giaoducso.core.roles import Role

from .models import Guardian, SchoolClass, StudentStatus

KIND = "directory_parent_accounts"
JOB_KINDS.setdefault(KIND, JobKind(gettext_lazy("Tạo tài khoản cha mẹ học sinh"), notify_on_finish=True))
ENROLLED = (StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN, StudentStatus.RETURNED)


def may_create_for(actor: Any, school: Unit) -> bool:
    return accounts.can_grant(actor, Role.PARENT, school)


def guardians_without_account(school: Unit, school_class: SchoolClass | None = None) -> Any:
    guardians = Guardian.objects.filter(school=school, user__isnull=True, student__status__in=ENROLLED)
    if school_class is not None:
        guardians = guardians.filter(student__current_class=school_class)
    return guardians.select_related("student", "student__current_class").order_by(
        "student__current_class__grade", "student__current_class__name", "student__full_name", "id"
    )


def _phone_key(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def job_start_parent_accounts(*, actor: Any, school: Unit, school_class: SchoolClass | None = None) -> Job:
    if not may_create_for(actor, school):
        raise PermissionDenied(_("Bạn không được tạo tài khoản cha mẹ học sinh cho trường này."))
    if school_class is not None and school_class.school_id != school.pk:
        raise PermissionDenied(_("Lớp không thuộc trường đã chọn."))
    title = _("Tạo tài khoản cha mẹ học sinh: %(where)s") % {
        "where": f"{school.name}, {school_class.name}" if school_class else school.name
    }
    return jobs.job_start(
        actor=actor,
        kind=KIND,
        title=title,
        unit=school,
        task=create_parent_accounts,
        params={
            "school_id": school.pk,
            "class_id": school_class.pk if school_class else None,
            "membership_id": jobs.membership_param(actor),
        },
    )


def _next_counter(prefix: str) -> int:
    numbers = [
        int(name[len(prefix) :])
        for name in User.objects.filter(username__startswith=prefix).values_list("username", flat=True)
        if name[len(prefix) :].isdigit()
    ]
    return max(numbers, default=0) + 1


def parent_accounts_body(job: Job, report: jobs.JobReporter) -> dict[str, Any]:
    actor = jobs._acting_user(job)
    school = Unit.objects.filter(pk=job.params.get("school_id")).first()
    if school is None or not may_create_for(actor, school):
        raise JobError(_("Bạn không còn quyền tạo tài khoản cha mẹ học sinh cho trường này."))
    school_class = None
    if job.params.get("class_id"):
        school_class = SchoolClass.objects.filter(pk=job.params["class_id"], school=school).first()
        if school_class is None:
            raise JobError(_("Lớp đã chọn không còn trong trường."))
    report(2, _("Đang tìm cha mẹ học sinh chưa có tài khoản…"))
    with transaction.atomic():
        guardians = list(guardians_without_account(school, school_class).select_for_update(of=("self",)))
        families: dict[str, list[Guardian]] = defaultdict(list)
        for guardian in guardians:
            families[_phone_key(guardian.phone) or f"g{guardian.pk}"].append(guardian)
        phones = [key for key in families if not key.startswith("g")]
        existing: dict[str, User] = {}
        for linked in Guardian.objects.filter(school=school, user__isnull=False).select_related("user"):
            key = _phone_key(linked.phone)
            if key in phones and linked.user is not None:
                existing.setdefault(key, linked.user)
        prefix = f"ph.{school.code.lower()}."
        counter = _next_counter(prefix)
        letters = []
        linked_only = 0
        for done, (key, members) in enumerate(families.items(), start=1):
            user = existing.get(key)
            password = ""
            if user is None:
                password = accounts.one_time_password()
                first = members[0]
                user = services.user_create(
                    actor=actor,
                    username=f"{prefix}{counter:04d}",
                    password=password,
                    full_name=first.full_name,
                    phone=first.phone,
                    audit_unit=school,
                )
                counter += 1
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
            else:
                linked_only += 1
            services.membership_grant(actor=actor, user=user, unit=school, role=Role.PARENT)
            for guardian in members:
                guardian.user = user
                guardian.save(update_fields=["user"])
                audit.record(
                    actor=actor,
                    action="update",
                    obj=guardian,
                    unit=school,
                    changes={"user": [None, user.username]},
                    note="liên kết tài khoản cha mẹ học sinh",
                )
            if password:
                letters.append(
                    {
                        "guardian": members[0].full_name,
                        "children": [
                            {
                                "name": g.student.full_name,
                                "class": g.student.current_class.name if g.student.current_class else "",
                            }
                            for g in members
                        ],
                        "username": user.username,
                        "password": password,
                    }
                )
            if done % 50 == 0:
                report.step(done, len(families), _("Đã tạo %(n)d tài khoản") % {"n": done}, start=5, end=80)
        result: dict[str, Any] = {"created": len(letters), "linked": linked_only, "guardians": len(guardians)}
        if letters:
            report(85, _("Đang in thư gửi cha mẹ học sinh…"))
            content = pdf.render_pdf(
                "directory/parent_letters.html",
                {
                    "school": school,
                    "letters": letters,
                    "site_url": settings.SITE_URL,
                    "site_name": settings.SITE_NAME,
                    "today": timezone.localdate(),
                },
            )
            filename = f"thu-tai-khoan-cha-me-{school.code}-{timezone.localtime():%Y%m%d-%H%M%S}.pdf"
            job.result_file.save(filename, ContentFile(content), save=False)
            Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
            result["filename"] = filename
            audit.record_export(
                actor=actor,
                what="directory.parent_letters",
                unit=school,
                rows=len(letters),
                fmt="pdf",
                note="thư tài khoản cha mẹ học sinh (mật khẩu dùng một lần)",
            )
    result["message"] = _(
        "Đã tạo %(created)d tài khoản (mỗi gia đình một thư trong tệp PDF); %(linked)d gia đình đã có tài khoản được liên kết thêm."
    ) % {"created": result["created"], "linked": linked_only}
    return result


@task()
def create_parent_accounts(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, parent_accounts_body)
