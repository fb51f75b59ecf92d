"""Every write to the records: one path each for the screens, the API, imports and the demo."""

from .corrections import correction_decide, correction_request
from .locks import active_lock, ensure_open, term_lock, term_reopen
from .marks import Cell, mark_set, marks_write, regular_count
from .teaching import teaching_assign

__all__ = [
    "Cell",
    "active_lock",
    "correction_decide",
    "correction_request",
    "ensure_open",
    "mark_set",
    "marks_write",
    "regular_count",
    "teaching_assign",
    "term_lock",
    "term_reopen",
]
