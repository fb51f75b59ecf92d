"""Transcripts (học bạ) as PDF: one student's at once, a class's as a background job (core.jobs) whose
result is one merged PDF with a page run per student, downloadable on the job page by whoever started it.

The job acts as the person who started it, with the unit they had chosen: the reach (`class_summary`'s
rule, whole class only) is checked when it starts and again when it runs. Every PDF handed out is an
export of personal data and is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from giaoducso.core import audit, jobs, pdf
from giaoducso.core.jobs import JOB_KINDS, JobError, JobKind
from giaoducso.core.models import Job
from giaoducso.directory.models import SchoolClass

from .selectors.access import class_access
from .selectors.transcript import class_transcripts

KIND = "records_transcripts"
JOB_KINDS.setdefault(KIND, JobKind(gettext_lazy("In học bạ cả lớp"), notify_on_finish=True))
TEMPLATE = "records/transcript.html"


def may_print_class(actor: Any, school_class: SchoolClass) -> bool:
    """A class's transcripts are for who sees the whole class (homeroom teacher, leaders, department)."""
    access = class_access(actor, school_class)
    return access is not None and access.whole_class


def filename_for(school_class: SchoolClass, student: Any | None = None) -> str:
    who = slugify(student.search_name if student is not None and getattr(student, "search_name", "") else "")
    what = f"hoc-ba-{school_class.school.code}-{slugify(school_class.name.replace('/', '-'))}-{school_class.year.name}"
    return f"{what}-{who or student.pk}.pdf" if student is not None else f"{what}.pdf"


def transcript_html(context: dict[str, Any]) -> str:
    """The page a transcript PDF is printed from (what the tests read)."""
    return render_to_string(TEMPLATE, {"pdf_font_family": pdf.FONT_FAMILY, **context})


def student_transcript_pdf(*, actor: Any, school_class: SchoolClass, student_id: int) -> tuple[bytes, str]:
    """One student's transcript for `actor` (404 beyond reach), audited as an export."""
    transcripts = class_transcripts(user=actor, school_class=school_class, student_id=student_id)
    context = transcripts.contexts[0]
    content = pdf.render_pdf(TEMPLATE, context)
    audit.record_export(
        actor=actor,
        what="records.transcript",
        unit=school_class.school,
        rows=1,
        fmt="pdf",
        note=school_class.name,
    )
    return content, filename_for(school_class, context["student"])


def job_start_transcripts(*, actor: Any, school_class: SchoolClass) -> Job:
    if not may_print_class(actor, school_class):
        raise Http404
    return jobs.job_start(
        actor=actor,
        kind=KIND,
        title=_("In học bạ lớp %(cls)s — %(school)s")
        % {"cls": school_class.name, "school": school_class.school.name},
        unit=school_class.school,
        task=print_transcripts,
        params={"class_id": school_class.pk, "membership_id": jobs.membership_param(actor)},
    )


def transcripts_body(job: Job, report: jobs.JobReporter) -> dict[str, Any]:
    actor = jobs._acting_user(job)
    school_class = (
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher")
        .filter(pk=job.params.get("class_id"))
        .first()
    )
    if school_class is None or not may_print_class(actor, school_class):
        raise JobError(_("Bạn không còn quyền xem học bạ của lớp này."))
    report(2, _("Đang tổng hợp kết quả của lớp…"))
    transcripts = class_transcripts(user=actor, school_class=school_class)
    if not transcripts.contexts:
        raise JobError(_("Lớp chưa có học sinh."))
    total = len(transcripts.contexts)

    def progress(done: int, count: int) -> None:
        report.step(
            done,
            count,
            _("Đã in %(done)d/%(total)d học bạ") % {"done": done, "total": total},
            start=5,
            end=95,
        )

    content = pdf.render_pdf_merged(TEMPLATE, transcripts.contexts, progress)
    filename = filename_for(school_class)
    job.result_file.save(filename, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    audit.record_export(
        actor=actor,
        what="records.transcript",
        unit=school_class.school,
        rows=total,
        fmt="pdf",
        note=school_class.name,
    )
    return {
        "rows": total,
        "filename": filename,
        "message": _("Đã in %(n)d học bạ của lớp %(cls)s vào một tệp PDF (%(time)s).")
        % {"n": total, "cls": school_class.name, "time": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
    }


@task()
def print_transcripts(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, transcripts_body)
