"""Scoped reads of the records."""

from .access import ClassAccess, class_access, class_access_or_404, classes_for
from .gradebook import Column, GradeBook, Row, columns_for, grade_book
from .usage import GradebookUsage, gradebook_usage

__all__ = [
    "ClassAccess",
    "Column",
    "GradeBook",
    "GradebookUsage",
    "Row",
    "class_access",
    "class_access_or_404",
    "classes_for",
    "columns_for",
    "grade_book",
    "gradebook_usage",
]
