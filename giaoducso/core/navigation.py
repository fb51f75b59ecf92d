"""The main navigation: an item shows only when the user's roles allow what it leads to.

Parents and students (the relation roles) hold `view_student` and `view_school` too, but only through
their own link to a child: the staff screens would be empty or answer 404 for them. So a permission
grants an item through the staff roles only, and the relation roles see the items that name them.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import RELATION_ROLES, Perm, Role, role_allows
from .scoping import memberships_for


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: str | tuple[str, ...] | None  # None: every signed-in user; a tuple: any one of them
    # The roles an item is made for (parents, students); None: the staff's item, granted by `perm`.
    roles: frozenset[str] | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Trang chủ"), "core:home", None),
    NavItem(_("Con của tôi"), "directory:my_children", None, frozenset({Role.PARENT})),
    NavItem(_("Hồ sơ của em"), "directory:my_record", None, frozenset({Role.STUDENT})),
    NavItem(_("Kết quả học tập"), "records:class_list", None, frozenset({Role.PARENT, Role.STUDENT})),
    NavItem(_("Sổ liên lạc"), "records:family_home", None, frozenset({Role.PARENT, Role.STUDENT})),
    NavItem(_("Lớp của tôi"), "directory:my_classes", Perm.HOMEROOM),
    NavItem(_("Đơn vị"), "core:unit_list", Perm.VIEW_UNIT),
    NavItem(_("Trường học"), "directory:school_list", Perm.VIEW_SCHOOL),
    NavItem(_("Học sinh"), "directory:student_list", Perm.VIEW_STUDENT),
    NavItem(_("Chất lượng dữ liệu"), "directory:quality", Perm.VIEW_STUDENT),
    NavItem(_("Tìm kiếm"), "directory:search", Perm.VIEW_STUDENT),
    NavItem(_("Chuyển trường"), "directory:transfer_list", Perm.VIEW_STUDENT),
    NavItem(_("Trao đổi với CSDL Bộ"), "directory:ministry", Perm.EXPORT_DATA),
    NavItem(_("Lớp học"), "directory:class_list", Perm.VIEW_SCHOOL),
    NavItem(_("Sổ điểm"), "records:class_list", Perm.VIEW_RECORDS),
    NavItem(_("Cán bộ, giáo viên"), "directory:staff_list", Perm.VIEW_STAFF),
    NavItem(_("Cơ sở vật chất"), "directory:room_list", Perm.VIEW_SCHOOL),
    NavItem(
        _("Nhập dữ liệu"),
        "directory:import_start",
        (Perm.CHANGE_STUDENT, Perm.CHANGE_SCHOOL, Perm.CHANGE_STAFF),
    ),
    NavItem(_("Văn bản"), "office:home", Perm.OFFICE_VIEW),
    NavItem(_("Tuyển sinh"), "admissions:campaign_list", Perm.VIEW_ADMISSIONS),
    NavItem(_("Báo cáo"), "reporting:campaign_list", Perm.VIEW_REPORTS),
    NavItem(_("Thiết bị CNTT"), "reporting:asset_index", Perm.VIEW_ASSETS),
    NavItem(_("Người dùng"), "core:user_list", Perm.VIEW_USER),
    NavItem(_("Nhật ký hệ thống"), "core:audit_list", Perm.VIEW_AUDIT),
    NavItem(_("Công việc nền"), "core:job_list", Perm.RUN_JOB),
    NavItem(_("Thông báo"), "core:notification_list", None),
    NavItem(_("Tài khoản của tôi"), "core:my_account", None),
    # portal
    NavItem(
        _("Cổng thông tin"),
        "portal:dashboard",
        (
            Perm.PORTAL_EDIT,
            Perm.PORTAL_PUBLISH,
            Perm.PORTAL_DISCLOSURE,
            Perm.PORTAL_REQUESTS,
            Perm.PORTAL_OVERSEE,
        ),
    ),
]


def _shows(item: NavItem, user: Any, memberships: list[Any]) -> bool:
    if item.roles is not None:
        return any(m.role in item.roles for m in memberships)
    if item.perm is None:
        return True
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    perms = (item.perm,) if isinstance(item.perm, str) else item.perm
    staff = [m for m in memberships if m.role not in RELATION_ROLES]
    return any(role_allows(m.role, perm) for m in staff for perm in perms)


def navigation_for(user: Any) -> list[dict[str, Any]]:
    memberships = memberships_for(user)
    items = []
    for item in NAV_ITEMS:
        if not _shows(item, user, memberships):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # a module that is not installed in this deployment
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
