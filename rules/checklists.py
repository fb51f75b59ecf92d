"""Checklists as data: the Ministry's digital-transformation index for schools (Decision 4725/QĐ-BGDĐT,
30/12/2022) and the IT-application model of the department's IT plan; their scoring.

A checklist is JSON: ``{"groups": [{"key", "label", "criteria": [criterion, ...]}], "mandatory_blocks_level":
bool}``; a criterion has a ``key``, a ``label``, ``points`` (0 for a mandatory condition), ``mandatory``,
optional ``thresholds`` (``[{"at": share or count, "points": n}]``, the highest reached counts) and
``evidence`` (what proof the school should attach). Answers: ``{criterion_key: {"met": bool, "value": number
(for thresholds), "evidence": text}}``. Criteria below are as published by third parties and are data the
department can correct. As published, the management group summed to 90 (one criterion lost in the
retelling); the 10 points are held by ``sw_eoffice`` with a ``note`` saying it is not yet checked against
the decision's own table, so that both groups score out of 100 as the decision says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

LEVEL_2_FROM: Final = 50
LEVEL_3_ABOVE: Final = 75


def _c(
    key: str,
    label: str,
    points: int = 0,
    *,
    mandatory: bool = False,
    thresholds: list[Any] | None = None,
    note: str = "",
) -> dict[str, Any]:
    item: dict[str, Any] = {"key": key, "label": label, "points": points, "mandatory": mandatory}
    if thresholds:
        item["thresholds"] = thresholds
    if note:
        item["note"] = note
    return item


# The criterion that brings the management group to 100 points (see the module's docstring). A data
# migration adds the same dict to the versions already stored; keep the two equal.
DT_MANAGEMENT_ADDED: Final[dict[str, Any]] = {
    "key": "sw_eoffice",
    "label": "Quản lý văn bản, điều hành trên môi trường mạng (văn phòng điện tử)",
    "points": 10,
    "mandatory": False,
    "note": "Tiêu chí bổ sung cho đủ 100 điểm; chưa đối chiếu bảng gốc của Quyết định 4725/QĐ-BGDĐT, "
    "phòng/sở sửa lại khi có văn bản.",
}
GROUP_POINTS: Final = 100


DT_INDEX: Final[dict[str, Any]] = {
    "mandatory_blocks_level": True,
    "groups": [
        {
            "key": "teaching",
            "label": "Dạy, học",
            "criteria": [
                _c("online_plan", "Có kế hoạch dạy học trực tuyến", mandatory=True),
                _c("online_rules", "Có quy chế tổ chức dạy học trực tuyến", mandatory=True),
                _c("sw_live", "Phần mềm dạy học trực tuyến (trực tiếp)", 6),
                _c("sw_self_study", "Phần mềm giao nhiệm vụ tự học", 6),
                _c("sw_answers", "Phần mềm giải đáp thắc mắc của học sinh", 6),
                _c("sw_tests", "Phần mềm kiểm tra, đánh giá thường xuyên", 6),
                _c("sw_parents", "Cha mẹ theo dõi kết quả học tập trực tuyến", 6),
                _c("materials", "Học liệu số", 10),
                _c("computer_tests", "Kiểm tra trên máy tính tại phòng máy", 15),
                _c("test_exchange", "Phần mềm kiểm tra trao đổi kết quả với hệ thống quản trị", 5),
                _c(
                    "teachers_account",
                    "Tỉ lệ giáo viên có tài khoản bồi dưỡng trực tuyến (%)",
                    7,
                    thresholds=[{"at": 50, "points": 4}, {"at": 80, "points": 7}],
                ),
                _c(
                    "teachers_methods",
                    "Tỉ lệ giáo viên dùng phần mềm đổi mới phương pháp (%)",
                    7,
                    thresholds=[{"at": 50, "points": 4}, {"at": 80, "points": 7}],
                ),
                _c(
                    "teachers_materials",
                    "Tỉ lệ giáo viên xây dựng học liệu số (%)",
                    6,
                    thresholds=[{"at": 30, "points": 3}, {"at": 60, "points": 6}],
                ),
                _c("classrooms", "Phòng học có máy chiếu và Internet", 8),
                _c("informatics", "Thiết bị dạy học môn Tin học", 7),
                _c("studio", "Phòng sản xuất học liệu số", 5),
            ],
        },
        {
            "key": "management",
            "label": "Quản trị nhà trường",
            "criteria": [
                _c("steering_group", "Có ban chỉ đạo chuyển đổi số", mandatory=True),
                _c("dt_plan", "Có kế hoạch ứng dụng CNTT, chuyển đổi số", mandatory=True),
                _c("sw_rules", "Quy chế sử dụng phần mềm quản trị", 6),
                _c("sw_students", "Quản lý học sinh", 6),
                _c("sw_gradebook", "Sổ điểm, học bạ điện tử", 10),
                _c("sw_staff", "Quản lý cán bộ, giáo viên", 6),
                _c("sw_facilities", "Quản lý cơ sở vật chất", 10),
                _c("sw_health", "Quản lý y tế trường học", 10),
                _c("sw_accounting", "Quản lý kế toán", 6),
                dict(DT_MANAGEMENT_ADDED),
                _c("data_exchange", "Trao đổi dữ liệu định kì với CSDL ngành", 6),
                _c("family_app", "Ứng dụng kết nối gia đình – nhà trường", 8),
                _c("online_admission", "Tuyển sinh đầu cấp trực tuyến", 12),
                _c("cashless", "Thu phí không dùng tiền mặt", 10),
            ],
        },
    ],
}

IT_MODEL: Final[dict[str, Any]] = {
    "mandatory_blocks_level": False,
    "groups": [
        {
            "key": "basic",
            "label": "Mức cơ bản (bắt buộc)",
            "criteria": [
                _c("school_software", "Phần mềm quản lý trường học kết nối CSDL ngành", mandatory=True),
                _c(
                    "portal",
                    "Cổng thông tin của trường tích hợp cổng thành phố, công khai đủ",
                    mandatory=True,
                ),
                _c("gradebook", "Sổ điểm, sổ liên lạc điện tử đang dùng", mandatory=True),
                _c(
                    "eoffice",
                    "Văn phòng điện tử cập nhật hai lần mỗi ngày (trước 8:00 và trước 17:00)",
                    mandatory=True,
                ),
                _c("official_email", "Thư điện tử tên miền ngành cho trường và lãnh đạo", mandatory=True),
                _c("fibre", "Internet cáp quang", mandatory=True),
                _c("computers", "Máy tính đủ cho làm việc trực tuyến", mandatory=True),
                _c("security", "Biện pháp bảo đảm an toàn thông tin", mandatory=True),
                _c("cameras", "Camera đạt tiêu chuẩn kỹ thuật của thành phố", mandatory=True),
                _c("training", "Báo cáo bồi dưỡng giáo viên", mandatory=True),
                _c("it_leader", "Có lãnh đạo phụ trách CNTT và vị trí nhân viên CNTT", mandatory=True),
            ],
        },
        {
            "key": "advanced",
            "label": "Mức nâng cao (Công văn 5807/BGDĐT-CNTT; tiêu chí chưa tìm được văn bản, trường tự bổ sung)",
            "criteria": [
                _c("online_teaching", "Dạy học, kiểm tra trực tuyến thường xuyên", 50),
                _c("digital_materials", "Kho học liệu số của trường", 50),
            ],
        },
    ],
}


@dataclass(frozen=True)
class GroupScore:
    key: str
    label: str
    points: float
    level: int
    missing: tuple[str, ...]  # labels of mandatory conditions not met


def group_points(group: Mapping[str, Any]) -> float:
    """The most a group can score: the sum of its criteria's points (a mandatory condition has none)."""
    return float(
        sum(item.get("points", 0) for item in group.get("criteria", []) if not item.get("mandatory"))
    )


def check(data: Any) -> list[str]:
    """Problems of a checklist's JSON (empty when it can be used); codes, for the Django layer to word."""
    if not isinstance(data, Mapping) or not isinstance(data.get("groups"), list) or not data["groups"]:
        return ["shape"]
    seen: set[str] = set()
    problems: list[str] = []
    for group in data["groups"]:
        if not isinstance(group, Mapping) or not isinstance(group.get("criteria"), list):
            return ["shape"]
        for item in group["criteria"]:
            if (
                not isinstance(item, Mapping)
                or not str(item.get("key", ""))
                or not str(item.get("label", ""))
            ):
                problems.append("criterion")
                continue
            if item["key"] in seen:
                problems.append("duplicate")
            seen.add(str(item["key"]))
            points = item.get("points", 0)
            if isinstance(points, bool) or not isinstance(points, int | float) or not 0 <= points <= 100:
                problems.append("points")
    return problems


def criterion_points(item: Mapping[str, Any], answer: Mapping[str, Any] | None) -> float:
    if not answer or item.get("mandatory"):
        return 0.0
    thresholds = item.get("thresholds") or []
    if thresholds:
        value = answer.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return 0.0
        reached = [float(t["points"]) for t in thresholds if value >= t["at"]]
        return min(max(reached, default=0.0), float(item.get("points", 0)))
    return float(item.get("points", 0)) if answer.get("met") else 0.0


def level_of(points: float) -> int:
    if points > LEVEL_3_ABOVE:
        return 3
    return 2 if points >= LEVEL_2_FROM else 1


def score(data: Mapping[str, Any], answers: Mapping[str, Any]) -> list[GroupScore]:
    """Each group's points, level and missing mandatory conditions. With `mandatory_blocks_level` (our
    reading of the decision, a setting), a group missing a condition stays at level 1."""
    blocks = bool(data.get("mandatory_blocks_level", True))
    result = []
    for group in data.get("groups", []):
        points = 0.0
        missing = []
        for item in group.get("criteria", []):
            answer = answers.get(item["key"])
            if item.get("mandatory") and not (answer and answer.get("met")):
                missing.append(str(item["label"]))
            points += criterion_points(item, answer)
        level = level_of(points)
        if blocks and missing:
            level = 1
        result.append(
            GroupScore(
                key=str(group["key"]),
                label=str(group["label"]),
                points=round(points, 2),
                level=level,
                missing=tuple(missing),
            )
        )
    return result
