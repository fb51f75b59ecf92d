"""The IT asset inventory: the schools of a department at a glance; one school's page to keep it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giaoducso.core.exports import xlsx_response
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..exporting import INVENTORY, inventory_columns
from ..importing import SHEETS, inventory_import
from ..models import AssetProfile, CameraSystem, Computer, MailDomain, Website
from .common import acting_units, errors_of


def _school_or_404(request: HttpRequest, code: str, perm: str) -> Unit:
    school = Unit.objects.filter(code=code, kind=UnitKind.SCHOOL).first()
    if school is None or not has_perm(request.user, perm, school):
        raise Http404
    return school


@login_required
@require_perm(Perm.VIEW_ASSETS)
def asset_index(request: HttpRequest) -> HttpResponse:
    schools = scoped(Unit.objects.filter(kind=UnitKind.SCHOOL), request.user, Perm.VIEW_ASSETS).order_by(
        "name"
    )
    if schools.count() == 1:
        return redirect("reporting:asset_school", code=schools.get().code)
    computers = dict(
        scoped(Computer.objects.all(), request.user, Perm.VIEW_ASSETS)
        .values_list("school_id")
        .annotate(n=Sum("quantity"))
        .values_list("school_id", "n")
    )
    sites = {
        row["school_id"]: row
        for row in scoped(Website.objects.all(), request.user, Perm.VIEW_ASSETS)
        .values("school_id")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(last_check__valid=False)))
    }
    rows = [
        {
            "school": s,
            "computers": computers.get(s.pk, 0),
            "sites": sites.get(s.pk, {}).get("n", 0),
            "bad": sites.get(s.pk, {}).get("bad", 0),
        }
        for s in schools[:500]
    ]
    errors: dict[str, list[str]] = {}
    owners = acting_units(request.user, Perm.MANAGE_REPORTS)
    standard = selectors.camera_standard_for(owners[0]) if owners else None
    if request.method == "POST" and owners:
        try:
            standard = services.camera_standard_set(
                actor=request.user,
                owner=owners[0],
                min_resolution_mp=request.POST.get("min_resolution_mp", ""),
                min_storage_days=request.POST.get("min_storage_days", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            errors = errors_of(error)
        else:
            messages.success(request, _("Đã lưu tiêu chuẩn camera."))
            return redirect("reporting:asset_index")
    context = {"rows": rows, "standard": standard, "owner": owners[0] if owners else None, "errors": errors}
    return render(request, "reporting/asset_index.html", context, status=422 if errors else 200)


def _do(request: HttpRequest, school: Unit, files: Any) -> None:
    action = request.POST.get("action", "")
    post = request.POST
    if action == "profile":
        services.asset_profile_save(
            actor=request.user,
            school=school,
            values={**post.dict(), "has_fibre": post.get("has_fibre") == "on"},
        )
    elif action == "computer":
        services.computer_add(
            actor=request.user,
            school=school,
            kind=post.get("kind", ""),
            condition=post.get("condition", ""),
            specification=post.get("specification", ""),
            year=post.get("year", ""),
            room=post.get("room", ""),
            quantity=post.get("quantity", "") or 1,
        )
    elif action == "computer_delete":
        computer = Computer.objects.filter(
            school=school, pk=post.get("pk") if str(post.get("pk", "")).isdigit() else 0
        ).first()
        if computer is None:
            raise ValidationError(_("Không tìm thấy máy tính này."))
        services.computer_delete(actor=request.user, computer=computer)
    elif action == "camera":
        services.camera_add(
            actor=request.user,
            school=school,
            location=post.get("location", ""),
            count=post.get("count", ""),
            resolution_mp=post.get("resolution_mp", ""),
            storage_days=post.get("storage_days", ""),
        )
    elif action == "website":
        services.website_add(actor=request.user, school=school, url=post.get("url", ""))
    elif action == "mail_domain":
        services.mail_domain_add(actor=request.user, school=school, domain=post.get("domain", ""))
    elif action == "import":
        upload = files.get("file")
        if upload is None:
            raise ValidationError(_("Cần chọn tệp Excel."))
        kind = post.get("kind") or "computers"
        done = inventory_import(actor=request.user, school=school, kind=kind, upload=upload)
        text = _("Đã nhập %(n)s dòng vào «%(what)s».") % {"n": done.added, "what": SHEETS[kind].title}
        if done.already:
            text += " " + _("%(n)s dòng đã có sẵn trong danh mục, bỏ qua.") % {"n": done.already}
        messages.success(request, text)
    else:
        raise ValidationError(_("Thao tác không hợp lệ."))


@login_required
@require_perm(Perm.VIEW_ASSETS)
def asset_school(request: HttpRequest, code: str) -> HttpResponse:
    school = _school_or_404(request, code, Perm.VIEW_ASSETS)
    can_change = has_perm(request.user, Perm.CHANGE_ASSETS, school)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_change:
            raise Http404
        try:
            _do(request, school, request.FILES)
        except ValidationError as error:
            errors = errors_of(error)
        else:
            if not messages.get_messages(request):
                messages.success(request, _("Đã lưu."))
            return redirect("reporting:asset_school", code=school.code)
    standard = selectors.camera_standard_for(school)
    cameras = [(c, selectors.camera_meets(c, standard)) for c in CameraSystem.objects.filter(school=school)]
    context: dict[str, Any] = {
        "school": school,
        "profile": AssetProfile.objects.filter(school=school).first(),
        "computers": Computer.objects.filter(school=school),
        "cameras": cameras,
        "standard": standard,
        "websites": Website.objects.filter(school=school).select_related("last_check"),
        "domains": MailDomain.objects.filter(school=school),
        "can_change": can_change,
        "errors": errors,
        "kinds": Computer._meta.get_field("kind").choices,
        "conditions": Computer._meta.get_field("condition").choices,
        "sheets": [(key, sheet.title, (*sheet.columns,)) for key, sheet in SHEETS.items()],
    }
    return render(request, "reporting/asset_school.html", context, status=422 if errors else 200)


@login_required
@require_perm(Perm.VIEW_ASSETS)
def asset_export(request: HttpRequest) -> HttpResponse:
    """One kind of the inventory (`kind`, computers by default) of every school the user sees, or of one
    (`school`), in the columns its import reads back."""
    kind = request.GET.get("kind") or "computers"
    spec = INVENTORY.get(kind)
    if spec is None:
        raise Http404
    rows = scoped(spec.model.objects.select_related(*spec.related), request.user, Perm.VIEW_ASSETS).order_by(
        "school__code", "pk"
    )
    code = request.GET.get("school", "")
    unit = None
    if code:
        unit = _school_or_404(request, code, Perm.VIEW_ASSETS)
        rows = rows.filter(school=unit)
    return xlsx_response(
        actor=request.user,
        what=spec.what,
        filename=spec.filename,
        columns=inventory_columns(kind),
        rows=rows,
        unit=unit,
    )
