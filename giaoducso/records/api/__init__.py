"""The records' JSON API: the classes a user reaches, a class and subject's grade book (read; cells written
for a session or a token with `records:write`), a class's results and its attendance.

Thin routes: parse → one selector or service → schema. Who reaches what is `selectors.access.class_access`
(out of reach: 404; reached but not allowed to write: 403); every write goes through the records services,
so it is checked by the circular's rules, refused in a locked term and audited like a save on the screen.
Refusals carry the service's machine-readable code (`term_locked`, `out_of_range`, `not_in_class`, …).
"""

from ninja import Router

from . import family, gradebook, homeroom, yearend

router = Router()
# Registration order is the order of the OpenAPI document.
for area in (gradebook, homeroom, family, yearend):
    router.add_router("", area.router)
