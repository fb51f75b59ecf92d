"""Transcripts (học bạ): one student's PDF at once; a class's as a background job followed on the job
page (records/transcripts.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm

from .. import transcripts
from .gradebook import _class


@login_required
@require_GET
@require_perm(Perm.VIEW_RECORDS)
def transcript_pdf(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    school_class, _access = _class(request, pk)
    content, filename = transcripts.student_transcript_pdf(
        actor=request.user, school_class=school_class, student_id=student_pk
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@require_perm(Perm.VIEW_RECORDS)
def transcripts_start(request: HttpRequest, pk: int) -> HttpResponse:
    school_class, _access = _class(request, pk)
    job = transcripts.job_start_transcripts(actor=request.user, school_class=school_class)
    return redirect("core:job_detail", pk=job.pk)
