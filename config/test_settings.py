"""Settings for the test suite: the normal module, with fast hashing and in-process jobs."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-0123456789abcdef")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# The runner empties tables between transactional tests; test_audit installs the triggers to prove them.
AUDIT_DB_TRIGGERS = False
# The live server of browser tests serves static files straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
