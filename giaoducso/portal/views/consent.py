"""Recording pupils' consent to publish their images (school office, leaders)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core.paging import page_of
from giaoducso.core.roles import Perm
from giaoducso.directory.models import Student
from rules.text import fold

from ..access import unit_for
from ..disclosure_sources import IN_SCHOOL
from ..forms import ConsentForm, apply_service_errors
from ..services import photo_consent_set
from ..services.consent import problem_for


@login_required
def consent_list(request: HttpRequest, code: str) -> HttpResponse:
    school = unit_for(request.user, Perm.PORTAL_CONSENT, code)
    students = Student.objects.filter(school=school, status__in=IN_SCHOOL).select_related(
        "photo_consent", "current_class"
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        students = students.filter(search_name__contains=fold(query))
    page = page_of(request, students.order_by("current_class__name", "sort_key"))
    today = timezone.localdate()
    rows = [{"student": s, "problem": problem_for(s, today)} for s in page]
    return render(
        request, "portal/edit/consents.html", {"school": school, "page": page, "rows": rows, "query": query}
    )


@login_required
def consent_edit(request: HttpRequest, code: str, student_pk: int) -> HttpResponse:
    school = unit_for(request.user, Perm.PORTAL_CONSENT, code)
    student = Student.objects.filter(school=school, pk=student_pk).select_related("photo_consent").first()
    if student is None:
        raise Http404
    consent = getattr(student, "photo_consent", None)
    initial = (
        {
            "parent_consent_on": consent.parent_consent_on,
            "parent_name": consent.parent_name,
            "child_consent_on": consent.child_consent_on,
            "withdrawn_on": consent.withdrawn_on,
        }
        if consent
        else {}
    )
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            photo_consent_set(actor=request.user, student=student, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận."))
            return redirect(reverse("portal:consents", args=[code]))
    context = {
        "school": school,
        "student": student,
        "form": form,
        "problem": problem_for(student, timezone.localdate()),
    }
    return render(request, "portal/edit/consent.html", context, status=400 if form.errors else 200)
