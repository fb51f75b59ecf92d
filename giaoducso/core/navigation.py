"""The main navigation: an item shows only when the user's roles allow what it leads to."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import Perm
from .scoping import has_perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: str | tuple[str, ...] | None  # None: every signed-in user; a tuple: any one of them


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Trang chủ"), "core:home", None),
    NavItem(_("Lớp của tôi"), "directory:my_classes", Perm.HOMEROOM),
    NavItem(_("Đơn vị"), "core:unit_list", Perm.VIEW_UNIT),
    NavItem(_("Trường học"), "directory:school_list", Perm.VIEW_SCHOOL),
    NavItem(_("Học sinh"), "directory:student_list", Perm.VIEW_STUDENT),
    NavItem(_("Chất lượng dữ liệu"), "directory:quality", Perm.VIEW_STUDENT),
    NavItem(_("Tìm kiếm"), "directory:search", Perm.VIEW_STUDENT),
    NavItem(_("Chuyển trường"), "directory:transfer_list", Perm.VIEW_STUDENT),
    NavItem(_("Trao đổi với CSDL Bộ"), "directory:ministry", Perm.EXPORT_DATA),
    NavItem(_("Lớp học"), "directory:class_list", Perm.VIEW_SCHOOL),
    NavItem(_("Cán bộ, giáo viên"), "directory:staff_list", Perm.VIEW_STAFF),
    NavItem(_("Cơ sở vật chất"), "directory:room_list", Perm.VIEW_SCHOOL),
    NavItem(
        _("Nhập dữ liệu"),
        "directory:import_start",
        (Perm.CHANGE_STUDENT, Perm.CHANGE_SCHOOL, Perm.CHANGE_STAFF),
    ),
    NavItem(_("Người dùng"), "core:user_list", Perm.VIEW_USER),
    NavItem(_("Nhật ký hệ thống"), "core:audit_list", Perm.VIEW_AUDIT),
    NavItem(_("Công việc nền"), "core:job_list", Perm.RUN_JOB),
    NavItem(_("Thông báo"), "core:notification_list", None),
    NavItem(_("Tài khoản của tôi"), "core:my_account", None),
]


def navigation_for(user: Any) -> list[dict[str, Any]]:
    items = []
    for item in NAV_ITEMS:
        perms = (item.perm,) if isinstance(item.perm, str) else item.perm
        if perms is not None and not any(has_perm(user, perm) for perm in perms):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # a module that is not installed in this deployment
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
