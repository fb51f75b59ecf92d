"""Account administration screens (list, detail, create, roles, password reset, lock, unlock) and a
person's own contact details. Each is parse → one action of core/accounts.py (which checks the rule) →
respond; accounts outside the user's scope are 404."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import accounts, exports
from ..forms import AccountCreateForm, AccountFilterForm, ContactForm, MembershipGrantForm
from ..models import Unit
from ..paging import page_of
from ..roles import Perm, Role
from .decorators import require_perm


def _administrators_only(view: Any) -> Any:
    """The action pages exist only for those who administer accounts somewhere; others get 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not accounts.may_administer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _accounts(user: Any, params: Any) -> tuple[AccountFilterForm, Any]:
    """The account list's filters read from `params` (the query string), and the accounts they give."""
    form = AccountFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = None
    if filters.get("unit"):
        # An unknown code filters to nothing rather than to everything.
        unit = Unit.objects.filter(code=filters["unit"]).first() or Unit(path="~none~")
    active = {"1": True, "0": False}.get(filters.get("active", ""))
    people = accounts.account_list(
        user=user,
        q=filters.get("q", ""),
        role=filters.get("role", ""),
        unit=unit,
        active=active,
        locked=True if filters.get("locked") == "1" else None,
    )
    return form, people


@login_required
@require_perm(Perm.VIEW_USER)
def account_list(request: HttpRequest) -> HttpResponse:
    form, people = _accounts(request.user, request.GET)
    context = {
        "form": form,
        "page": page_of(request, people),
        "may_create": accounts.may_administer(request.user),
        "parent_accounts_url": _parent_accounts_url(request.user),
    }
    return render(request, "core/accounts/list.html", context)


ACCOUNTS_TABLE = "core.accounts"


def _roles_of(person: Any) -> str:
    return "; ".join(
        f"{m.get_role_display()} — {m.unit.name}" for m in person.memberships.all() if m.is_active
    )


def account_table(user: Any, params: dict[str, str]) -> exports.Table:
    """The accounts the list shows for these filters, every one of them (a city holds far more than 20,000
    parents' accounts, so a large list becomes a job like the directory's)."""
    _form, people = _accounts(user, params)
    columns: list[exports.Column] = [
        (_("Họ và tên"), lambda p: p.get_full_name()),
        (_("Tên đăng nhập"), lambda p: p.username),
        (_("Thư điện tử"), lambda p: p.email),
        (_("Điện thoại"), lambda p: p.phone),
        (_("Vai trò"), _roles_of),
        (_("Trạng thái"), lambda p: _("Đang hoạt động") if p.is_active else _("Đã khóa")),
    ]
    active = getattr(user, "active_membership", None)
    return exports.Table(
        what="core.user",
        title=_("Danh sách người dùng"),
        filename="nguoi-dung",
        columns=columns,
        rows=people,
        unit=active.unit if active else None,
    )


@login_required
@require_perm(Perm.VIEW_USER)
def account_export(request: HttpRequest) -> HttpResponse:
    params = request.GET.dict()
    fmt = params.pop("format", "xlsx")
    result = exports.table_export(actor=request.user, key=ACCOUNTS_TABLE, params=params, fmt=fmt)
    if isinstance(result, HttpResponse):
        return result
    messages.info(request, _("Danh sách lớn được xuất trong nền; tải tệp ở đây khi xong."))
    return redirect("core:job_detail", pk=result.pk)


def _parent_accounts_url(user: Any) -> str:
    """The directory's bulk parent accounts, when it is installed and the user grants the parent role."""
    if not accounts.can_grant_somewhere(user, Role.PARENT):
        return ""
    try:
        return reverse("directory:parent_accounts")
    except NoReverseMatch:
        return ""


def _detail_context(request: HttpRequest, person: Any, **extra: Any) -> dict[str, Any]:
    memberships = list(person.memberships.select_related("unit").order_by("-is_active", "unit__path"))
    for m in memberships:
        m.can_revoke = m.is_active and accounts.can_grant(request.user, m.role, m.unit)
    may_grant = accounts.may_administer(request.user) and accounts.manageable_units(request.user).exists()
    return {
        "person": person,
        "memberships": memberships,
        "may_manage": accounts.can_manage(request.user, person),
        "is_self": person.pk == request.user.pk,
        "locked": accounts.is_locked(person),
        "grant_form": extra.pop("grant_form", None)
        or (MembershipGrantForm(actor=request.user) if may_grant else None),
        **extra,
    }


@login_required
@require_perm(Perm.VIEW_USER)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = accounts.account_get(user=request.user, pk=pk)
    return render(request, "core/accounts/detail.html", _detail_context(request, person))


@never_cache
@login_required
@_administrators_only
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = accounts.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                role=data["role"],
                unit=data["unit"],
                title=data["title"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _show_password(request, created.user, created.password, created=True)
    status = 400 if form.errors else 200
    return render(request, "core/accounts/create.html", {"form": form}, status=status)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _show_password(request: HttpRequest, person: Any, password: str, *, created: bool) -> HttpResponse:
    """The one-time password, once: in this answer only, never in a redirect, a message or a log."""
    response = render(
        request,
        "core/accounts/one_time_password.html",
        {"person": person, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


def _managed(request: HttpRequest, pk: int) -> Any:
    person = accounts.account_get(user=request.user, pk=pk)
    if not accounts.can_manage(request.user, person):
        raise PermissionDenied
    return person


@never_cache
@login_required
@_administrators_only
@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed(request, pk)
    password = accounts.account_reset_password(actor=request.user, user=person)
    return _show_password(request, person, password, created=False)


@login_required
@_administrators_only
@require_POST
def account_set_active(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("activate", "deactivate"):
        raise Http404
    person = _managed(request, pk)
    try:
        accounts.account_set_active(actor=request.user, user=person, active=action == "activate")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã mở lại tài khoản.")
            if action == "activate"
            else _("Đã khóa tài khoản; mọi phiên đăng nhập đã kết thúc."),
        )
    return redirect("core:user_detail", pk=person.pk)


@login_required
@_administrators_only
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed(request, pk)
    accounts.account_unlock(actor=request.user, user=person)
    messages.success(request, _("Đã gỡ tạm khóa đăng nhập của tài khoản."))
    return redirect("core:user_detail", pk=person.pk)


@login_required
@_administrators_only
@require_POST
def account_grant(request: HttpRequest, pk: int) -> HttpResponse:
    person = accounts.account_get(user=request.user, pk=pk)
    form = MembershipGrantForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        accounts.account_grant(
            actor=request.user, user=person, role=data["role"], unit=data["unit"], title=data["title"]
        )
        messages.success(request, _("Đã giao vai trò."))
        return redirect("core:user_detail", pk=person.pk)
    return render(
        request, "core/accounts/detail.html", _detail_context(request, person, grant_form=form), status=400
    )


@login_required
@_administrators_only
@require_POST
def account_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    person = accounts.account_get(user=request.user, pk=pk)
    membership = person.memberships.select_related("unit").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404
    accounts.account_revoke(actor=request.user, membership=membership)
    messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("core:user_detail", pk=person.pk)


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """A person's own e-mail and phone (audited)."""
    user = request.user
    initial = {"email": user.email, "phone": user.phone}  # type: ignore[union-attr]
    form = ContactForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.account_update_contact(
                actor=user, user=user, email=form.cleaned_data["email"], phone=form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin liên hệ."))
            return redirect("core:my_account")
    status = 400 if form.errors else 200
    return render(request, "core/accounts/me.html", {"form": form}, status=status)
