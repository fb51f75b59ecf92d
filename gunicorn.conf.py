"""Gunicorn settings for production: `gunicorn` in the project folder picks this file up by itself.

Every value comes from the environment (documented in .env.example), like the Django settings.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Twice the cores plus one is gunicorn's rule of thumb; capped because each worker holds its own
# database connection and a few hundred MB, and scaling out is done by adding machines.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycling workers now and then bounds the damage of a slow memory leak.
max_requests = 2000
max_requests_jitter = 200

# Only these proxies may tell gunicorn the client's scheme and address (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs go to stdout/stderr for the process manager to collect; the request id joins the access
# line to the application's JSON lines of the same request.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" request_id=%({x-request-id}o)s'
