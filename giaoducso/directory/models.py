"""The shared education database (CSDL ngành): schools, years, classes, students, staff, facilities.

Every per-student and per-school table carries `school` (a Unit of kind school): the key that scoping
uses, and the distribution key for a future Citus deployment (DESIGN §5), so no hot table relies on a
cross-unit foreign key alone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Role
from giaoducso.core.scoping import Scope
from rules import codelists


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("THCS")
    PRIMARY_LOWER_SECONDARY = "primary_lower_secondary", _("Tiểu học và THCS")
    MULTI = "multi", _("Liên cấp (Mầm non, Tiểu học, THCS)")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Công lập")
    PRIVATE = "private", _("Tư thục")


class SchoolStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    SUSPENDED = "suspended", _("Tạm ngừng")
    CLOSED = "closed", _("Đã giải thể/sáp nhập")


class School(models.Model):
    """A school's record in the database; its place in the tree is its Unit."""

    unit = models.OneToOneField(
        Unit, primary_key=True, on_delete=models.PROTECT, related_name="school_record"
    )
    level = models.CharField(_("cấp học"), max_length=32, choices=SchoolLevel.choices)
    ownership = models.CharField(_("loại hình"), max_length=16, choices=Ownership.choices)
    # The ward as a unit of the tree when known; the text as written otherwise (a data-quality warning).
    ward = models.ForeignKey(
        Unit, verbose_name=_("phường/xã"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward_name = models.CharField(_("phường/xã (theo tệp)"), max_length=128, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    principal_name = models.CharField(_("hiệu trưởng"), max_length=255, blank=True)
    it_leader_name = models.CharField(_("lãnh đạo phụ trách CNTT"), max_length=255, blank=True)
    has_it_staff_position = models.BooleanField(_("có vị trí nhân viên CNTT"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SchoolStatus.choices, default=SchoolStatus.ACTIVE
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("trường")
        verbose_name_plural = _("trường")

    def __str__(self) -> str:
        return self.unit.name

    @property
    def code(self) -> str:
        return self.unit.code


class SchoolYear(models.Model):
    """A school year, e.g. 2026-2027, with its two terms, in the calendar of one unit.

    The calendar is the province's: `unit` is the Sở whose subtree follows it (a unit set up with no Sở
    above keeps its own; see `selectors.calendar_unit`). No unit is the default calendar, left only by a
    database that had no Sở when years got their unit. Who may change the calendar is decided by scoping
    on `unit`, so a role held on a Phòng or a school reads its province's calendar but cannot change it.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị quản lý lịch năm học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_years",
    )
    name = models.CharField(_("năm học"), max_length=9)  # "2026-2027"
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    is_current = models.BooleanField(_("năm học hiện tại"), default=False)

    scope = Scope(unit_field="unit")

    class Meta:
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")
        ordering = ["-start_date"]
        # NULLs never collide in a unique constraint, so the default calendar (no unit) has its own pair.
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="dir_year_name_per_unit"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(unit__isnull=True), name="dir_year_name_default"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_current=True), name="dir_one_current_year_per_unit"
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True, unit__isnull=True),
                name="dir_one_current_year_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("học kì"), choices=[(1, "I"), (2, "II")])
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))

    class Meta:
        verbose_name = _("học kì")
        verbose_name_plural = _("học kì")
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="dir_term_unique")]

    def __str__(self) -> str:
        return f"{self.get_number_display()} {self.year}"


class StaffStatus(models.TextChoices):
    WORKING = "working", _("Đang làm việc")
    LEAVE = "leave", _("Tạm nghỉ")
    LEFT = "left", _("Đã nghỉ việc/chuyển đi")
    RETIRED = "retired", _("Nghỉ hưu")


class Staff(models.Model):
    """A staff member (cán bộ, giáo viên, nhân viên); `school` is where their main record is kept."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="staff")
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)
    # rules.text.name_sort_key: lists order people by given name, middle, family in Vietnamese letter order.
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    position = models.CharField(_("vị trí việc làm"), max_length=128, blank=True)
    employment_type = models.CharField(_("loại hợp đồng/biên chế"), max_length=64, blank=True)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=128, blank=True)
    subjects = models.CharField(_("môn dạy"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=StaffStatus.choices, default=StaffStatus.WORKING
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("cán bộ, giáo viên, nhân viên")
        verbose_name_plural = _("cán bộ, giáo viên, nhân viên")
        ordering = ["school_id", "sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    # Position, qualification and employment kind are codes of rules/codelists; shown as names.
    @property
    def position_name(self) -> str:
        return codelists.staff_positions().display(self.position)

    @property
    def qualification_name(self) -> str:
        return codelists.qualifications().display(self.qualification)

    @property
    def employment_type_name(self) -> str:
        return codelists.employment_kinds().display(self.employment_type)


class StaffAssignment(models.Model):
    """A staff member working at a school (also at a second school: dạy liên trường)."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="assignments")
    position = models.CharField(_("vị trí"), max_length=128, blank=True)
    is_main = models.BooleanField(_("nơi làm việc chính"), default=True)

    scope = Scope(unit_field="school")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "staff"], name="dir_staffassign_unique")]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.school}"


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", _("Phòng học")
    COMPUTER_LAB = "computer_lab", _("Phòng tin học")
    LANGUAGE_LAB = "language_lab", _("Phòng ngoại ngữ")
    SCIENCE_LAB = "science_lab", _("Phòng thí nghiệm/bộ môn")
    LIBRARY = "library", _("Thư viện")
    MULTIPURPOSE = "multipurpose", _("Phòng đa năng")
    OFFICE = "office", _("Phòng hành chính")
    MEDICAL = "medical", _("Phòng y tế")
    OTHER = "other", _("Khác")


class Condition(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Xuống cấp")
    POOR = "poor", _("Hư hỏng")


class Room(models.Model):
    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="rooms")
    kind = models.CharField(_("loại phòng"), max_length=32, choices=RoomKind.choices)
    name = models.CharField(_("tên phòng"), max_length=64)
    area_m2 = models.DecimalField(_("diện tích (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    condition = models.CharField(
        _("tình trạng"), max_length=16, choices=Condition.choices, default=Condition.GOOD
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("phòng")
        verbose_name_plural = _("phòng")
        ordering = ["school_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="dir_room_unique")]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="equipment")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="equipment")
    name = models.CharField(_("tên thiết bị"), max_length=255)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    condition = models.CharField(
        _("tình trạng"), max_length=16, choices=Condition.choices, default=Condition.GOOD
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")

    def __str__(self) -> str:
        return f"{self.name} ×{self.quantity}"


class SchoolClass(models.Model):
    """A class (lớp) of a school in a school year, e.g. 6/1."""

    school = models.ForeignKey(
        Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="classes"
    )
    year = models.ForeignKey(
        SchoolYear, verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField(_("khối"))  # 0 for preschool groups, 1–9 otherwise
    name = models.CharField(_("tên lớp"), max_length=32)
    homeroom_teacher = models.ForeignKey(
        Staff,
        verbose_name=_("giáo viên chủ nhiệm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    room = models.ForeignKey(
        Room, verbose_name=_("phòng học"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["school_id", "grade", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "name"], name="dir_class_unique")]

    def __str__(self) -> str:
        return self.name


class StudentStatus(models.TextChoices):
    STUDYING = "studying", _("Đang học")
    TRANSFERRED_IN = "transferred_in", _("Chuyển đến")
    TRANSFERRED_OUT = "transferred_out", _("Chuyển đi")
    DROPPED_OUT = "dropped_out", _("Bỏ học")
    RETURNED = "returned", _("Học lại")
    GRADUATED = "graduated", _("Đã tốt nghiệp/hoàn thành cấp học")


class OtherDocument(models.TextChoices):
    """What a pupil without a personal identification number holds instead (identifiers sheet)."""

    PASSPORT = "passport", _("Hộ chiếu")
    IDENTITY_CERTIFICATE = "id_certificate", _("Giấy chứng nhận căn cước")
    RESIDENCE_CARD = "residence_card", _("Thẻ thường trú/tạm trú")
    OTHER = "other", _("Giấy tờ khác")


class Student(models.Model):
    school = models.ForeignKey(
        Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="students"
    )
    # Optional where the law allows (a foreign pupil, a stateless person): the other document is recorded.
    # Unique when given (a partial constraint, below); the plain index serves the imports' lookups, which a
    # partial index cannot.
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, db_index=True)
    ministry_code = models.CharField(_("mã học sinh (Bộ)"), max_length=10, blank=True, db_index=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    # The name folded to lower case without diacritics, so "nguyen van an" finds "Nguyễn Văn An" on any
    # database with a plain LIKE. On PostgreSQL the trigram and byte-ordered indexes of migrations 0002 and
    # 0003 serve every name query; a plain btree on it was never chosen by a plan and slowed imports
    # (migration 0005).
    search_name = models.CharField(max_length=255, editable=False, default="")
    # rules.text.name_sort_key: class lists, lists and exports order people by given name, middle, family
    # in Vietnamese letter order; ASCII, so no database collation changes the order.
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    # Codes of the lists in rules/codelists (DAN_TOC, QUOC_TICH, TINH); a value older than the lists that
    # no code matched stays as it was and the quality board lists it.
    ethnicity = models.CharField(_("dân tộc"), max_length=64, blank=True, default=codelists.KINH)
    nationality = models.CharField(_("quốc tịch"), max_length=64, blank=True, default=codelists.VIETNAM)
    other_document_kind = models.CharField(
        _("loại giấy tờ khác"), max_length=16, choices=OtherDocument.choices, blank=True
    )
    other_document_number = models.CharField(_("số giấy tờ khác"), max_length=32, blank=True)
    place_of_birth = models.CharField(_("nơi sinh"), max_length=255, blank=True)
    # Two levels since 1 July 2025: the province (code) and the commune or ward (its name).
    birth_province = models.CharField(_("nơi sinh: tỉnh/thành phố"), max_length=8, blank=True)
    birth_commune = models.CharField(_("nơi sinh: xã/phường"), max_length=128, blank=True)
    father_name = models.CharField(_("họ tên cha"), max_length=255, blank=True)
    father_birth_year = models.PositiveSmallIntegerField(_("năm sinh của cha"), null=True, blank=True)
    mother_name = models.CharField(_("họ tên mẹ"), max_length=255, blank=True)
    mother_birth_year = models.PositiveSmallIntegerField(_("năm sinh của mẹ"), null=True, blank=True)
    address = models.CharField(_("địa chỉ thường trú/tạm trú"), max_length=255, blank=True)
    ward = models.ForeignKey(
        Unit, verbose_name=_("phường/xã"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward_name = models.CharField(_("phường/xã (theo tệp)"), max_length=128, blank=True)
    disability = models.CharField(_("khuyết tật"), max_length=128, blank=True)
    policy_groups = models.JSONField(_("diện chính sách"), default=list, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.STUDYING
    )
    current_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("lớp hiện tại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
    )
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

    scope = Scope(unit_field="school", relations={Role.PARENT: "guardians__user", Role.STUDENT: "user"})

    class Meta:
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")
        ordering = ["school_id", "sort_key", "id"]
        indexes = [
            # A school's students in name order (lists, class lists of a school, exports).
            models.Index(fields=["school", "sort_key", "id"], name="dir_student_school_sort"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=~models.Q(personal_id=""),
                name="dir_student_personal_id_unique",
                violation_error_message=_("Số định danh cá nhân này đã thuộc về một học sinh khác."),
            ),
            # The Ministry's code is unique and never reused; a new grade-1 child may not have one yet.
            models.UniqueConstraint(
                fields=["ministry_code"],
                condition=~models.Q(ministry_code=""),
                name="dir_student_ministry_code_unique",
                violation_error_message=_("Mã học sinh (Bộ) này đã thuộc về một học sinh khác."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def ethnicity_name(self) -> str:
        return codelists.ethnic_groups().display(self.ethnicity)

    @property
    def nationality_name(self) -> str:
        return codelists.nationalities().display(self.nationality)

    @property
    def birth_province_name(self) -> str:
        return codelists.provinces().display(self.birth_province)


class StudentStatusEvent(models.Model):
    """The status history of a student (đang học, chuyển đi, bỏ học…), with dates; never rewritten.

    A wrong line is not deleted: an authorised user marks it corrected, with a reason
    (`services.student_status_correct`), and the student goes back to the status before it.
    """

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("trạng thái"), max_length=20, choices=StudentStatus.choices)
    date = models.DateField(_("ngày"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    corrected_at = models.DateTimeField(_("đã sửa lúc"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    correction_reason = models.CharField(_("lí do sửa"), max_length=255, blank=True)

    scope = Scope(
        unit_field="school",
        relations={Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"},
    )

    class Meta:
        ordering = ["student_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.student} {self.status} {self.date:%d/%m/%Y}"


class Enrolment(models.Model):
    """A student in a class for a school year; the history of classes is kept."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    scope = Scope(
        unit_field="school",
        relations={Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"},
    )

    class Meta:
        ordering = ["student_id", "year_id"]
        indexes = [models.Index(fields=["school", "year"], name="dir_enrol_school_year")]

    def __str__(self) -> str:
        return f"{self.student} — {self.school_class}"


class Guardian(models.Model):
    """A parent or legal guardian of a student; `user` links the parent's account when they have one."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    full_name = models.CharField(_("họ và tên"), max_length=255)
    relation = models.CharField(_("quan hệ"), max_length=32, default="Cha/Mẹ")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("liên hệ chính"), default=True)
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
        ordering = ["student_id", "-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.relation})"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Từ chối")
    CANCELLED = "cancelled", _("Đã hủy")
    # Approved with an effective date still ahead: the scheduler moves the student on that day.
    SCHEDULED = "scheduled", _("Đã duyệt, chờ đến ngày chuyển")


class Transfer(models.Model):
    """Moving a student from one school to another: asked by one side, approved by the other."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="transfers")
    from_school = models.ForeignKey(
        Unit, verbose_name=_("trường chuyển đi"), on_delete=models.PROTECT, related_name="+"
    )
    to_school = models.ForeignKey(
        Unit, verbose_name=_("trường chuyển đến"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by_school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("lí do"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)
    effective_date = models.DateField(_("ngày chuyển"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    # Both schools see the transfer: scoping is by either side.
    scope = Scope(unit_field="from_school", also_unit_fields=("to_school",))

    class Meta:
        verbose_name = _("chuyển trường")
        verbose_name_plural = _("chuyển trường")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=models.Q(status="pending"), name="dir_one_pending_transfer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.from_school} → {self.to_school}"


# Dated changes and corrections (services/changes.py, services/corrections.py) live in their own module.
from .models_changes import ChangeKind, ChangeState, PersonalIdChange, ScheduledChange  # noqa: E402, F401
