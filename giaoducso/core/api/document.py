"""The OpenAPI document as a committed file (docs/openapi.json): the API's contract, reviewed in diffs and
checked by the tests (giaoducso/testing/openapi.py validates every API test response against it).

Regenerate it with `python manage.py export_openapi` whenever a route or schema changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.module_loading import import_string

DOCUMENT_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"
# The API is assembled at the project level, beside the apps, not inside core (which imports no app):
# found by name, as the URLconf is.
API_OBJECT = "giaoducso.api.api"
REGENERATE = "python manage.py export_openapi"


def render_document() -> str:
    """The document as served at /api/v1/openapi.json, in a stable text form: sorted keys, indent 2."""
    api = import_string(API_OBJECT)
    # Descriptions are translatable: the committed file is in the source language, whoever runs this.
    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema()
        text = json.dumps(schema, cls=DjangoJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"
