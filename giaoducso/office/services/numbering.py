"""The number and notation of an outgoing document, given by the system (Decree 30, Art. 15.3).

The counter row of the series is locked with SELECT … FOR UPDATE inside the transaction that issues the
document, so the number is taken and the document saved together: two issues at the same instant queue on
the row and get consecutive numbers; a failed issue rolls its number back with it (a number is never
given twice, and none is skipped by a refusal). On SQLite the IMMEDIATE transactions of the settings
serialise writers the same way.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from giaoducso.core.models import Unit

from ..models import NumberCounter


def take_number(*, unit: Unit, year: int, series: str) -> int:
    """The next number of the series; must run inside the transaction that saves the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the issuing transaction")
    counter = NumberCounter.objects.select_for_update().filter(unit=unit, year=year, series=series).first()
    if counter is None:
        # The year's first document of the series: create the row, or find the one a concurrent
        # transaction just created (the unique constraint decides which of them made it).
        try:
            with transaction.atomic():
                NumberCounter.objects.create(unit=unit, year=year, series=series, last=0)
        except IntegrityError:
            pass
        counter = NumberCounter.objects.select_for_update().get(unit=unit, year=year, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
