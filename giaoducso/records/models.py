"""Electronic school records: the curriculum, who teaches what, marks, conduct, attendance and term locks.

One `Mark` row is one cell of a grade book: a student's score (or level) in a subject, for a term, of one
kind of assessment (regular, mid-term, end-of-term) and its index among the regular ones. Averages and
results are never stored: they are derived by `rules.assessment_secondary` / `assessment_primary` from the
marks, so a corrected mark can never leave a stale average behind.

Every tenant model names its school (`school`), which is what scoping and the audit log key on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giaoducso.core.models import Unit
from giaoducso.core.roles import Role
from giaoducso.core.scoping import Scope
from giaoducso.directory.models import SchoolClass, SchoolYear, Staff, Student

STUDENT_RELATIONS = {Role.PARENT: "student__guardians__user", Role.STUDENT: "student__user"}


class SubjectKind(models.TextChoices):
    SCORED = "scored", _("Đánh giá bằng nhận xét kết hợp điểm số")
    COMMENT = "comment", _("Đánh giá bằng nhận xét")
    LEVEL = "level", _("Đánh giá theo mức (tiểu học)")


class Subject(models.Model):
    """A subject or educational activity of the national programme; reference data seeded from
    `rules.curriculum`, the same for every school."""

    code = models.SlugField(_("mã môn"), max_length=40, unique=True)
    name = models.CharField(_("môn học"), max_length=120)
    kind = models.CharField(_("hình thức đánh giá"), max_length=10, choices=SubjectKind.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("môn học")
        verbose_name_plural = _("môn học")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class GradeSubject(models.Model):
    """A subject taught in a grade, with its periods per school year (which set the number of regular
    scores of a secondary subject)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="grades")
    grade = models.PositiveSmallIntegerField(_("khối"))
    periods_per_year = models.PositiveSmallIntegerField(_("số tiết/năm"))
    tested = models.BooleanField(_("có bài kiểm tra định kì"), default=False)

    class Meta:
        verbose_name = _("môn học của khối")
        verbose_name_plural = _("môn học của khối")
        ordering = ["grade", "subject__order"]
        constraints = [models.UniqueConstraint(fields=["grade", "subject"], name="rec_grade_subject_unique")]

    def __str__(self) -> str:
        return f"{self.subject} — {self.grade}"


class TeachingAssignment(models.Model):
    """Who teaches a subject in a class (phân công giảng dạy); decided by the school."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.CASCADE, related_name="teaching_assignments"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        Staff, verbose_name=_("giáo viên"), on_delete=models.PROTECT, related_name="teaching_assignments"
    )

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("phân công giảng dạy")
        verbose_name_plural = _("phân công giảng dạy")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject"], name="rec_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.school_class}: {self.teacher}"


class Term(models.IntegerChoices):
    ONE = 1, _("Học kì I")
    TWO = 2, _("Học kì II")


class MarkKind(models.TextChoices):
    """The kind of assessment. Primary: the mid-term and end-of-term points of each term (the end of term II
    is the end of the year); their level goes in `level`, a periodic test's score in `value`."""

    REGULAR = "tx", _("Đánh giá thường xuyên")
    MIDTERM = "gk", _("Đánh giá giữa kì")
    FINAL = "ck", _("Đánh giá cuối kì")


class Mark(models.Model):
    """One cell of a grade book."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="marks"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="marks"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"), choices=Term.choices)
    kind = models.CharField(_("loại đánh giá"), max_length=2, choices=MarkKind.choices)
    index = models.PositiveSmallIntegerField(_("lần"), default=1)
    # A score (secondary 0–10 with one decimal; a primary test 0–10, whole).
    value = models.DecimalField(_("điểm"), max_digits=3, decimal_places=1, null=True, blank=True)
    # A level: secondary comment-only subjects 1 Đạt / 0 Chưa đạt; primary 2 T / 1 H / 0 C.
    level = models.PositiveSmallIntegerField(_("mức"), null=True, blank=True)
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit_field="school", relations=STUDENT_RELATIONS)

    class Meta:
        verbose_name = _("điểm, mức đánh giá")
        verbose_name_plural = _("điểm, mức đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "student", "term", "kind", "index"], name="rec_mark_unique"
            ),
        ]
        indexes = [models.Index(fields=["school_class", "subject", "term"], name="rec_mark_book")]

    def __str__(self) -> str:
        return f"{self.student} {self.subject} {self.term}/{self.kind}{self.index}"


class Conduct(models.Model):
    """A term's conduct (rèn luyện) of a secondary student, set by the homeroom teacher. The year's is
    derived (`rules.assessment_secondary.conduct_year`), except after summer training: `term` 0 holds the
    re-assessed year conduct that replaces the derived one."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"))
    level = models.PositiveSmallIntegerField(_("mức"))
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", relations=STUDENT_RELATIONS)

    class Meta:
        verbose_name = _("kết quả rèn luyện")
        verbose_name_plural = _("kết quả rèn luyện")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "student", "term"], name="rec_conduct_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.student} rèn luyện HK{self.term}"


class QualityMark(models.Model):
    """A primary pupil's quality (phẩm chất) or competence (năng lực) at an assessment point."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"), choices=Term.choices)
    kind = models.CharField(_("thời điểm"), max_length=2, choices=MarkKind.choices)
    item = models.CharField(_("phẩm chất, năng lực"), max_length=40)
    level = models.PositiveSmallIntegerField(_("mức"))
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", relations=STUDENT_RELATIONS)

    class Meta:
        verbose_name = _("đánh giá phẩm chất, năng lực")
        verbose_name_plural = _("đánh giá phẩm chất, năng lực")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "student", "term", "kind", "item"], name="rec_quality_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.item} HK{self.term}/{self.kind}"


class Session(models.TextChoices):
    MORNING = "am", _("Buổi sáng")
    AFTERNOON = "pm", _("Buổi chiều")


class Absence(models.Model):
    """A session a student missed. Only absences are rows: a full class present writes nothing."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="absences"
    )
    date = models.DateField(_("ngày"))
    session = models.CharField(_("buổi"), max_length=2, choices=Session.choices)
    excused = models.BooleanField(_("có phép"), default=False)
    reason = models.CharField(_("lí do"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit_field="school", relations=STUDENT_RELATIONS)

    class Meta:
        verbose_name = _("nghỉ học")
        verbose_name_plural = _("nghỉ học")
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["student", "date", "session"], name="rec_absence_unique"),
        ]
        indexes = [models.Index(fields=["school_class", "date"], name="rec_absence_class_date")]

    def __str__(self) -> str:
        return f"{self.student} nghỉ {self.date:%d/%m/%Y} {self.session}"


class TermLock(models.Model):
    """A term closed by the principal, for one class or (no class) the whole school. A reopened lock keeps
    its row (`reopened_at`), so the history of closing and reopening is kept beside the audit log."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(
        SchoolYear, verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"), choices=Term.choices)
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    locked_at = models.DateTimeField(_("khoá lúc"), auto_now_add=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.CharField(_("lí do mở lại"), max_length=500, blank=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("khoá sổ học kì")
        verbose_name_plural = _("khoá sổ học kì")
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        where = self.school_class.name if self.school_class_id else str(self.school)
        return f"Khoá sổ HK{self.term} {where}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt và sửa")
    REJECTED = "rejected", _("Từ chối")


class CorrectionRequest(models.Model):
    """A change asked for after a term was locked: what to change, why; the principal decides. Approving
    applies the change through the same service as an ordinary save, in the lock's name."""

    school = models.ForeignKey(Unit, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("học sinh"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("học kì"), choices=Term.choices)
    # What to change: {"target": "mark", "subject": id, "kind": "tx", "index": 2, "value": "8.5"} and the like.
    change = models.JSONField(_("nội dung sửa"))
    reason = models.CharField(_("lí do"), max_length=500)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("đề nghị lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)

    scope = Scope(unit_field="school")

    class Meta:
        verbose_name = _("đề nghị sửa điểm")
        verbose_name_plural = _("đề nghị sửa điểm")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Đề nghị sửa #{self.pk} — {self.student}"


# The contact book and the end of the year (issue 10) live in their own module.
from .models_family import (  # noqa: E402, F401
    Announcement,
    ContactAttachment,
    LeaveRequest,
    LeaveSessions,
    LeaveStatus,
    Message,
    ResultsPublication,
    Retest,
    YearEndRun,
)
