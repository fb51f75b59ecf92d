import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Result day: the admission result lookup is answered before Django's stack (see admissions/lookup.py).
from giaoducso.admissions.lookup import ResultRoute  # noqa: E402

application = ResultRoute(application)
