"""The Vietnamese wording of `rules.report_forms` problems, for the screens and the API alike."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rules.report_forms import Problem

MESSAGES = {
    "schema_shape": _(
        "Cấu trúc biểu mẫu không hợp lệ: cần danh sách các phần, mỗi phần có danh sách chỉ tiêu."
    ),
    "no_fields": _("Biểu mẫu cần ít nhất một chỉ tiêu."),
    "too_many_fields": _("Biểu mẫu có quá nhiều chỉ tiêu (tối đa %(limit)s)."),
    "duplicate_key": _("Mã chỉ tiêu «%(key)s» bị trùng."),
    "bad_key": _(
        "Mã chỉ tiêu «%(key)s» không hợp lệ: chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ."
    ),
    "no_label": _("Chỉ tiêu «%(key)s» cần có tên."),
    "bad_type": _("Chỉ tiêu «%(label)s»: kiểu «%(type)s» không có."),
    "bad_range": _("Chỉ tiêu «%(label)s»: giá trị nhỏ nhất lớn hơn giá trị lớn nhất."),
    "no_choices": _("Chỉ tiêu «%(label)s» cần ít nhất hai lựa chọn."),
    "duplicate_choice": _("Chỉ tiêu «%(label)s» có lựa chọn bị trùng."),
    "bad_column": _("Bảng «%(label)s»: mỗi cột cần mã hợp lệ, tên và kiểu (chữ hoặc số), mã không trùng."),
    "no_columns": _("Bảng «%(label)s» cần ít nhất một cột."),
    "bad_formula": _("Chỉ tiêu tính toán «%(label)s» cần công thức chỉ gồm số, mã chỉ tiêu và + − × ÷."),
    "formula_names": _("Công thức của «%(label)s» dùng %(names)s: chỉ được dùng chỉ tiêu số đứng trước nó."),
    "bad_prefill": _("Chỉ tiêu «%(label)s»: nguồn điền sẵn «%(source)s» không có."),
    "bad_kinds": _("Chỉ tiêu tệp «%(label)s» cần các loại tệp được nhận (PDF, DOCX, XLSX, ODT, PNG, JPEG)."),
    "bad_max_rows": _("Bảng «%(label)s»: số dòng tối đa phải từ 1 đến %(limit)s."),
    "required": _("«%(label)s» là bắt buộc."),
    "not_number": _("«%(label)s» phải là một số."),
    "not_integer": _("«%(label)s» phải là số nguyên."),
    "below_min": _("«%(label)s» không được nhỏ hơn %(min)s."),
    "above_max": _("«%(label)s» không được lớn hơn %(max)s."),
    "bad_date": _("«%(label)s»: ngày «%(value)s» không đúng dạng dd/mm/yyyy hoặc không có thật."),
    "bad_choice": _("«%(label)s»: lựa chọn không có trong danh sách."),
    "not_bool": _("«%(label)s» phải là Có hoặc Không."),
    "too_long": _("«%(label)s» dài quá %(limit)s ký tự."),
    "bad_file": _("«%(label)s»: tệp đính kèm không hợp lệ."),
    "bad_table": _("«%(label)s»: bảng phải là danh sách các dòng."),
    "too_many_rows": _("«%(label)s»: tối đa %(limit)s dòng."),
}


def message(problem: Problem) -> str:
    template = MESSAGES.get(problem.code)
    if template is None:
        return str(_("Dữ liệu không hợp lệ."))
    try:
        return str(template) % dict(problem.params)
    except (KeyError, TypeError, ValueError):
        return str(template)


def refusal(problems: Iterable[Problem]) -> ValidationError:
    """One ValidationError keyed by field (the API's `fields`, the form's errors), codes kept."""
    by_field: dict[str, list[ValidationError]] = {}
    for problem in problems:
        key = problem.field or "__all__"
        by_field.setdefault(key, []).append(ValidationError(message(problem), code=problem.code))
    return ValidationError(by_field)
