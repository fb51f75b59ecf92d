"""Counts as people read them: 30.000 in Vietnamese (a dot groups thousands), 30,000 in English.

Templates use humanize's `intcomma`, which does the same; messages built in Python use `grouped()`.
"""

from django.utils.formats import number_format


def grouped(value: int) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)
