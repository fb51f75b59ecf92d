from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Student


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã định danh"), required=False, max_length=100)
    school = forms.CharField(label=_("Mã trường"), required=False, max_length=32)


class StudentForm(forms.ModelForm):
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày sinh phải có dạng dd/mm/yyyy, ví dụ 05/09/2014.")},
    )

    class Meta:
        model = Student
        fields = ["full_name", "date_of_birth", "sex", "ethnicity", "address", "ministry_code"]
        error_messages = {"full_name": {"required": _("Hãy nhập họ và tên học sinh.")}}

    def clean_ministry_code(self) -> str:
        code: str = self.cleaned_data.get("ministry_code", "").strip()
        if code and not (len(code) == 10 and code.isdigit()):
            raise forms.ValidationError(_("Mã học sinh của Bộ gồm đúng 10 chữ số."))
        return code
