"""The seed of the two catalogues, from the fact sheets (shared/rules/disclosure.md) and the issue's list of
procedures. Loaded by the data migration; items "not confirmed" in the sheet are seeded confirmed=False,
so that the department can still correct them."""

from __future__ import annotations

from typing import Any

GENERAL = ["primary", "lower_secondary", "primary_lower_secondary", "multi"]
PRESCHOOL = ["preschool", "multi"]

REQUIREMENTS: list[dict] = [
    {"code": "d4-thong-tin-chung", "article": "Điều 4", "kind": "text", "confirmed": True,
     "title": "Thông tin chung về cơ sở giáo dục",
     "description": "Tên, địa chỉ, điện thoại, thư điện tử, trang thông tin; loại hình, cơ quan quản lý; sứ mạng, "
                    "tầm nhìn, mục tiêu; tóm tắt lịch sử; người đại diện theo pháp luật."},
    {"code": "d4-quyet-dinh-to-chuc", "article": "Điều 4", "kind": "document", "confirmed": True,
     "title": "Quyết định thành lập, hội đồng trường, bổ nhiệm hiệu trưởng; quy chế; sơ đồ tổ chức",
     "description": "Các quyết định thành lập, thành lập hội đồng trường, bổ nhiệm hiệu trưởng; quy chế tổ chức "
                    "và hoạt động, nội quy; sơ đồ tổ chức."},
    {"code": "d5-tai-chinh", "article": "Điều 5", "kind": "document", "confirmed": True,
     "title": "Tình hình tài chính",
     "description": "Thu năm trước theo nguồn, chi theo khoản mục; số dư các quỹ."},
    {"code": "d5-hoc-phi", "article": "Điều 5", "kind": "text", "confirmed": True,
     "title": "Học phí, các khoản thu; miễn, giảm, học bổng",
     "description": "Mức học phí và các khoản thu hiện hành và dự kiến; chính sách miễn, giảm học phí, học bổng "
                    "và người được hưởng."},
    {"code": "d8-doi-ngu", "article": "Điều 8", "kind": "live", "source": "staff", "levels": GENERAL,
     "confirmed": True, "title": "Đội ngũ theo vị trí việc làm và trình độ",
     "description": "Số cán bộ quản lý, giáo viên, nhân viên theo vị trí việc làm và trình độ đào tạo; số và tỉ lệ "
                    "đạt chuẩn nghề nghiệp; tỉ lệ hoàn thành bồi dưỡng trong năm."},
    {"code": "d8-co-so-vat-chat", "article": "Điều 8", "kind": "live", "source": "facilities", "levels": GENERAL,
     "confirmed": True, "title": "Đất đai, phòng học, diện tích bình quân trên học sinh",
     "description": "Diện tích đất, các điểm trường; diện tích bình quân m²/học sinh so với mức tối thiểu; phòng "
                    "theo loại so với mức tối thiểu.",
     # The minimum per pupil is not in the sheet: a parameter the department sets.
     "parameters": {"min_m2_per_pupil": {}}},
    {"code": "d8-thiet-bi", "article": "Điều 8", "kind": "live", "source": "equipment", "levels": GENERAL,
     "confirmed": True, "title": "Thiết bị dạy học",
     "description": "Thiết bị dạy học hiện có so với danh mục tối thiểu."},
    {"code": "d8-sach-giao-khoa", "article": "Điều 8", "kind": "text", "levels": GENERAL, "confirmed": True,
     "title": "Danh mục sách giáo khoa, tài liệu tham khảo",
     "description": "Danh mục sách giáo khoa được phê duyệt sử dụng và tài liệu tham khảo tối thiểu."},
    {"code": "d8-kiem-dinh", "article": "Điều 8", "kind": "document", "levels": GENERAL, "confirmed": True,
     "title": "Tự đánh giá và kiểm định chất lượng",
     "description": "Kết quả tự đánh giá, đánh giá ngoài, kiểm định chất lượng giáo dục."},
    {"code": "mn-doi-ngu", "article": "Điều 7 (mầm non, chưa đối chiếu)", "kind": "live", "source": "staff",
     "levels": PRESCHOOL, "confirmed": False, "title": "Đội ngũ (mầm non)",
     "description": "Điều kiện bảo đảm chất lượng của cơ sở giáo dục mầm non: đội ngũ."},
    {"code": "mn-co-so-vat-chat", "article": "Điều 7 (mầm non, chưa đối chiếu)", "kind": "live",
     "source": "facilities", "levels": PRESCHOOL, "confirmed": False, "title": "Cơ sở vật chất (mầm non)",
     "description": "Điều kiện bảo đảm chất lượng của cơ sở giáo dục mầm non: cơ sở vật chất.",
     "parameters": {"min_m2_per_pupil": {}}},
    {"code": "d9-lop-hoc-sinh", "article": "Điều 9 (chưa đối chiếu)", "kind": "live", "source": "classes",
     "confirmed": False, "title": "Số lớp, số học sinh theo khối",
     "description": "Quy mô năm học: số lớp và số học sinh theo khối."},
    {"code": "d9-ke-hoach", "article": "Điều 9 khoản 1 (chưa đối chiếu)", "kind": "text", "confirmed": False,
     "title": "Kế hoạch giáo dục của năm học", "description": "Kế hoạch giáo dục năm học của nhà trường."},
    {"code": "d9-ket-qua", "article": "Điều 9 khoản 2 (chưa đối chiếu)", "kind": "live", "source": "results",
     "levels": GENERAL, "confirmed": False, "title": "Kết quả giáo dục năm học trước theo khối",
     "description": "Kết quả đánh giá học sinh năm học trước theo khối lớp."},
    {"code": "d14-bao-cao-nam", "article": "Điều 14 (chưa đối chiếu)", "kind": "document", "confirmed": False,
     "title": "Báo cáo thường niên", "description": "Báo cáo thường niên của nhà trường."},
]  # fmt: skip

PROCEDURES: list[dict] = [
    {"code": "xin-nghi-hoc", "name": "Xin cho học sinh nghỉ học có phép", "handled_by": "school",
     "deadline_working_days": 1, "documents_needed": "Đơn xin nghỉ học của cha mẹ (ghi rõ lí do và số ngày nghỉ).",
     "description": "Cha mẹ báo nghỉ học có phép cho con."},
    {"code": "phuc-khao", "name": "Đề nghị phúc khảo bài kiểm tra, bài thi", "handled_by": "school",
     "deadline_working_days": 5, "documents_needed": "Đơn đề nghị phúc khảo, ghi rõ môn, bài kiểm tra và lí do.",
     "description": "Đề nghị chấm lại một bài kiểm tra định kì hoặc bài thi."},
    {"code": "cap-ban-sao-hoc-ba", "name": "Cấp bản sao học bạ", "handled_by": "school",
     "deadline_working_days": 5, "documents_needed": "Đơn đề nghị; giấy tờ tùy thân của người đề nghị.",
     "description": "Cấp bản sao học bạ từ sổ gốc."},
    {"code": "chuyen-truong", "name": "Chuyển trường", "handled_by": "school",
     "deadline_working_days": 5,
     "documents_needed": "Đơn xin chuyển trường; học bạ; giấy giới thiệu của trường nơi đi (do trường cấp).",
     "description": "Chuyển học sinh đến hoặc đi khỏi trường trong năm học."},
    {"code": "giay-xac-nhan-hoc-tap", "name": "Cấp giấy xác nhận đang học", "handled_by": "school",
     "deadline_working_days": 2, "documents_needed": "Đơn đề nghị ghi rõ mục đích sử dụng giấy xác nhận.",
     "description": "Xác nhận học sinh đang học tại trường."},
    {"code": "chuyen-truong-ngoai-quan", "name": "Chuyển trường ngoài địa bàn (Phòng GD&ĐT)",
     "handled_by": "department", "deadline_working_days": 5,
     "documents_needed": "Đơn xin chuyển trường; học bạ; ý kiến của trường nơi đi.",
     "description": "Chuyển trường giữa các địa bàn do Phòng giải quyết."},
]  # fmt: skip


def sync(requirement_model: Any, procedure_model: Any) -> None:
    """Writes the seed into the tables (the data migration's models, or the real ones when a database
    flushed since the migration needs them back: a test server, the demo). Existing rows keep the
    department's corrections to the fields it may edit: only missing items are created."""
    for order, item in enumerate(REQUIREMENTS, start=1):
        requirement_model.objects.get_or_create(code=item["code"], defaults={**item, "order": order * 10})
    for order, item in enumerate(PROCEDURES, start=1):
        procedure_model.objects.get_or_create(code=item["code"], defaults={**item, "order": order * 10})
