from django.contrib import admin
from django.urls import include, path

from giaoducso.api import api
from giaoducso.core.views.health import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; answer with ours instead of a 404.
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("directory/", include("giaoducso.directory.urls")),
    path("open-data/", include("giaoducso.exchange.urls")),
    path("records/", include("giaoducso.records.urls")),
    path("office/", include("giaoducso.office.urls")),
    path("admissions/", include("giaoducso.admissions.urls")),
    path("reporting/", include("giaoducso.reporting.urls")),
    path("", include("giaoducso.core.urls")),
    # portal: the editors' screens, then the public site (`/`, /truong/<code>/ …) last of all, so that its
    # patterns never shadow another app's address.
    path("cong-thong-tin/", include("giaoducso.portal.urls")),
    path("", include("giaoducso.portal.urls_public")),
]

handler400 = "giaoducso.core.views.errors.bad_request"
handler403 = "giaoducso.core.views.errors.permission_denied"
handler404 = "giaoducso.core.views.errors.page_not_found"
handler500 = "giaoducso.core.views.errors.server_error"
