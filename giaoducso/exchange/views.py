"""Open data pages: public, no sign-in. Thin: look the dataset up, render it as HTML, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rules.disclosure_control import cell_text

from . import open_data


def _text(value: Any) -> str:
    text = cell_text(value) if not isinstance(value, float) else f"{value:g}"
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def dataset_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c["label"] for c in data["columns"]])
    for row in data["rows"]:
        writer.writerow([_text(row.get(c["key"])) for c in data["columns"]])
    # The byte-order mark is how Excel knows the file is UTF-8 (Vietnamese letters), not the local code page.
    return "\ufeff" + buffer.getvalue()


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    unit = open_data.unit_for_code(request.GET.get("unit"))
    datasets = [
        {
            "slug": slug,
            "title": spec.title,
            "description": spec.description,
            "generated_at": dt.datetime.fromisoformat(open_data.dataset_get(slug, unit=unit)["generated_at"]),
        }
        for slug, spec in open_data.DATASETS.items()
    ]
    return render(
        request,
        "exchange/open_data_index.html",
        {
            "datasets": datasets,
            "unit": unit,
            "licence": open_data.LICENCE,
            "note": open_data.NOTE,
            "cache_minutes": open_data.CACHE_SECONDS // 60,
            "query": f"?unit={unit.code}" if unit else "",
        },
    )


@require_safe
def dataset(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    try:
        if fmt not in ("csv", "json"):
            raise Http404
        unit = open_data.unit_for_code(request.GET.get("unit"))
        data = open_data.dataset_get(slug, unit=unit)
    except Http404 as exc:
        if fmt == "json":
            message = str(exc) if exc.args else _("Không tìm thấy bộ dữ liệu.")
            return JsonResponse(
                {"error": {"code": "not_found", "message": message, "fields": {}}}, status=404
            )
        raise
    if fmt == "json":
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(dataset_csv(data), content_type="text/csv; charset=utf-8")
        suffix = f"-{data['unit']['code']}" if data["unit"] else ""
        response["Content-Disposition"] = f'attachment; filename="{slug}{suffix}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={open_data.CACHE_SECONDS}"
    return response
