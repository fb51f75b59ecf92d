"""The page shell: home dashboard, unit switcher, language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..features import public_features
from ..forms import SwitchUnitForm
from ..middleware import ACTIVE_MEMBERSHIP_SESSION_KEY
from ..widgets import widgets_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/public_home.html", {"features": public_features()})
    # The cards each app registered for the user's roles (core/widgets.py), in the unit they work in now.
    return render(request, "core/home.html", {"widgets": widgets_for(request.user)})


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    form = SwitchUnitForm(request.POST)
    home = reverse("core:home")
    target = request.POST.get("next") or home
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = home
    if not form.is_valid():
        messages.error(request, _("Đơn vị được chọn không hợp lệ."))
        return redirect(target)
    membership = (
        request.user.memberships.filter(  # type: ignore[union-attr]
            pk=form.cleaned_data["membership"], is_active=True
        )
        .select_related("unit")
        .first()
    )
    if membership is None:
        messages.error(request, _("Bạn không có vai trò này."))
        return redirect(target)
    request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
    messages.success(
        request,
        _("Đang làm việc tại %(unit)s với vai trò %(role)s.")
        % {"unit": membership.unit.name, "role": membership.get_role_display()},
    )
    return redirect(target)
