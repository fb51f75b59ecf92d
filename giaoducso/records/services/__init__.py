"""Every write to the records: one path each for the screens, the API, imports and the demo."""

from .corrections import correction_decide, correction_request
from .homeroom import AbsenceEntry, attendance_write, conduct_set, term_of
from .locks import active_lock, ensure_open, term_lock, term_reopen
from .marks import Cell, mark_set, marks_check, marks_write, regular_count, tested_at
from .teaching import teaching_assign

__all__ = [
    "AbsenceEntry",
    "Cell",
    "active_lock",
    "attendance_write",
    "conduct_set",
    "correction_decide",
    "correction_request",
    "ensure_open",
    "mark_set",
    "marks_check",
    "marks_write",
    "regular_count",
    "teaching_assign",
    "term_lock",
    "term_of",
    "term_reopen",
    "tested_at",
]
