"""The editors' forms. Services do the checking; forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from giaoducso.core.forms import DayMonthYearField
from giaoducso.directory.models import Student, StudentStatus

from .models import Article, Category, Event, Image, Page, Site


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}, **kwargs)


class SiteForm(forms.ModelForm):  # type: ignore[type-arg]
    map_url = forms.URLField(label=_("Liên kết bản đồ"), required=False, assume_scheme="https")

    class Meta:
        model = Site
        fields = ["title", "tagline", "intro", "logo", "primary_color", "accent_color", "address", "phone",
                  "email", "map_url", "host"]  # fmt: skip
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "accent_color": forms.TextInput(attrs={"type": "color"}),
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logo"].queryset = (
            Image.objects.filter(site=self.instance) if self.instance.pk else Image.objects.none()
        )


class PageForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "menu_order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["body"].help_text = _(
            "HTML đơn giản: đoạn, tiêu đề, danh sách, bảng, liên kết, ảnh của trang."
        )


class ArticleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Article
        fields = ["title", "slug", "category", "summary", "image", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["category"].queryset = Category.objects.filter(site=site)
        self.fields["image"].queryset = Image.objects.filter(site=site)


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Event
        fields = ["title", "starts_at", "ends_at", "place", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = ["name", "slug"]


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Đăng vào lúc (để trống: đăng ngay)"), required=False, widget=DateTimeInput()
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến khi trả lại"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def _students(site: Site) -> Any:
    return Student.objects.filter(school=site.unit, status=StudentStatus.STUDYING).order_by("sort_key")


class StudentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        klass = obj.current_class.name if obj.current_class_id else ""
        return f"{obj.full_name} ({klass})" if klass else obj.full_name


class ImageForm(forms.Form):
    file = forms.FileField(label=_("Tệp ảnh (JPG, PNG, WEBP, GIF)"))
    alt_text = forms.CharField(label=_("Mô tả ảnh (cho người khiếm thị)"), max_length=255)
    students = StudentChoice(
        label=_("Học sinh có trong ảnh"), queryset=Student.objects.none(), required=False
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = _students(site).select_related("current_class")


class TagForm(forms.Form):
    students = StudentChoice(
        label=_("Học sinh có trong ảnh"), queryset=Student.objects.none(), required=False
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = _students(site).select_related("current_class")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, DOCX, ODT, XLSX hoặc ảnh)"))
    title = forms.CharField(label=_("Tên hiển thị"), max_length=255, required=False)


class ConsentForm(forms.Form):
    parent_consent_on = DayMonthYearField(label=_("Cha mẹ/người giám hộ đồng ý ngày"), required=False)
    parent_name = forms.CharField(label=_("Người đại diện đồng ý"), max_length=255, required=False)
    child_consent_on = DayMonthYearField(label=_("Học sinh đồng ý ngày (từ 7 tuổi)"), required=False)
    withdrawn_on = DayMonthYearField(label=_("Rút lại đồng ý ngày"), required=False)
