"""The pages of parents and students: their own child(ren), their own record — nothing of the school's."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from giaoducso.core.roles import Role
from giaoducso.core.scoping import memberships_for

from .. import selectors, services
from .students import _detail_context


def _holds(request: HttpRequest, role: str) -> bool:
    return any(m.role == role for m in memberships_for(request.user))


@login_required
def my_children(request: HttpRequest) -> HttpResponse:
    if not _holds(request, Role.PARENT):
        raise Http404
    children = list(selectors.children_of(user=request.user))
    return render(request, "directory/my_children.html", {"children": children})


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    if not _holds(request, Role.STUDENT):
        raise Http404
    student = selectors.own_record(user=request.user)
    if student is None:
        return render(request, "directory/my_children.html", {"children": [], "self_view": True})
    services.student_record_viewed(actor=request.user, student=student)
    return render(request, "directory/student_detail.html", _detail_context(request, student))
