"""The forms of the yearly IT plan cycle, as the 2020–2021 plan lists its tasks: a department starts from
these and edits them like any other form (a change makes a new version)."""

from __future__ import annotations

from typing import Any

TASKS = [
    ("csdl", "Cơ sở dữ liệu ngành (phần mềm quản lý trường học kết nối CSDL)"),
    ("cong_tt", "Cổng thông tin điện tử của trường, công khai theo quy định"),
    ("vp_dt", "Văn phòng điện tử"),
    ("hs_dt", "Hồ sơ điện tử: sổ điểm, học bạ, sổ liên lạc"),
    ("day_tt", "Dạy học, kiểm tra trực tuyến"),
    ("tuyen_sinh", "Tuyển sinh trực tuyến"),
    ("ha_tang", "Hạ tầng, thiết bị"),
    ("attt", "An toàn thông tin"),
    ("boi_duong", "Bồi dưỡng, tập huấn"),
]
PROGRESS = ["Chưa triển khai", "Đang triển khai", "Hoàn thành"]


def _school_facts() -> dict[str, Any]:
    return {
        "title": "Thông tin chung",
        "fields": [
            {
                "key": "lanh_dao_cntt",
                "label": "Lãnh đạo phụ trách CNTT",
                "type": "text",
                "required": True,
                "prefill": "it_leader",
            },
            {
                "key": "so_hoc_sinh",
                "label": "Số học sinh",
                "type": "number",
                "integer": True,
                "min": 0,
                "prefill": "students",
            },
            {
                "key": "so_may_tinh",
                "label": "Số máy tính",
                "type": "number",
                "unit": "máy",
                "integer": True,
                "min": 0,
                "prefill": "computers",
            },
            {
                "key": "bang_thong",
                "label": "Băng thông Internet",
                "type": "number",
                "unit": "Mbps",
                "min": 0,
                "prefill": "bandwidth_mbps",
            },
            {"key": "cap_quang", "label": "Có cáp quang", "type": "yesno", "prefill": "has_fibre"},
        ],
    }


def plan_schema() -> dict[str, Any]:
    tasks = [
        {
            "key": f"kh_{key}",
            "label": f"{label}: nội dung, chỉ tiêu, thời gian",
            "type": "text",
            "required": key in ("csdl", "hs_dt"),
        }
        for key, label in TASKS
    ]
    return {
        "sections": [
            _school_facts(),
            {"title": "Các nhiệm vụ của kế hoạch", "fields": tasks},
            {
                "title": "Văn bản",
                "fields": [
                    {
                        "key": "van_ban_ke_hoach",
                        "label": "Kế hoạch CNTT của trường (đã ký)",
                        "type": "file",
                        "kinds": ["pdf", "docx"],
                    }
                ],
            },
        ]
    }


def progress_schema(title: str) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for key, label in TASKS:
        fields.append(
            {
                "key": f"td_{key}",
                "label": f"{label}: tiến độ",
                "type": "choice",
                "choices": PROGRESS,
                "required": True,
            }
        )
        fields.append({"key": f"nx_{key}", "label": f"{label}: kết quả, khó khăn", "type": "text"})
    return {
        "sections": [
            _school_facts(),
            {"title": title, "fields": fields},
            {
                "title": "Số liệu",
                "fields": [
                    {
                        "key": "gv_tap_huan",
                        "label": "Số giáo viên được tập huấn",
                        "type": "number",
                        "integer": True,
                        "min": 0,
                    },
                    {
                        "key": "gv_tong",
                        "label": "Tổng số giáo viên",
                        "type": "number",
                        "integer": True,
                        "min": 0,
                        "prefill": "teachers",
                    },
                    {
                        "key": "ti_le_tap_huan",
                        "label": "Tỉ lệ giáo viên được tập huấn (%)",
                        "type": "computed",
                        "formula": "gv_tap_huan * 100 / gv_tong",
                    },
                ],
            },
        ]
    }
