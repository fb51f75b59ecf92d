"""The homeroom teacher's side of the contact book: the leave requests to decide, each family's thread,
announcements to the class, and publishing a term's results. Only the class's homeroom teacher reaches
these pages (404 for anyone else, as for a class that does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giaoducso.directory.models import SchoolClass, Student

from ..models import LeaveRequest, LeaveStatus, Message, Term
from ..selectors import family as selectors
from ..services import family as services
from .common import message_of, parse_term


def _homeroom_class(request: HttpRequest, pk: int) -> SchoolClass:
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher"), pk=pk
    )
    if not services.is_homeroom_of(request.user, school_class):
        raise Http404
    return school_class


@login_required
def contact_inbox(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _homeroom_class(request, pk)
    error = ""
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        try:
            if action == "announce":
                services.announcement_post(
                    actor=request.user,
                    school_class=school_class,
                    title=str(request.POST.get("title", "")),
                    body=str(request.POST.get("body", "")),
                )
                messages.success(request, _("Đã đăng thông báo cho lớp."))
            elif action == "publish":
                term = parse_term(request.POST.get("term"))
                services.results_publish(actor=request.user, school_class=school_class, term=term)
                messages.success(
                    request,
                    _("Đã công bố kết quả %(term)s cho gia đình học sinh.") % {"term": Term(term).label},
                )
            else:
                raise Http404
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            return redirect("records:contact_inbox", school_class.pk)
    students = selectors.class_students(school_class)
    threads = {
        row["student_id"]: row
        for row in Message.objects.filter(student__in=students)
        .values("student_id")
        .annotate(
            last=Max("created_at"),
            unread=Count("id", filter=Q(from_family=True, read_at__isnull=True)),
        )
    }
    context = {
        "school_class": school_class,
        "pending": LeaveRequest.objects.filter(school_class=school_class, status=LeaveStatus.PENDING)
        .select_related("student", "requested_by")
        .prefetch_related("attachments"),
        "decided": LeaveRequest.objects.filter(school_class=school_class)
        .exclude(status=LeaveStatus.PENDING)
        .select_related("student")[:20],
        "threads": [(s, threads.get(s.pk)) for s in students],
        "announcements": selectors.class_announcements(school_class)[:10],
        "published": selectors.published_terms(school_class),
        "terms": Term.choices,
        "error": error,
    }
    return render(request, "records/contact/inbox.html", context, status=400 if error else 200)


@login_required
def contact_thread(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    school_class = _homeroom_class(request, pk)
    student = get_object_or_404(Student, pk=student_pk, current_class=school_class)
    error, body = "", ""
    if request.method == "POST":
        body = str(request.POST.get("body", ""))[:4000]
        try:
            services.message_send(
                actor=request.user,
                student=student,
                body=body,
                attachments=request.FILES.getlist("attachment"),
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã gửi tin nhắn."))
            return redirect("records:contact_thread", school_class.pk, student.pk)
    services.thread_mark_read(actor=request.user, student=student, family_side=False)
    context = {
        "school_class": school_class,
        "student": student,
        "thread": selectors.thread(student),
        "error": error,
        "body": body,
    }
    return render(request, "records/contact/thread.html", context, status=400 if error else 200)


@login_required
@require_POST
def leave_decide(request: HttpRequest, leave_pk: int) -> HttpResponse:
    leave = get_object_or_404(LeaveRequest.objects.select_related("school_class", "student"), pk=leave_pk)
    school_class = _homeroom_class(request, leave.school_class_id)
    action = str(request.POST.get("action", ""))
    if action not in ("approve", "refuse"):
        raise Http404
    try:
        services.leave_decide(
            actor=request.user,
            leave=leave,
            approve=action == "approve",
            note=str(request.POST.get("note", ""))[:600],
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        done = (
            _("Đã duyệt đơn xin nghỉ của %(name)s.")
            if action == "approve"
            else _("Đã từ chối đơn xin nghỉ của %(name)s.")
        )
        messages.success(request, done % {"name": leave.student.full_name})
    return redirect("records:contact_inbox", school_class.pk)
