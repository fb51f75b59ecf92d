"""The e-office's JSON API (/api/v1/office/): drafts, approval, issue (number and notation given by the
system), the PDF, full-text search, the incoming queue and its registration, assignment, edXML envelopes.

Thin routes: parse → one selector or service → schema. Out of reach is 404; reached but not allowed is
403; a refusal of the rules is 422 with the service's code (`no_recipients`, `not_approved`,
`already_registered`, `duplicate`, …) and its Vietnamese message.
"""

from ninja import Router

from . import documents, incoming

router = Router()
for area in (documents, incoming):
    router.add_router("", area.router)
