"""The directory's part of the public home page (core/features.py)."""

from django.utils.translation import gettext_lazy as _

from giaoducso.core.features import register_feature


def register() -> None:
    register_feature(
        "directory.records",
        title=_("Cơ sở dữ liệu ngành"),
        description=_(
            "Hồ sơ trường học, lớp học, học sinh, cán bộ, giáo viên và cơ sở vật chất của cả địa bàn, "
            "nhập từ tệp Excel/CSV và xuất ra Excel."
        ),
        order=10,
    )
    register_feature(
        "directory.quality",
        title=_("Chất lượng dữ liệu"),
        description=_("Bảng theo dõi dữ liệu thiếu hoặc sai của từng trường, để các trường tự rà soát."),
        order=20,
    )
    register_feature(
        "directory.transfers",
        title=_("Chuyển trường"),
        description=_("Đề nghị chuyển trường giữa hai trường, trường đi và trường đến cùng xác nhận."),
        order=30,
    )
    register_feature(
        "directory.ministry",
        title=_("Trao đổi với CSDL Bộ"),
        description=_("Xuất dữ liệu học sinh theo mẫu của cơ sở dữ liệu Bộ GD&ĐT và đối chiếu mã học sinh."),
        order=40,
    )
