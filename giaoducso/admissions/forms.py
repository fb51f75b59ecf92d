"""Forms of the admissions screens; what they accept is checked again, with the same words, by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from giaoducso.core.forms import DayMonthYearField

from .models import AreaRule, Campaign, CampaignKind, EntryGrade, GroupRule, UnconfirmedPolicy
from .services.applications import CORRECTABLE


def attach(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal under the fields it names (the rest on top of the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, list(error.messages))


class IdentifyForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân của trẻ (12 chữ số)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = DayMonthYearField(label=_("Ngày sinh của trẻ (dd/mm/yyyy)"))


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên của trẻ"), max_length=255, required=False)
    address = forms.CharField(label=_("Nơi cư trú hiện tại"), max_length=255)
    ward = forms.ChoiceField(label=_("Phường/xã cư trú"), required=False)
    latitude = forms.CharField(
        label=_("Vĩ độ nơi ở (nếu xét theo khoảng cách)"), max_length=20, required=False
    )
    longitude = forms.CharField(label=_("Kinh độ nơi ở"), max_length=20, required=False)
    local_priority = forms.CharField(
        label=_("Diện ưu tiên của địa phương (nếu có)"), max_length=255, required=False
    )
    guardian_name = forms.CharField(label=_("Họ tên cha mẹ/người giám hộ"), max_length=255)
    guardian_phone = forms.CharField(label=_("Điện thoại liên hệ"), max_length=20)
    data_confirmed = forms.BooleanField(
        label=_("Tôi xác nhận thông tin của trẻ ở trên là đúng"), required=False
    )
    correction_field = forms.ChoiceField(
        label=_("Đề nghị sửa: thông tin"),
        required=False,
        choices=[("", "—"), *((k, v) for k, v in CORRECTABLE.items())],
    )
    correction_value = forms.CharField(label=_("Thông tin đúng"), max_length=255, required=False)
    correction_note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    proof = forms.FileField(
        label=_("Minh chứng (ảnh JPG/PNG hoặc PDF, tối đa 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, campaign: Campaign, wards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "—"), *wards]
        schools = [("", "—")] + [
            (str(row.school_id), row.school.name) for row in campaign.schools.select_related("school")
        ]
        for rank in range(1, campaign.choices_allowed + 1):
            self.fields[f"choice_{rank}"] = forms.ChoiceField(
                label=_("Nguyện vọng %(rank)s") % {"rank": rank}, choices=schools, required=rank == 1
            )
        self.choice_fields = [self[f"choice_{rank}"] for rank in range(1, campaign.choices_allowed + 1)]


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    date_of_birth = DayMonthYearField(label=_("Ngày sinh của trẻ (dd/mm/yyyy)"))


def groups_text(groups: list[dict[str, str]]) -> str:
    return "\n".join(f"{g['label']} | {g['rule']}" for g in groups)


def parse_groups(text: str) -> list[dict[str, str]]:
    groups = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label, _sep, rule = line.rpartition("|")
        if not _sep:
            label, rule = line, ""
        groups.append({"label": label.strip(), "rule": rule.strip()})
    return groups


RULES_HELP = _("Mỗi dòng một nhóm, theo thứ tự ưu tiên: «tên nhóm | điều kiện». Điều kiện: ") + ", ".join(
    f"{value} ({label})" for value, label in GroupRule.choices
)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Tên kì tuyển sinh"), max_length=200)
    school_year = forms.CharField(label=_("Năm học"), max_length=9, initial="2026-2027")
    entry_grade = forms.TypedChoiceField(label=_("Khối tuyển sinh"), choices=EntryGrade.choices, coerce=int)
    kind = forms.ChoiceField(label=_("Loại"), choices=CampaignKind.choices)
    general_campaign = forms.ChoiceField(
        label=_("Kì tuyển sinh chung xét tiếp (cho chương trình đặc thù)"), required=False
    )
    area_rule = forms.ChoiceField(label=_("Cách xác định địa bàn"), choices=AreaRule.choices)
    radius_km = forms.CharField(
        label=_("Bán kính địa bàn (km, khi xét theo khoảng cách)"), max_length=8, required=False
    )
    residence_only = forms.BooleanField(
        label=_("Chỉ xét theo nơi cư trú (một nguyện vọng, không đủ chỗ thì xếp trường gần nhất còn chỗ)"),
        required=False,
    )
    choices_allowed = forms.IntegerField(label=_("Số nguyện vọng"), min_value=1, max_value=10, initial=3)
    groups = forms.CharField(
        label=_("Nhóm ưu tiên"), widget=forms.Textarea(attrs={"rows": 4}), help_text=RULES_HELP
    )
    review_end = DayMonthYearField(label=_("Hạn rà soát dữ liệu"))
    apply_start = DayMonthYearField(label=_("Bắt đầu nhận hồ sơ"))
    apply_end = DayMonthYearField(label=_("Kết thúc nhận hồ sơ"))
    verify_end = DayMonthYearField(label=_("Hạn xác minh hồ sơ"))
    publish_date = DayMonthYearField(label=_("Ngày công bố kết quả"))
    confirm_deadline = DayMonthYearField(label=_("Hạn xác nhận nhập học"))
    unconfirmed_policy = forms.ChoiceField(
        label=_("Chỗ không xác nhận đúng hạn"), choices=UnconfirmedPolicy.choices
    )

    def __init__(self, *args: Any, generals: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generals = {str(c.pk): c for c in generals}
        self.fields["general_campaign"].choices = [("", "—"), *((str(c.pk), c.name) for c in generals)]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["general_campaign"] = self.generals.get(data.get("general_campaign") or "")
        data["groups"] = parse_groups(data["groups"])
        return data


class SchoolRowForm(forms.Form):
    school = forms.ChoiceField(label=_("Trường"))
    seats = forms.IntegerField(label=_("Chỉ tiêu"), min_value=0, max_value=10_000)
    wards = forms.CharField(
        label=_("Mã phường/xã thuộc địa bàn (cách nhau dấu phẩy)"), max_length=1000, required=False
    )
    latitude = forms.CharField(label=_("Vĩ độ"), max_length=20, required=False)
    longitude = forms.CharField(label=_("Kinh độ"), max_length=20, required=False)

    def __init__(self, *args: Any, schools: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = schools
