from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from giaoducso.core.admin_models import ScopedAdmin
from giaoducso.core.roles import Perm

from . import services
from .models import Student


@admin.register(Student)
class StudentAdmin(ScopedAdmin):
    view_perm = Perm.VIEW_STUDENT
    change_perm = Perm.CHANGE_STUDENT
    list_display = ("full_name", "personal_id", "date_of_birth", "sex", "school")
    search_fields = ("full_name", "personal_id", "ministry_code")
    fields = ("school", "personal_id", *services.STUDENT_EDITABLE)
    readonly_fields = ("school", "personal_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Through the service, so that the change is validated and audited like any other.
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        stored = type(obj).objects.get(pk=obj.pk)
        services.student_update(actor=request.user, student=stored, **fields)
