"""What the records' API routes share: scopes, path types, the class and subject lookups, refusals."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Schema

from giaoducso.core.api.errors import error_response
from giaoducso.core.api.routes import ERRORS
from giaoducso.directory.models import SchoolClass

from ..models import GradeSubject, Subject
from ..selectors import ClassAccess, class_access_or_404

READ = "records:read"
WRITE = "records:write"
# 409: the term is locked (code `term_locked`); 422: a cell or entry the rules refuse, with its code.
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[404]}
ClassId = Annotated[int, Path(..., ge=1, le=2**63 - 1, description="Mã (id) của lớp.")]
SubjectCode = Annotated[
    str,
    Path(
        ...,
        pattern=r"^[a-z0-9_]{1,40}$",
        description="Mã môn học của chương trình, ví dụ `toan_thcs`, `ngu_van`, `gdcd`.",
    ),
]


class RecordsStudentRef(Schema):
    id: int
    full_name: str


def class_and_access(request: HttpRequest, class_id: int) -> tuple[SchoolClass, ClassAccess]:
    """The class and what the caller reaches of it; 404 when nothing, as for a class that does not exist."""
    found = get_object_or_404(
        SchoolClass.objects.select_related("school", "year", "homeroom_teacher"), pk=class_id
    )
    return found, class_access_or_404(request.user, found)


def subject_of(found: SchoolClass, code: str) -> Subject:
    """A subject taught in the class's grade; any other is not found."""
    subject = Subject.objects.filter(code=code).first()
    if subject is None or not GradeSubject.objects.filter(subject=subject, grade=found.grade).exists():
        raise Http404
    return subject


def refusal(error: ValidationError, prefix: str = "") -> JsonResponse:
    """A write the records refused, with the service's code: 409 for a locked term, else 422."""
    code = "invalid"
    fields: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            fields[f"{prefix}{name}"] = [m for e in errors for m in e.messages]
            code = code if code != "invalid" else (errors[0].code or "invalid")
    else:
        fields["__all__"] = list(error.messages)
        code = error.error_list[0].code or "invalid"
    message = next(iter(fields.values()))[0] if fields else _("Dữ liệu gửi lên không hợp lệ.")
    return error_response(409 if code == "term_locked" else 422, code, message, fields)
