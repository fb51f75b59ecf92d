"""The shared education database (CSDL). The foundation holds the people that scoping is proven on;
the directory issue adds classes, years, staff, facilities and imports on top of these tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Role
from giaoducso.core.scoping import Scope


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Student(models.Model):
    # Every per-student table carries its school (DESIGN §5): the key that scoping and sharding use.
    school = models.ForeignKey(
        Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="students"
    )
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    ministry_code = models.CharField(_("mã học sinh (Bộ)"), max_length=10, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=64, blank=True, default="Kinh")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # The student's own account, when the school gives one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(
        unit_field="school",
        relations={Role.PARENT: "guardians__user", Role.STUDENT: "user"},
    )

    class Meta:
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")
        ordering = ["school_id", "full_name", "id"]
        indexes = [models.Index(fields=["school", "full_name"], name="dir_student_school_name")]

    def __str__(self) -> str:
        return self.full_name


class Guardian(models.Model):
    """A parent or legal guardian of a student; `user` links the parent's account when they have one."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    full_name = models.CharField(_("họ và tên"), max_length=255)
    relation = models.CharField(_("quan hệ"), max_length=32, default="Cha/Mẹ")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardianships",
    )

    scope = Scope(unit_field="school", relations={Role.PARENT: "user"})

    class Meta:
        verbose_name = _("cha mẹ/người giám hộ")
        verbose_name_plural = _("cha mẹ/người giám hộ")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.relation})"
