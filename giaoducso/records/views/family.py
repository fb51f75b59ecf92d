"""The contact book for a family (sổ liên lạc điện tử): a parent's children (switching between them), and
for one child the scores as entered, the published results, attendance with leave requests, the messages
with the homeroom teacher and the class's announcements. A student opens the same pages about themself
(reading; a parent asks leave and writes). Phone first: one column, no wide grids.

Each page is keyed on one child (`selectors.family.child_or_404`): another student is not found (404), and
nothing here reads a class average, a rank or another student's row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.uploads import file_response
from giaoducso.directory.models import Student

from ..models import LeaveSessions, Term
from ..selectors import family as selectors
from ..selectors.summary import YEAR
from ..services import family as services
from .common import message_of, parse_date


def _child(request: HttpRequest, student_pk: int) -> tuple[Student, list[Student], bool]:
    child = selectors.child_or_404(request.user, student_pk)
    children = list(selectors.children_for(request.user))
    return child, children, selectors.is_parent_of(request.user, child)


def _context(child: Student, children: list[Student], parent: bool, tab: str) -> dict[str, Any]:
    return {
        "child": child,
        "children": children,
        "is_parent": parent,
        "tab": tab,
        "school_class": child.current_class,
    }


@login_required
def family_home(request: HttpRequest) -> HttpResponse:
    """A family's entry: straight to the only child, else the list to choose from."""
    children = [c for c in selectors.children_for(request.user) if c.current_class_id is not None]
    if not children:
        raise Http404
    if len(children) == 1:
        return redirect("records:family_child", children[0].pk)
    return render(request, "records/family/home.html", {"children": children})


@login_required
def family_child(request: HttpRequest, student_pk: int) -> HttpResponse:
    child, children, parent = _child(request, student_pk)
    context = _context(child, children, parent, "scores")
    context["scores"] = selectors.child_scores(child)
    context["results"] = selectors.child_results(request.user, child)
    context["terms"] = [(t, Term(t).label) for t in context["results"].published]
    context["YEAR"] = YEAR
    return render(request, "records/family/child.html", context)


@login_required
def family_attendance(request: HttpRequest, student_pk: int) -> HttpResponse:
    child, children, parent = _child(request, student_pk)
    error = ""
    form = {"date_from": "", "date_to": "", "sessions": LeaveSessions.BOTH, "reason": ""}
    if request.method == "POST":
        if not parent:
            raise Http404
        form = {key: str(request.POST.get(key, ""))[:600] for key in form}
        try:
            date_from = parse_date(form["date_from"])
            date_to = parse_date(form["date_to"]) if form["date_to"].strip() else date_from
            services.leave_request_create(
                actor=request.user,
                student=child,
                date_from=date_from,
                date_to=date_to,
                sessions=form["sessions"],
                reason=form["reason"],
                attachments=request.FILES.getlist("attachment"),
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã gửi đơn xin nghỉ; giáo viên chủ nhiệm sẽ duyệt."))
            return redirect("records:family_attendance", child.pk)
    context = _context(child, children, parent, "attendance")
    absences = list(selectors.child_absences(child))
    context.update(
        absences=absences,
        excused=sum(1 for a in absences if a.excused),
        unexcused=sum(1 for a in absences if not a.excused),
        leaves=selectors.child_leave_requests(child),
        sessions=LeaveSessions.choices,
        form=form,
        error=error,
    )
    return render(request, "records/family/attendance.html", context, status=400 if error else 200)


@login_required
def family_messages(request: HttpRequest, student_pk: int) -> HttpResponse:
    child, children, parent = _child(request, student_pk)
    if not parent:
        raise Http404  # the thread is between the parents and the homeroom teacher
    error, body = "", ""
    if request.method == "POST":
        body = str(request.POST.get("body", ""))[:4000]
        try:
            services.message_send(
                actor=request.user, student=child, body=body, attachments=request.FILES.getlist("attachment")
            )
        except ValidationError as exc:
            error = message_of(exc)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã gửi tin nhắn."))
            return redirect("records:family_messages", child.pk)
    services.thread_mark_read(actor=request.user, student=child, family_side=True)
    context = _context(child, children, parent, "messages")
    context.update(thread=selectors.thread(child), error=error, body=body)
    return render(request, "records/family/messages.html", context, status=400 if error else 200)


@login_required
def family_announcements(request: HttpRequest, student_pk: int) -> HttpResponse:
    child, children, parent = _child(request, student_pk)
    context = _context(child, children, parent, "announcements")
    context["announcements"] = selectors.class_announcements(child.current_class)[:50]  # type: ignore[arg-type]
    return render(request, "records/family/announcements.html", context)


@login_required
def attachment_download(request: HttpRequest, attachment_pk: int) -> HttpResponse:
    """A message's or leave request's file, for the family of its student and the homeroom teacher."""
    return file_response(selectors.attachment_or_404(request.user, attachment_pk))
