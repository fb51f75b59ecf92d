"""The API docs page: Swagger UI from ninja's bundled static files, never from a CDN.

ninja's own template would do, but ours pins what the CSP needs: no inline script (the settings travel
as a JSON data block read by ninja's swagger-ui-init.js) and no validator badge fetched from the internet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(DocsBase):
    template = "core/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            # Swagger UI would otherwise load a badge from validator.swagger.io.
            "validatorUrl": None,
        }
        # Auth is set per route, so ninja's own check (on the API-wide auth) would say no CSRF is needed;
        # the session authenticator of every route does need it for unsafe methods.
        context = {"swagger_settings": settings, "api": api, "add_csrf": True}
        return render(request, self.template, context)
