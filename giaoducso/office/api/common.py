"""What the office API routes share: scopes, ids, refusals with their codes, the caller's unit."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Path

from giaoducso.core.api.errors import error_response
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import Unit
from giaoducso.core.scoping import has_perm

from ..selectors import office_units

READ = "office:read"
WRITE = "office:write"
WRITE_ERRORS: dict[int, Any] = dict(ERRORS)
DocumentId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của văn bản đi.")]
IncomingId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của văn bản đến.")]


def refusal(error: ValidationError) -> JsonResponse:
    """A write the rules refused: 422 with the service's code and its message."""
    fields: dict[str, list[str]] = {}
    code = "invalid"
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            fields[name] = [m for e in errors for m in e.messages]
            if code == "invalid":
                code = errors[0].code or "invalid"
    else:
        fields["__all__"] = list(error.messages)
        code = error.error_list[0].code or "invalid"
    message = next(iter(fields.values()))[0] if fields else _("Dữ liệu gửi lên không hợp lệ.")
    return error_response(422, code, message, fields)


def unit_for(request: HttpRequest, perm: str, code: str | None) -> Unit:
    """The unit named by `code` when the caller holds `perm` on it; else their one unit with `perm`."""
    from django.http import Http404

    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not has_perm(request.user, perm, unit):
            raise Http404
        return unit
    units = office_units(request.user, perm)
    if not units:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Bạn không có quyền này ở đơn vị nào."))
    return units[0]
