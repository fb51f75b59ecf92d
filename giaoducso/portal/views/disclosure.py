"""The legal disclosure: the public page of a school (the latest version of each item, and every earlier
one), the school's preparation screen, the department's board and catalogue."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import units_for
from giaoducso.core.uploads import file_response

from .. import selectors
from ..access import holds, unit_for
from ..cache import public_page
from ..forms import apply_service_errors
from ..models import DisclosureDocument, DisclosureVersion, Requirement
from ..services import disclosure as service
from .public import site_context

# --- public ------------------------------------------------------------------------------------------


@require_GET
@public_page
def public_disclosure(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    if unit.kind != "school":
        raise Http404
    return render(request, "portal/public/disclosure.html", site_context(unit, items=service.published(unit)))


@require_GET
@public_page
def public_history(request: HttpRequest, code: str, requirement: str) -> HttpResponse:
    unit = selectors.public_unit(code)
    item = Requirement.objects.filter(code=requirement).first()
    if item is None:
        raise Http404
    versions = list(
        DisclosureVersion.objects.filter(school=unit, requirement=item)
        .select_related("document")
        .order_by("-number")
    )
    return render(
        request,
        "portal/public/disclosure_history.html",
        site_context(unit, requirement=item, versions=versions),
    )


@require_GET
def public_document(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A published version's document: only one some version shows."""
    unit = selectors.public_unit(code)
    document = DisclosureDocument.objects.filter(school=unit, pk=pk).first()
    if document is None or not DisclosureVersion.objects.filter(school=unit, document=document).exists():
        raise Http404
    return file_response(document)


# --- the school's preparation --------------------------------------------------------------------------


class ItemForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    file = forms.FileField(label=gettext_lazy("Văn bản (PDF, DOCX, ODT, XLSX)"), required=False)


def _school(request: HttpRequest, code: str) -> Unit:
    unit = unit_for(request.user, Perm.PORTAL_DISCLOSURE, code)
    if unit.kind != "school":
        raise Http404
    return unit


@login_required
def disclosure_edit(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    today = timezone.localdate()
    published = {row["requirement"].pk: row["version"] for row in service.published(school)}
    drafts = {d.requirement_id: d for d in school_drafts(school)}
    rows = []
    for requirement in service.requirements_for(school):
        version = published.get(requirement.pk)
        draft = drafts.get(requirement.pk)
        rows.append(
            {
                "requirement": requirement,
                "version": version,
                "draft": draft,
                "status": service.status_of(
                    requirement,
                    version.published_at if version else None,
                    draft.changed_on if draft else None,
                    today,
                ),
            }
        )
    context = {
        "school": school,
        "rows": rows,
        "can_publish": holds(request.user, Perm.PORTAL_PUBLISH, school),
    }
    return render(request, "portal/edit/disclosure.html", context)


def school_drafts(school: Unit):  # type: ignore[no-untyped-def]
    from ..models import DisclosureDraft

    return DisclosureDraft.objects.filter(school=school)


@login_required
def disclosure_item(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    school = _school(request, code)
    requirement = Requirement.objects.filter(pk=pk, is_active=True).first()
    if requirement is None or not requirement.applies_to(service.level_of(school)):
        raise Http404
    draft = service.draft_for(school, requirement)
    form = ItemForm(request.POST or None, request.FILES or None, initial={"text": draft.text})
    if request.method == "POST" and form.is_valid():
        try:
            service.disclosure_save(
                actor=request.user,
                school=school,
                requirement=requirement,
                text=form.cleaned_data["text"] if requirement.kind != "live" else None,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu bản chuẩn bị."))
            return redirect(reverse("portal:disclosure_item", args=[code, pk]))
    preview = (
        service.disclosure_sources.read(requirement.source, school, requirement.parameters)
        if requirement.kind == "live"
        else None
    )
    context = {
        "school": school,
        "requirement": requirement,
        "draft": draft,
        "form": form,
        "preview": preview,
        "versions": DisclosureVersion.objects.filter(school=school, requirement=requirement).order_by(
            "-number"
        ),
        "can_publish": holds(request.user, Perm.PORTAL_PUBLISH, school),
    }
    return render(request, "portal/edit/disclosure_item.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def disclosure_publish(request: HttpRequest, code: str) -> HttpResponse:
    school = unit_for(request.user, Perm.PORTAL_PUBLISH, code)
    if school.kind != "school":
        raise Http404
    chosen = None
    value = request.POST.get("requirement", "")
    if value:
        requirement = (
            Requirement.objects.filter(pk=int(value), is_active=True).first() if value.isdigit() else None
        )
        if requirement is None:
            raise Http404
        chosen = [requirement]
    try:
        versions = service.disclosure_publish(actor=request.user, school=school, requirements=chosen)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã công khai %(n)s mục.") % {"n": len(versions)})
    return redirect(reverse("portal:disclosure", args=[code]))


# --- the department ------------------------------------------------------------------------------------


def _overseen(request: HttpRequest) -> list[Unit]:
    units = list(units_for(request.user, Perm.PORTAL_OVERSEE).order_by("depth", "path"))
    # The tops only: a unit inside another listed one is already on that one's board.
    tops = [u for u in units if not any(u.path != o.path and u.path.startswith(o.path) for o in units)]
    if not tops:
        raise Http404
    return tops


@login_required
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    boards = [{"unit": unit, **service.board(under=unit, today=today)} for unit in _overseen(request)]
    return render(request, "portal/edit/board.html", {"boards": boards, "today": today})


class RequirementForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Requirement
        fields = ["article", "title", "description", "kind", "source", "due_month", "due_day", "update_working_days",
                  "parameters", "is_active"]  # fmt: skip


@login_required
def requirements(request: HttpRequest) -> HttpResponse:
    _overseen(request)
    return render(request, "portal/edit/requirements.html", {"requirements": Requirement.objects.all()})


@login_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _overseen(request)
    requirement = Requirement.objects.filter(pk=pk).first()
    if requirement is None:
        raise Http404
    form = RequirementForm(request.POST or None, instance=Requirement.objects.get(pk=pk))
    if requirement.confirmed:
        for name in ("article", "title", "description", "kind", "source"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            service.requirement_update(
                actor=request.user,
                requirement=Requirement.objects.get(pk=pk),
                **{name: form.cleaned_data[name] for name in form.fields},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mục công khai."))
            return redirect(reverse("portal:requirements"))
    return render(
        request,
        "portal/edit/requirement.html",
        {"requirement": requirement, "form": form},
        status=400 if form.errors else 200,
    )
