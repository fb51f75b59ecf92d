from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.roles import Perm
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..forms import StudentFilterForm, StudentForm


@login_required
@require_perm(Perm.VIEW_STUDENT)
def student_list(request: HttpRequest) -> HttpResponse:
    form = StudentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    students = selectors.student_list(
        user=request.user, q=filters.get("q", ""), school_code=filters.get("school", "")
    )
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query_base = params.urlencode()
    return render(request, "directory/student_list.html", {"form": form, "page": page})


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk)
    return render(request, "directory/student_detail.html", {"student": student})


@login_required
def student_edit(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(user=request.user, pk=pk, perm=Perm.CHANGE_STUDENT)
    form = StudentForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form validated a copy; reload so the service diffs against what is stored.
        student.refresh_from_db()
        services.student_update(actor=request.user, student=student, **changed)
        messages.success(request, _("Đã lưu thông tin học sinh."))
        return redirect("directory:student_detail", pk=student.pk)
    status = 400 if form.errors else 200
    return render(request, "directory/student_edit.html", {"form": form, "student": student}, status=status)
