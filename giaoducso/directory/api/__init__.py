"""The directory's JSON API, one module per area: schools, school years, classes, students and guardians, staff, facilities.

Thin routes: parse → one selector or service → schema. Reads are scoped like the screens (404 outside
the caller's reach); writes go through the same services as the screens, so they are validated and
audited the same way. Tokens: `directory:read` / `directory:write`; student reads keep `students:read`.
"""

from ninja import Router

from . import classes, facilities, homeroom, quality, schools, staff, student_changes, students

router = Router()
# Registration order is the order of the OpenAPI document.
for area in (schools, classes, homeroom, students, student_changes, staff, facilities, quality):
    router.add_router("", area.router)
