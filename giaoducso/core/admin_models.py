"""The back office (Django admin), scoped like every other screen.

Each ModelAdmin maps Django's view/change/add/delete onto our permissions and reads through
core.scoping, so an IT officer of a school sees only the rows of that school. The audit log is
read-only here for everyone, superusers included.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rules.text import fold

from .models import AuditEntry, Membership, Unit, User
from .roles import Perm
from .scoping import has_perm, scoped


class ScopedAdmin(admin.ModelAdmin):
    view_perm: str = ""
    change_perm: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user, self.view_perm)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.view_perm)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, self.view_perm)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.change_perm) and has_perm(request.user, self.change_perm)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting shared records is done by services with history, not from the back office.
        return bool(request.user.is_superuser) and self.has_change_permission(request, obj)


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    view_perm = Perm.VIEW_UNIT
    change_perm = Perm.MANAGE_UNIT
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path", "depth")
    # The tree is rewritten by services.unit_move; the parent is not edited as a plain field here.
    fields = ("kind", "code", "name", "short_name", "is_active", "path", "depth")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units are created through services.unit_create (paths, audit)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # The folded name is what the unit and school lists match a typed name against (core.text_match).
        obj.search_name = fold(obj.name)
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("unit", "role", "title", "is_active")
    readonly_fields = ("unit", "role")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ScopedAdmin):
    view_perm = Perm.VIEW_USER
    change_perm = Perm.MANAGE_USER
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
    list_filter = ("is_active",)
    fields = ("username", "full_name", "email", "phone", "language", "is_active", "last_login")
    readonly_fields = ("username", "last_login")
    inlines = [MembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        from . import services

        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        stored = User.objects.get(pk=obj.pk)
        services.user_update(actor=request.user, user=stored, **fields)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    view_perm = Perm.VIEW_AUDIT
    change_perm = ""
    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}
