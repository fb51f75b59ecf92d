"""Screens of incoming documents: the queue and register, one document (its opening logged), registration,
an outside document typed in, the leader's assignment, handlers' notes and the reply."""

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

from giaoducso.core.models import Membership, User
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.core.views.decorators import require_perm

from .. import selectors, services
from ..models import DOC_TYPE_CHOICES, InStatus, Source, Urgency
from .common import message_of

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


@login_required
@require_perm(Perm.OFFICE_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    pending = selectors.pending_for(request.user)
    context = {
        "pending": pending,
        "may_draft": has_perm(request.user, Perm.OFFICE_DRAFT),
        "may_register": has_perm(request.user, Perm.OFFICE_CLERK),
    }
    return render(request, "office/home.html", context)


@login_required
@require_perm(Perm.OFFICE_VIEW)
def incoming_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    query = (request.GET.get("q") or "").strip()[:200]
    queryset = selectors.incoming_for(request.user)
    if status in InStatus.values:
        queryset = queryset.filter(status=status)
    if query:
        for word in selectors.query_words(query):
            queryset = queryset.filter(search_text__contains=word)
    before = request.GET.get("before")
    if before and before.isdigit() and len(before) < 18:
        queryset = queryset.filter(pk__lt=int(before))
    items = list(queryset.order_by("-pk")[:50])
    context = {
        "items": items,
        "status": status,
        "statuses": InStatus.choices,
        "query": query,
        "next_before": items[-1].pk if len(items) == 50 else None,
        "may_register": has_perm(request.user, Perm.OFFICE_CLERK),
    }
    return render(request, "office/incoming_list.html", context)


class AssignForm(forms.Form):
    lead_user = forms.ModelChoiceField(
        label=gettext_lazy("Người chủ trì"), queryset=User.objects.none(), required=False
    )
    supporters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Người phối hợp"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=gettext_lazy("Hạn xử lý (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS
    )

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(
            pk__in=Membership.objects.filter(unit=unit, is_active=True).values("user_id"), is_active=True
        ).order_by("full_name")
        self.fields["lead_user"].queryset = people
        self.fields["supporters"].queryset = people


@login_required
@require_perm(Perm.OFFICE_VIEW)
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.incoming_or_404(request.user, pk)
    row = services.incoming_opened(actor=request.user, incoming=row)
    unit = row.unit
    context = {
        "row": row,
        "document": row.document,
        "notes": list(row.notes.select_related("author")),
        "attachments": list(row.document.attachments.all())
        if row.document_id
        else list(row.attachments.all()),
        "supporters": list(row.supporters.all()),
        "replies": list(row.replies.all()),
        "assign_form": AssignForm(
            unit=unit, initial={"lead_user": row.lead_user_id, "deadline": row.deadline}
        ),
        "may_register": row.arrival_number is None
        and row.status != InStatus.CANCELLED
        and has_perm(request.user, Perm.OFFICE_CLERK, unit),
        "may_assign": row.arrival_number is not None
        and row.status in services.incoming.OPEN
        and has_perm(request.user, Perm.OFFICE_APPROVE, unit),
        "may_handle": row.status in services.incoming.OPEN and services.may_handle(request.user, row),
        "may_reply": row.status in services.incoming.OPEN and has_perm(request.user, Perm.OFFICE_DRAFT, unit),
    }
    return render(request, "office/incoming_detail.html", context)


@login_required
@require_perm(Perm.OFFICE_VIEW)
@require_POST
def incoming_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    row = selectors.incoming_or_404(request.user, pk)
    try:
        if action == "register":
            row = services.incoming_register(actor=request.user, incoming=row)
            messages.success(request, _("Đã vào sổ, số đến %(number)s.") % {"number": row.arrival_number})
        elif action == "assign":
            form = AssignForm(request.POST, unit=row.unit)
            if not form.is_valid():
                messages.error(request, _("Người được giao hoặc hạn xử lý không hợp lệ."))
                return redirect("office:incoming_detail", pk=row.pk)
            services.incoming_assign(
                actor=request.user,
                incoming=row,
                lead_user=form.cleaned_data["lead_user"],
                supporters=form.cleaned_data["supporters"],
                deadline=form.cleaned_data["deadline"],
            )
            messages.success(request, _("Đã giao xử lý."))
        elif action == "note":
            services.note_add(actor=request.user, incoming=row, text=str(request.POST.get("text", "")))
            messages.success(request, _("Đã thêm ghi chú."))
        elif action == "done":
            services.incoming_done(actor=request.user, incoming=row)
            messages.success(request, _("Đã đánh dấu xong."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, message_of(error))
    return redirect("office:incoming_detail", pk=row.pk)


class ExternalForm(forms.Form):
    sender_name = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), max_length=255)
    notation = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=64)
    doc_date = forms.DateField(label=gettext_lazy("Ngày văn bản (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    doc_type = forms.ChoiceField(label=gettext_lazy("Loại văn bản"), choices=DOC_TYPE_CHOICES, initial="CV")
    summary = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=500)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Nguồn"),
        choices=[(Source.PAPER, Source.PAPER.label), (Source.EMAIL, Source.EMAIL.label)],
    )
    deadline = forms.DateField(
        label=gettext_lazy("Hạn xử lý (nếu có)"), required=False, input_formats=DATE_FORMATS
    )
    file = forms.FileField(
        label=gettext_lazy("Bản quét hoặc tệp PDF"),
        required=False,
        help_text=gettext_lazy(
            "Với tệp PDF, bấm “Đọc từ tệp PDF” để điền sẵn số, ký hiệu, ngày, cơ quan ban hành và trích yếu."
        ),
    )
    # The PDF read by "Đọc từ tệp PDF", kept until registration (a signed token, see services.staged_pdf).
    staged = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("Tôi đã kiểm tra: đây là văn bản khác dù trùng số, ký hiệu"), required=False
    )


def _unread(typed: dict[str, Any], message: str) -> ExternalForm:
    """The form as the clerk left it (nothing checked yet: no field is in error), with why nothing was read."""
    form = ExternalForm(initial=typed)
    form.cleaned_data = {}
    form.add_error(None, message)
    return form


def _read_pdf(request: HttpRequest, unit: Any) -> tuple[ExternalForm, str]:
    """ "Đọc từ tệp PDF": the form filled from the PDF's first page (what the clerk typed stays), the file
    kept for the registration that follows."""
    typed = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "read_pdf")}
    upload = request.FILES.get("file")
    if upload is None:
        return _unread(typed, _("Hãy chọn tệp PDF của văn bản rồi bấm “Đọc từ tệp PDF”.")), ""
    try:
        guess, token = services.incoming_read_pdf(actor=request.user, unit=unit, upload=upload)
    except (ValidationError, PermissionDenied) as error:
        return _unread(typed, message_of(error)), ""
    found = {
        "notation": guess.notation,
        "doc_date": guess.doc_date.strftime("%d/%m/%Y") if guess.doc_date else "",
        "sender_name": guess.sender_name,
        "doc_type": guess.doc_type,
        "summary": guess.summary,
    }
    initial = {**typed, **{k: v for k, v in found.items() if v and not typed.get(k)}, "staged": token}
    if any(found.values()):
        messages.info(request, _("Đã đọc từ tệp PDF: hãy kiểm tra từng ô trước khi vào sổ."))
    else:
        messages.warning(request, _("Không đọc được chữ trong tệp PDF (có thể là bản quét): hãy nhập tay."))
    return ExternalForm(initial=initial), upload.name or ""


@login_required
@require_perm(Perm.OFFICE_CLERK)
def incoming_new(request: HttpRequest) -> HttpResponse:
    units = selectors.office_units(request.user, Perm.OFFICE_CLERK)
    if not units:
        raise Http404
    unit = units[0]
    staged_name = ""
    if request.method == "POST" and "read_pdf" in request.POST:
        form, staged_name = _read_pdf(request, unit)
        return render(
            request,
            "office/incoming_new.html",
            {"form": form, "unit": unit, "staged_name": staged_name},
            status=200 if staged_name else 400,
        )
    form = ExternalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                row = services.incoming_register_external(
                    actor=request.user,
                    unit=unit,
                    sender_name=data["sender_name"],
                    notation=data["notation"],
                    doc_date=data["doc_date"],
                    doc_type=data["doc_type"],
                    summary=data["summary"],
                    urgency=data["urgency"],
                    source=data["source"],
                    deadline=data["deadline"],
                    allow_duplicate=data["confirm_duplicate"],
                )
                upload = data.get("file")
                if not upload and data.get("staged"):
                    upload = services.staged_pdf(actor=request.user, unit=unit, token=data["staged"])
                if upload:
                    services.attachment_add(actor=request.user, upload=upload, incoming=row)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, _("Đã vào sổ, số đến %(number)s.") % {"number": row.arrival_number})
            return redirect("office:incoming_detail", pk=row.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "office/incoming_new.html",
        {"form": form, "unit": unit, "staged_name": staged_name},
        status=status,
    )
