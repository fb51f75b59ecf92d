from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giaoducso.core.forms import DayMonthYearField
from giaoducso.core.models import Unit, UnitKind
from rules import codelists

from . import selectors
from .models import (
    Condition,
    OtherDocument,
    Ownership,
    Room,
    RoomKind,
    School,
    SchoolClass,
    SchoolLevel,
    SchoolStatus,
    SchoolYear,
    Sex,
    Staff,
    StaffStatus,
    Student,
    StudentStatus,
)
from .services.schools import SCHOOL_EDITABLE


def code_choices(codes: codelists.CodeList, current: str = "") -> list[tuple[str, str]]:
    """A pick list: empty, then the list's names; a stored value older than the list stays choosable."""
    choices = [("", "—"), *codes.choices()]
    if current and codes.name_of(current) is None:
        choices.append((current, f"{current} ({_('chưa có trong danh mục')})"))
    return choices


class CodeChoiceField(forms.ChoiceField):
    """A pick list of a code list; a posted name (any case, with or without diacritics) reads as its code."""

    def __init__(self, *, codes: codelists.CodeList, **kwargs: Any) -> None:
        self.codes = codes
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text: str = super().to_python(value)
        return (self.codes.lookup(text) or text) if text else ""


def code_field(codes: codelists.CodeList, label: Any, **kwargs: Any) -> forms.ChoiceField:
    return CodeChoiceField(
        codes=codes,
        label=label,
        required=False,
        choices=code_choices(codes),
        error_messages={"invalid_choice": _("Hãy chọn một giá trị trong danh mục.")},
        **kwargs,
    )


def parent_year(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Năm sinh là một số, ví dụ 1985."),
            "min_value": _("Năm sinh không hợp lệ."),
            "max_value": _("Năm sinh không hợp lệ."),
        },
    )


class MinistryStudentFields(forms.Form):
    """The fields of the Ministry's student sheet, shared by the create and edit forms."""

    nationality = code_field(codelists.nationalities(), _("Quốc tịch"), initial=codelists.VIETNAM)
    other_document_kind = forms.ChoiceField(
        label=_("Giấy tờ khác (khi không có số định danh)"),
        required=False,
        choices=[("", "—"), *OtherDocument.choices],
    )
    other_document_number = forms.CharField(label=_("Số giấy tờ khác"), max_length=32, required=False)
    birth_province = code_field(codelists.provinces(), _("Nơi sinh: tỉnh/thành phố"))
    birth_commune = forms.CharField(label=_("Nơi sinh: xã/phường"), max_length=128, required=False)
    father_name = forms.CharField(label=_("Họ tên cha"), max_length=255, required=False)
    father_birth_year = parent_year(_("Năm sinh của cha"))
    mother_name = forms.CharField(label=_("Họ tên mẹ"), max_length=255, required=False)
    mother_birth_year = parent_year(_("Năm sinh của mẹ"))


_CODED_STUDENT = {
    "ethnicity": codelists.ethnic_groups,
    "nationality": codelists.nationalities,
    "birth_province": codelists.provinces,
}


_CODED_STAFF = {
    "position": codelists.staff_positions,
    "qualification": codelists.qualifications,
    "employment_type": codelists.employment_kinds,
}


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã định danh"), required=False, max_length=100)
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)


def ward_field() -> forms.ModelChoiceField:
    """The wards of the unit tree: the quality board counts a ward as known only when it is one of them."""
    return forms.ModelChoiceField(
        label=_("Phường/xã"),
        required=False,
        queryset=Unit.objects.filter(kind=UnitKind.WARD, is_active=True).order_by("name"),
        empty_label=_("— Chưa chọn —"),
        error_messages={"invalid_choice": _("Hãy chọn một phường/xã trong danh mục.")},
    )


class StudentForm(MinistryStudentFields, forms.ModelForm):
    ward = ward_field()
    date_of_birth = DayMonthYearField(
        label=_("Ngày sinh"),
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày sinh phải có dạng dd/mm/yyyy, ví dụ 05/09/2014.")},
    )
    ethnicity = code_field(codelists.ethnic_groups(), _("Dân tộc"))

    class Meta:
        model = Student
        fields = [
            "full_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "address",
            "ward",
            "ministry_code",
            "nationality",
            "other_document_kind",
            "other_document_number",
            "birth_province",
            "birth_commune",
            "father_name",
            "father_birth_year",
            "mother_name",
            "mother_birth_year",
        ]
        error_messages = {"full_name": {"required": _("Hãy nhập họ và tên học sinh.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = getattr(self.instance, "ward_name", "")
        if text and not getattr(self.instance, "ward_id", None):
            # What the import file said, so the person choosing sees what to match.
            self.fields["ward"].help_text = _("Theo tệp nhập: «%(ward)s» (không có trong danh mục).") % {
                "ward": text
            }
        # A value older than the lists (migration 0008) stays as it is until someone picks a listed one.
        for name, codes in _CODED_STUDENT.items():
            field = self.fields[name]
            field.choices = code_choices(codes(), getattr(self.instance, name, ""))  # type: ignore[attr-defined]

    def clean_ministry_code(self) -> str:
        code: str = self.cleaned_data.get("ministry_code", "").strip()
        if code and not (len(code) == 10 and code.isdigit()):
            raise forms.ValidationError(_("Mã học sinh của Bộ gồm đúng 10 chữ số."))
        return code


# --- forms of the directory's own screens: schools, years, classes, staff, facilities, students ---

_ALL = ("", _("Tất cả"))
_DATE_HELP = _("Ngày có dạng dd/mm/yyyy, ví dụ 05/09/2026.")


def vn_date(label: Any, *, required: bool = True) -> forms.DateField:
    """A date typed the Vietnamese way, dd/mm/yyyy, with a message that shows the format."""
    return DayMonthYearField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _DATE_HELP, "required": _("Hãy nhập ngày.")},
    )


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's field errors shown on the form; a field the form lacks becomes a general error."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _bounded_int(label: Any, *, minimum: int, maximum: int, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "invalid": _("Hãy nhập một số nguyên."),
            "min_value": _("Giá trị nhỏ nhất là %(limit_value)s."),
            "max_value": _("Giá trị lớn nhất là %(limit_value)s."),
        },
    )


# Schools ---------------------------------------------------------------------------------------------


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã trường"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Cấp học"), required=False, choices=[_ALL, *SchoolLevel.choices])
    ownership = forms.ChoiceField(label=_("Loại hình"), required=False, choices=[_ALL, *Ownership.choices])
    ward = forms.CharField(label=_("Phường/xã"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[_ALL, *SchoolStatus.choices])


class SchoolForm(forms.ModelForm):
    name = forms.CharField(label=_("Tên trường"), max_length=255)
    ward = forms.ModelChoiceField(
        label=_("Phường/xã"),
        required=False,
        queryset=Unit.objects.filter(kind=UnitKind.WARD).order_by("name"),
        empty_label=_("— Chưa chọn —"),
    )
    website = forms.URLField(
        label=_("Trang thông tin"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Địa chỉ trang thông tin không hợp lệ (ví dụ https://…).")},
    )

    class Meta:
        model = School
        fields = list(SCHOOL_EDITABLE)  # what school_update may change, in its order
        error_messages = {
            "email": {"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
        }

    field_order = ["name", *Meta.fields]


# Years and terms ---------------------------------------------------------------------------------------


class SchoolYearForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Lịch năm học của"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không quản lý lịch năm học của đơn vị này.")},
    )
    name = forms.CharField(label=_("Năm học"), max_length=9, help_text=_("Ví dụ 2026-2027."))
    start_date = vn_date(_("Ngày bắt đầu"))
    end_date = vn_date(_("Ngày kết thúc"))
    is_current = forms.BooleanField(label=_("Là năm học hiện tại"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        """`units`: the calendars the user may change; with one, it is not asked."""
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        self._only_unit = units[0] if len(units) == 1 else None
        if self._only_unit is not None:
            field.initial = self._only_unit.pk
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_unit(self) -> Unit | None:
        unit: Unit | None = self.cleaned_data.get("unit")
        return unit or self._only_unit


class TermForm(forms.Form):
    number = forms.TypedChoiceField(label=_("Học kì"), choices=[(1, "I"), (2, "II")], coerce=int)
    start_date = vn_date(_("Ngày bắt đầu"))
    end_date = vn_date(_("Ngày kết thúc"))


# Classes ---------------------------------------------------------------------------------------------


def _year_label(year: SchoolYear) -> str:
    if year.unit is None:
        return year.name
    return f"{year.name} — {year.unit.short_name or year.unit.name}"


class ClassFilterForm(forms.Form):
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)
    year = forms.ModelChoiceField(
        label=_("Năm học"),
        required=False,
        queryset=SchoolYear.objects.none(),
        empty_label=_("Năm học hiện tại"),
    )
    grade = _bounded_int(_("Khối"), minimum=0, maximum=12)
    q = forms.CharField(label=_("Tên lớp"), required=False, max_length=32)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The years of the calendars the user follows, each naming its Sở (a user above several provinces
        # sees one 2026-2027 per province).
        field = self.fields["year"]
        field.queryset = selectors.year_list(user=user)  # type: ignore[attr-defined]
        field.label_from_instance = _year_label  # type: ignore[attr-defined]


class ClassForm(forms.Form):
    name = forms.CharField(
        label=_("Tên lớp"),
        max_length=32,
        help_text=_("Dạng khối/lớp, ví dụ 6/1; mầm non: Mầm 1, Chồi 2, Lá 3."),
    )
    homeroom_teacher = forms.ModelChoiceField(
        label=_("Giáo viên chủ nhiệm"),
        required=False,
        queryset=Staff.objects.none(),
        empty_label=_("— Chưa có —"),
    )
    room = forms.ModelChoiceField(
        label=_("Phòng học"), required=False, queryset=Room.objects.none(), empty_label=_("— Chưa có —")
    )

    def __init__(self, *args: Any, school: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the school's own people and rooms can be chosen: others are not even listed.
        self.fields["homeroom_teacher"].queryset = (
            Staff.objects.filter(  # type: ignore[attr-defined]
                Q(school=school) | Q(assignments__school=school)
            )
            .distinct()
            .order_by("sort_key", "id")
        )
        self.fields["room"].queryset = Room.objects.filter(school=school).order_by("name")  # type: ignore[attr-defined]


class ClassCreateForm(ClassForm):
    year = forms.ModelChoiceField(label=_("Năm học"), queryset=SchoolYear.objects.none(), empty_label=None)

    field_order = ["year", "name", "homeroom_teacher", "room"]

    def __init__(self, *args: Any, school: Unit, **kwargs: Any) -> None:
        super().__init__(*args, school=school, **kwargs)
        # Only the years of the school's own calendar (its province's).
        self.fields["year"].queryset = selectors.calendar_years_for(school)  # type: ignore[attr-defined]
        current = selectors.current_year_for(school)
        if current is not None:
            self.fields["year"].initial = current.pk


# Staff -----------------------------------------------------------------------------------------------


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc số định danh"), required=False, max_length=100)
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)
    position = forms.CharField(label=_("Vị trí việc làm"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[_ALL, *StaffStatus.choices])


class StaffForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=255, error_messages={"required": _("Hãy nhập họ và tên.")}
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    date_of_birth = vn_date(_("Ngày sinh"))
    position = code_field(codelists.staff_positions(), _("Vị trí việc làm"))
    employment_type = code_field(codelists.employment_kinds(), _("Loại hợp đồng/biên chế"))
    qualification = code_field(codelists.qualifications(), _("Trình độ chuyên môn"))
    subjects = forms.CharField(label=_("Môn dạy"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=StaffStatus.choices, initial=StaffStatus.WORKING
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A value older than the lists (migration 0009) stays choosable until someone picks a listed one.
        for name, codes in _CODED_STAFF.items():
            field = self.fields[name]
            field.choices = code_choices(codes(), self.initial.get(name) or "")  # type: ignore[attr-defined]


class StaffCreateForm(StaffForm):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=12,
        error_messages={"required": _("Hãy nhập số định danh cá nhân (12 chữ số).")},
    )

    field_order = ["personal_id", "full_name", "sex", "date_of_birth"]


class StaffAssignForm(forms.Form):
    school = forms.CharField(label=_("Mã trường dạy thêm"), max_length=32)
    position = forms.CharField(label=_("Vị trí ở trường đó"), max_length=128, required=False)


# Facilities ------------------------------------------------------------------------------------------


class RoomFilterForm(forms.Form):
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)
    kind = forms.ChoiceField(label=_("Loại phòng"), required=False, choices=[_ALL, *RoomKind.choices])
    condition = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[_ALL, *Condition.choices])


class RoomForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại phòng"), choices=RoomKind.choices)
    name = forms.CharField(
        label=_("Tên phòng"), max_length=64, error_messages={"required": _("Hãy đặt tên phòng.")}
    )
    area_m2 = forms.DecimalField(
        label=_("Diện tích (m²)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        error_messages={
            "invalid": _("Diện tích là một số, ví dụ 48.5."),
            "min_value": _("Diện tích không được âm."),
            "max_digits": _("Diện tích quá lớn."),
            "max_decimal_places": _("Diện tích ghi tối đa một chữ số thập phân."),
            "max_whole_digits": _("Diện tích quá lớn."),
        },
    )
    condition = forms.ChoiceField(label=_("Tình trạng"), choices=Condition.choices)


class EquipmentFilterForm(forms.Form):
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)
    q = forms.CharField(label=_("Tên thiết bị"), required=False, max_length=100)
    condition = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=[_ALL, *Condition.choices])


class EquipmentForm(forms.Form):
    name = forms.CharField(
        label=_("Tên thiết bị"), max_length=255, error_messages={"required": _("Hãy nhập tên thiết bị.")}
    )
    quantity = _bounded_int(_("Số lượng"), minimum=0, maximum=1_000_000, required=True)
    condition = forms.ChoiceField(label=_("Tình trạng"), choices=Condition.choices)
    room = forms.ModelChoiceField(
        label=_("Đặt tại phòng"), required=False, queryset=Room.objects.none(), empty_label=_("— Không —")
    )

    def __init__(self, *args: Any, school: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(school=school).order_by("name")  # type: ignore[attr-defined]


# Students --------------------------------------------------------------------------------------------


def _class_choices(school: Unit) -> Any:
    return SchoolClass.objects.filter(school=school, year__is_current=True).order_by("grade", "name")


class StudentCreateForm(MinistryStudentFields):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=12,
        required=False,
        help_text=_("Bắt buộc với học sinh quốc tịch Việt Nam; học sinh nước ngoài ghi giấy tờ khác."),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=255, error_messages={"required": _("Hãy nhập họ và tên học sinh.")}
    )
    date_of_birth = vn_date(_("Ngày sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    ethnicity = code_field(codelists.ethnic_groups(), _("Dân tộc"), initial=codelists.KINH)
    place_of_birth = forms.CharField(label=_("Nơi sinh (ghi chú)"), max_length=255, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    ward = ward_field()
    ministry_code = forms.CharField(label=_("Mã học sinh (Bộ)"), max_length=10, required=False)
    school_class = forms.ModelChoiceField(
        label=_("Lớp (năm học hiện tại)"),
        required=False,
        queryset=SchoolClass.objects.none(),
        empty_label=_("— Chưa xếp lớp —"),
    )
    start_date = vn_date(_("Ngày vào học"), required=False)

    field_order = [
        "personal_id",
        "other_document_kind",
        "other_document_number",
        "full_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "nationality",
        "birth_province",
        "birth_commune",
        "place_of_birth",
        "address",
        "father_name",
        "father_birth_year",
        "mother_name",
        "mother_birth_year",
    ]

    def __init__(self, *args: Any, school: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = _class_choices(school)  # type: ignore[attr-defined]

    def clean_ministry_code(self) -> str:
        code: str = self.cleaned_data.get("ministry_code", "").strip()
        if code and not (len(code) == 10 and code.isdigit()):
            raise forms.ValidationError(_("Mã học sinh của Bộ gồm đúng 10 chữ số."))
        return code


class StudentClassForm(forms.Form):
    school_class = forms.ModelChoiceField(
        label=_("Chuyển sang lớp"),
        queryset=SchoolClass.objects.none(),
        error_messages={"required": _("Hãy chọn lớp."), "invalid_choice": _("Lớp không hợp lệ.")},
    )
    date = vn_date(_("Từ ngày"))

    def __init__(self, *args: Any, school: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = _class_choices(school)  # type: ignore[attr-defined]


class StudentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái mới"), choices=StudentStatus.choices)
    date = vn_date(_("Từ ngày"))
    date.help_text = _("Ngày sau hôm nay: thay đổi được lên lịch và có hiệu lực vào ngày đó.")
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class GuardianForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=255, error_messages={"required": _("Hãy nhập họ và tên.")}
    )
    relation = forms.CharField(label=_("Quan hệ"), max_length=32, initial="Cha/Mẹ")
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    is_primary = forms.BooleanField(label=_("Liên hệ chính"), required=False)


# Dated changes and corrections ----------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lí do"),
        max_length=255,
        widget=forms.TextInput(),
        error_messages={"required": _("Hãy ghi lí do.")},
    )


class PersonalIdCorrectForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân đúng"),
        max_length=12,
        error_messages={"required": _("Hãy nhập số định danh cá nhân (12 chữ số).")},
    )
    reason = forms.CharField(
        label=_("Lí do sửa"),
        max_length=500,
        help_text=_("Ví dụ: nhập sai khi tạo hồ sơ; số được cấp lại sau khi cải chính năm sinh."),
        error_messages={"required": _("Hãy ghi lí do.")},
    )
