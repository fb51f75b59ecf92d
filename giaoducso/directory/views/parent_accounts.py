"""Parents' accounts in bulk (directory/parent_accounts.py): choose a school and maybe a class, start
the job, follow it on the job page, download the letters there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from giaoducso.core import accounts
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Role

from .. import parent_accounts
from ..models import SchoolClass


class ParentAccountsForm(forms.Form):
    class_name = forms.CharField(
        label=_("Lớp (để trống: cả trường)"), required=False, max_length=32, help_text=_("Ví dụ 6/1")
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(label=_("Trường"), queryset=schools, to_field_name="code")
        field.label_from_instance = lambda unit: f"{unit.name} ({unit.code})"  # type: ignore[method-assign]
        self.fields = {"school": field, **self.fields}  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        school, name = data.get("school"), (data.get("class_name") or "").strip()
        data["school_class"] = None
        if school is not None and name:
            data["school_class"] = SchoolClass.objects.filter(
                school=school, year__is_current=True, name=name
            ).first()
            if data["school_class"] is None:
                self.add_error("class_name", _("Trường không có lớp này trong năm học hiện tại."))
        return data


def _schools(user: Any) -> Any:
    units = accounts.manageable_units(user).filter(kind=UnitKind.SCHOOL)
    allowed = [u.pk for u in units if parent_accounts.may_create_for(user, u)]
    return Unit.objects.filter(pk__in=allowed).order_by("name")


@login_required
def parent_accounts_start(request: HttpRequest) -> HttpResponse:
    if not accounts.may_administer(request.user) or not accounts.can_grant_somewhere(
        request.user, Role.PARENT
    ):
        raise Http404
    form = ParentAccountsForm(request.POST or None, schools=_schools(request.user))
    if request.method == "POST" and form.is_valid():
        job = parent_accounts.job_start_parent_accounts(
            actor=request.user,
            school=form.cleaned_data["school"],
            school_class=form.cleaned_data["school_class"],
        )
        return redirect("core:job_detail", pk=job.pk)
    return render(
        request, "directory/parent_accounts.html", {"form": form}, status=400 if form.errors else 200
    )
