"""Screens of outgoing documents: the list and search, a draft's form, a document's page with the step
its reader may take (submit, approve, return, issue, recall, replace, correct), its PDF and files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giaoducso.core import audit
from giaoducso.core.models import AuditAction, Unit, UnitKind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.uploads import file_response
from giaoducso.core.views.decorators import require_perm

from .. import reading, selectors, services
from ..models import DOC_TYPE_CHOICES, Attachment, DocStatus, Document, Urgency
from ..pdf import document_pdf_response
from .common import message_of

# Groups of recipients offered beside the single units: resolved to units when the form is sent.
GROUPS = [
    ("schools", gettext_lazy("Tất cả các trường")),
    ("level:preschool", gettext_lazy("Tất cả trường mầm non")),
    ("level:primary", gettext_lazy("Tất cả trường tiểu học")),
    ("level:lower_secondary", gettext_lazy("Tất cả trường THCS")),
]


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=gettext_lazy("Loại văn bản"), choices=DOC_TYPE_CHOICES, initial="CV")
    summary = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=500)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Mỗi đoạn cách nhau một dòng trống; có thể dùng <strong>, <em>, <ul>, <li>. Để trống nếu tải lên "
            "tệp DOCX hoặc PDF bên dưới: nội dung được lấy từ tệp."
        ),
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    due_date = forms.DateField(
        label=gettext_lazy("Hạn trả lời"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Gửi theo nhóm"),
        choices=GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.MultipleChoiceField(
        label=gettext_lazy("Nơi nhận"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận khác (mỗi dòng một nơi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    drafting_abbr = forms.CharField(
        label=gettext_lazy("Đơn vị soạn thảo (viết tắt, cho công văn)"), required=False, max_length=32
    )
    main_file = forms.FileField(
        label=gettext_lazy("Tệp văn bản (DOCX, PDF) hoặc tệp đính kèm"), required=False
    )

    def __init__(self, *args: Any, issuer: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issuer = issuer
        self.units = list(services.allowed_recipients(issuer).order_by("path")[:2000])
        self.fields["recipients"].choices = [(u.code, u.name) for u in self.units]

    def fields_to_save(self) -> dict[str, Any]:
        """The draft's fields; a body left empty beside a DOCX or PDF file is the file's text, so that the
        document can be written in Word and still be read, printed and found by its words."""
        fields = {
            k: self.cleaned_data[k]
            for k in (
                "doc_type",
                "summary",
                "body",
                "urgency",
                "due_date",
                "other_recipients",
                "drafting_abbr",
            )
        }
        upload = self.cleaned_data.get("main_file")
        if upload and not (fields["body"] or "").strip():
            fields["body"] = reading.file_body(upload.file)
        return fields

    def recipient_codes(self) -> list[str]:
        codes = list(self.cleaned_data.get("recipients") or [])
        groups = self.cleaned_data.get("groups") or []
        if groups:
            from giaoducso.directory.models import School

            below = [
                u for u in self.units if u.path.startswith(self.issuer.path) and u.kind == UnitKind.SCHOOL
            ]
            levels = dict(School.objects.filter(unit__in=below).values_list("unit_id", "level"))
            for group in groups:
                if group == "schools":
                    codes += [u.code for u in below]
                elif group.startswith("level:"):
                    codes += [u.code for u in below if levels.get(u.pk) == group.split(":", 1)[1]]
        return list(dict.fromkeys(codes))


def _issuer(request: HttpRequest) -> Unit:
    units = selectors.office_units(request.user, Perm.OFFICE_DRAFT)
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        for unit in units:
            if unit.code == wanted:
                return unit
        raise Http404
    if not units:
        raise Http404
    return units[0]


@login_required
@require_perm(Perm.OFFICE_VIEW)
def outgoing(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    status = request.GET.get("status") or ""
    before = request.GET.get("before")
    before_id = int(before) if before and before.isdigit() and len(before) < 18 else None
    if query:
        items = selectors.search(request.user, query, before_id=before_id)
    else:
        queryset = selectors.outgoing_for(request.user)
        if status in DocStatus.values:
            queryset = queryset.filter(status=status)
        if before_id:
            queryset = queryset.filter(pk__lt=before_id)
        items = list(queryset.order_by("-pk")[: selectors.SEARCH_LIMIT])
    next_before = items[-1].pk if len(items) == selectors.SEARCH_LIMIT else None
    context = {
        "items": items,
        "query": query,
        "status": status,
        "statuses": DocStatus.choices,
        "next_before": next_before,
        "may_draft": has_perm(request.user, Perm.OFFICE_DRAFT),
    }
    return render(request, "office/outgoing.html", context)


@login_required
@require_perm(Perm.OFFICE_DRAFT)
def document_new(request: HttpRequest) -> HttpResponse:
    issuer = _issuer(request)
    answers = None
    if request.GET.get("answers") or request.POST.get("answers"):
        answers = selectors.incoming_or_404(
            request.user, request.GET.get("answers") or request.POST.get("answers")
        )
    form = DocumentForm(request.POST or None, request.FILES or None, issuer=issuer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused file leaves no draft behind
                document = services.document_create(
                    actor=request.user,
                    issuer=issuer,
                    recipients=form.recipient_codes(),
                    answers=answers,
                    **form.fields_to_save(),
                )
                upload = form.cleaned_data.get("main_file")
                if upload:
                    services.attachment_add(actor=request.user, upload=upload, document=document)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("office:document_detail", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "office/document_form.html",
        {"form": form, "issuer": issuer, "answers": answers},
        status=status,
    )


@login_required
@require_perm(Perm.OFFICE_DRAFT)
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_or_404(request.user, pk)
    if not has_perm(request.user, Perm.OFFICE_DRAFT, document.issuer):
        raise Http404
    initial = {
        "doc_type": document.doc_type,
        "summary": document.summary,
        "body": document.body,
        "urgency": document.urgency,
        "due_date": document.due_date,
        "recipients": list(document.recipients.values_list("code", flat=True)),
        "other_recipients": document.other_recipients,
        "drafting_abbr": document.drafting_abbr,
    }
    form = DocumentForm(request.POST or None, request.FILES or None, issuer=document.issuer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.document_update(
                    actor=request.user,
                    document=document,
                    recipients=form.recipient_codes(),
                    **form.fields_to_save(),
                )
                upload = form.cleaned_data.get("main_file")
                if upload:
                    services.attachment_add(actor=request.user, upload=upload, document=document)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("office:document_detail", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "office/document_form.html",
        {"form": form, "issuer": document.issuer, "document": document},
        status=status,
    )


@login_required
@require_perm(Perm.OFFICE_VIEW)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_or_404(request.user, pk)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=document, note="mở văn bản")
    issuer_side = selectors.is_issuer_side(request.user, document)
    unit = document.issuer
    context = {
        "document": document,
        "issuer_side": issuer_side,
        "deliveries": list(selectors.deliveries_of(document)) if issuer_side else [],
        "attachments": list(document.attachments.all()),
        "may_edit": issuer_side
        and document.status in (DocStatus.DRAFT, DocStatus.REVIEW)
        and has_perm(request.user, Perm.OFFICE_DRAFT, unit),
        "may_submit": issuer_side
        and document.status == DocStatus.DRAFT
        and has_perm(request.user, Perm.OFFICE_DRAFT, unit),
        "may_approve": issuer_side
        and document.status in (DocStatus.DRAFT, DocStatus.REVIEW)
        and has_perm(request.user, Perm.OFFICE_APPROVE, unit),
        "may_return": issuer_side
        and document.status in (DocStatus.REVIEW, DocStatus.APPROVED)
        and has_perm(request.user, Perm.OFFICE_APPROVE, unit),
        "may_issue": issuer_side
        and document.status == DocStatus.APPROVED
        and has_perm(request.user, Perm.OFFICE_CLERK, unit),
        "may_recall": issuer_side
        and document.status == DocStatus.ISSUED
        and has_perm(request.user, Perm.OFFICE_CLERK, unit),
        "may_follow": issuer_side
        and document.status == DocStatus.ISSUED
        and has_perm(request.user, Perm.OFFICE_DRAFT, unit),
    }
    return render(request, "office/document_detail.html", context)


ACTIONS = {
    "submit": (services.document_submit, (), gettext_lazy("Đã trình duyệt.")),
    "approve": (
        services.document_approve,
        ("signer_title", "signer_authority"),
        gettext_lazy("Đã duyệt văn bản."),
    ),
    "return": (services.document_return, ("reason",), gettext_lazy("Đã trả lại dự thảo.")),
    "issue": (services.document_issue, (), gettext_lazy("Đã phát hành văn bản.")),
    "recall": (services.document_recall, ("reason",), gettext_lazy("Đã thu hồi văn bản.")),
}


@login_required
@require_perm(Perm.OFFICE_VIEW)
@require_POST
def document_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    document = selectors.document_or_404(request.user, pk)
    if action in ("replace", "correct"):
        try:
            created = services.document_follow_up(actor=request.user, document=document, kind=action)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, message_of(error))
            return redirect("office:document_detail", pk=document.pk)
        return redirect("office:document_edit", pk=created.pk)
    if action not in ACTIONS:
        raise Http404
    service, params, done = ACTIONS[action]
    kwargs = {p: str(request.POST.get(p, ""))[:500] for p in params}
    try:
        service(actor=request.user, document=document, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, str(done))
    return redirect("office:document_detail", pk=document.pk)


@login_required
@require_perm(Perm.OFFICE_VIEW)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_or_404(request.user, pk)
    return document_pdf_response(request.user, document)


@login_required
@require_perm(Perm.OFFICE_VIEW)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file, only to those who reach its document or its incoming row."""
    try:
        found = Attachment.objects.select_related("document", "incoming").get(pk=int(pk))
    except (Attachment.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404 from exc
    if found.document_id is not None:
        selectors.document_or_404(request.user, found.document_id)
    else:
        selectors.incoming_or_404(request.user, found.incoming_id)
    audit.record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=found,
        unit=(found.document.issuer if found.document_id else found.incoming.unit),
        note="tải tệp",
    )  # type: ignore[union-attr]
    return file_response(found)


__all__ = ["Document"]
