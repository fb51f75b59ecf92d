"""The department's and the schools' screens: campaigns (create, change, schools and seats, open, run,
publish, release), statistics with a chart, the anonymised inputs, the verification queue and enrolment.
Thin: parse → one service or selector → render; refusals are the services' Vietnamese messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from giaoducso.core import audit
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm, scoped, units_for
from giaoducso.core.uploads import file_response
from giaoducso.core.views.decorators import require_perm

from .. import jobs as admission_jobs
from .. import selectors, services
from ..charts import bar_chart
from ..forms import CampaignForm, SchoolRowForm, attach, groups_text
from ..models import AssignmentRun, Campaign, CampaignKind, CampaignState, Proof


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    if hasattr(error, "error_dict"):
        return " ".join(m for errors in error.error_dict.values() for e in errors for m in e.messages)
    return " ".join(error.messages)


def _managing_units(request: HttpRequest) -> list[Unit]:
    return list(
        units_for(request.user, Perm.MANAGE_ADMISSIONS).exclude(
            kind__in=[UnitKind.SCHOOL, UnitKind.SCHOOL_GROUP]
        )[:50]
    )


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(user=request.user) | selectors.campaigns_for_school_staff(
        user=request.user
    )
    return render(
        request,
        "admissions/staff/campaign_list.html",
        {
            "campaigns": campaigns.distinct().order_by("-apply_start")[:200],
            "may_manage": bool(_managing_units(request)),
        },
    )


def _generals(units: list[Unit]) -> list[Campaign]:
    return list(
        Campaign.objects.filter(unit__in=units, kind=CampaignKind.GENERAL).order_by("-apply_start")[:100]
    )


@login_required
@require_perm(Perm.MANAGE_ADMISSIONS)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    units = _managing_units(request)
    if not units:
        raise Http404
    form = CampaignForm(
        request.POST or None, generals=_generals(units), initial={"groups": groups_text(services.GROUPS_2026)}
    )
    unit_choice = request.POST.get("unit", str(units[0].pk))
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if str(u.pk) == unit_choice), None)
        if unit is None:
            form.add_error(None, _("Hãy chọn đơn vị tổ chức."))
        else:
            try:
                campaign = services.campaign_create(actor=request.user, unit=unit, **form.service_fields())
            except (ValidationError, PermissionDenied) as error:
                attach(form, error) if isinstance(error, ValidationError) else form.add_error(
                    None, str(error)
                )
            else:
                messages.success(request, _("Đã tạo kì tuyển sinh."))
                return redirect("admissions:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "admissions/staff/campaign_form.html",
        {"form": form, "units": units, "unit_choice": unit_choice, "campaign": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_perm(Perm.MANAGE_ADMISSIONS)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk, perm=Perm.MANAGE_ADMISSIONS)
    initial = {f: getattr(campaign, f) for f in services.CAMPAIGN_FIELDS}
    initial["groups"] = groups_text(campaign.groups)
    initial["general_campaign"] = str(campaign.general_campaign_id or "")
    form = CampaignForm(request.POST or None, generals=_generals([campaign.unit]), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.service_fields())
        except ValidationError as error:
            attach(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu kì tuyển sinh."))
            return redirect("admissions:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "admissions/staff/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if request.method == "POST" else 200,
    )


def _school_choices(campaign: Campaign) -> list[tuple[str, str]]:
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, path__startswith=campaign.unit.path).order_by("name")[
        :2000
    ]
    return [(str(s.pk), f"{s.name} ({s.code})") for s in schools]


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    may_manage = has_perm(request.user, Perm.MANAGE_ADMISSIONS, campaign.unit)
    form = SchoolRowForm(request.POST or None, schools=_school_choices(campaign)) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            school = Unit.objects.get(pk=form.cleaned_data["school"])
            try:
                services.campaign_school_set(
                    actor=request.user,
                    campaign=campaign,
                    school=school,
                    seats=form.cleaned_data["seats"],
                    wards=[w for w in form.cleaned_data["wards"].split(",") if w.strip()],
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                )
            except ValidationError as error:
                attach(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã lưu trường %(name)s.") % {"name": school.name})
                return redirect("admissions:campaign_detail", pk=campaign.pk)
    run = campaign.runs.first()
    return render(
        request,
        "admissions/staff/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": campaign.schools.select_related("school"),
            "form": form,
            "may_manage": may_manage,
            "may_verify": has_perm(request.user, Perm.VERIFY_ADMISSIONS),
            "run": run,
            "counts": selectors.application_list(user=request.user, campaign=campaign).count(),
        },
        status=400 if request.method == "POST" else 200,
    )


ACTIONS = {"open", "run", "publish", "release"}


@login_required
@require_perm(Perm.MANAGE_ADMISSIONS)
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk, perm=Perm.MANAGE_ADMISSIONS)
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "open":
            services.campaign_open(actor=request.user, campaign=campaign)
            messages.success(request, _("Đã mở nhận hồ sơ."))
        elif action == "run":
            job = admission_jobs.job_start_assignment(
                actor=request.user, campaign=campaign, seed=request.POST.get("seed", "")[:64]
            )
            return redirect("core:job_detail", pk=job.pk)
        elif action == "publish":
            job = admission_jobs.job_start_publication(actor=request.user, campaign=campaign)
            return redirect("core:job_detail", pk=job.pk)
        else:
            done = services.unconfirmed_release(actor=request.user, campaign=campaign)
            messages.success(
                request,
                _("Thu hồi %(r)s chỗ, xét tiếp %(o)s hồ sơ, giữ %(k)s chỗ.")
                % {"r": done["released"], "o": done["offered"], "k": done["kept"]},
            )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    return redirect("admissions:campaign_detail", pk=campaign.pk)


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_safe
def campaign_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    """The last run's anonymised inputs and seed, with the result digest, for anyone to re-run."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    run = AssignmentRun.objects.filter(campaign=campaign).first()
    if run is None:
        raise Http404
    audit.record_export(
        actor=request.user,
        what="admissions.assignment_inputs",
        unit=campaign.unit,
        rows=len(run.inputs),
        fmt="json",
    )
    response = HttpResponse(run.inputs, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="phan-tuyen-{campaign.pk}-{run.result_sha256[:12]}.json"'
    )
    response["X-Result-SHA256"] = run.result_sha256
    return response


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_safe
def campaign_stats(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    stats = selectors.statistics(campaign)
    bars = [(_("Hồ sơ"), stats["applicants"]), (_("Chỉ tiêu"), stats["seats"])]
    bars += [(label, n) for label, n in stats["by_rank"].items()]
    bars.append((_("Chưa xếp"), stats["unassigned"]))
    return render(
        request,
        "admissions/staff/campaign_stats.html",
        {
            "campaign": campaign,
            "stats": stats,
            "chart": bar_chart(bars, title=_("Tuyển sinh: hồ sơ, chỉ tiêu, trúng tuyển theo nguyện vọng")),
        },
    )


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_safe
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    applications = selectors.application_list(user=request.user, campaign=campaign).order_by("code")[:500]
    return render(
        request,
        "admissions/staff/application_list.html",
        {"campaign": campaign, "applications": applications},
    )


def _campaign_for_staff(request: HttpRequest, pk: int) -> Campaign:
    campaign = selectors.campaigns_for_school_staff(user=request.user).filter(pk=pk).first()
    if campaign is None:
        campaign = selectors.campaign_get(user=request.user, pk=pk)
    return campaign


@login_required
@require_perm(Perm.VERIFY_ADMISSIONS)
@require_safe
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for_staff(request, pk)
    applications = list(selectors.verification_queue(user=request.user, campaign=campaign)[:200])
    schools = scoped(
        Unit.objects.filter(kind=UnitKind.SCHOOL, pk__in=campaign.schools.values("school_id")),
        request.user,
        Perm.VERIFY_ADMISSIONS,
    )
    return render(
        request,
        "admissions/staff/queue.html",
        {"campaign": campaign, "applications": applications, "schools": schools},
    )


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "verify":
                services.application_verify(
                    actor=request.user,
                    application=application,
                    local_priority_verified=request.POST.get("local_priority_verified") == "on",
                )
                messages.success(request, _("Đã xác minh hồ sơ %(code)s.") % {"code": application.code})
            elif action == "refuse":
                services.application_refuse(
                    actor=request.user, application=application, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Đã từ chối hồ sơ %(code)s.") % {"code": application.code})
            elif action in ("accept_correction", "refuse_correction"):
                correction = application.corrections.filter(pk=request.POST.get("correction") or 0).first()
                if correction is None:
                    raise ValidationError(_("Không có đề nghị sửa này."))
                services.correction_decide(
                    actor=request.user,
                    correction=correction,
                    accept=action == "accept_correction",
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Đã xử lí đề nghị sửa thông tin."))
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except (ValidationError, PermissionDenied) as exc:
            error = _message(exc)
        else:
            return redirect("admissions:application_detail", pk=application.pk)
    return render(
        request,
        "admissions/staff/application_detail.html",
        {
            "application": application,
            "corrections": application.corrections.prefetch_related("proofs"),
            "may_verify": has_perm(request.user, Perm.VERIFY_ADMISSIONS, application.school),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_perm(Perm.VIEW_ADMISSIONS)
@require_safe
def proof_download(request: HttpRequest, pk: int) -> HttpResponse:
    proof = scoped(Proof.objects.all(), request.user, Perm.VIEW_ADMISSIONS).filter(pk=pk).first()
    if proof is None:
        raise Http404
    audit.record_export(
        actor=request.user,
        what="admissions.proof",
        unit=None,
        rows=1,
        fmt=proof.name.rpartition(".")[2] or "bin",
    )
    return file_response(proof)


@login_required
@require_perm(Perm.VERIFY_ADMISSIONS)
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for_staff(request, pk)
    school = (
        scoped(Unit.objects.filter(kind=UnitKind.SCHOOL), request.user, Perm.VERIFY_ADMISSIONS)
        .filter(code=request.POST.get("school", "")[:32])
        .first()
    )
    if school is None or campaign.state not in (CampaignState.PUBLISHED, CampaignState.CLOSED):
        messages.error(request, _("Hãy chọn trường của bạn trong kì tuyển sinh đã công bố kết quả."))
        return redirect("admissions:queue", pk=campaign.pk)
    try:
        done = services.applications_enrol(actor=request.user, campaign=campaign, school=school)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã tạo %(c)s hồ sơ học sinh, gửi %(t)s đề nghị chuyển trường.")
            % {"c": done["created"], "t": done["transfers"]},
        )
        for problem in done["problems"][:20]:
            messages.warning(request, problem)
    return redirect("admissions:queue", pk=campaign.pk)
