"""The JSON API's machinery (auth, errors, pagination, docs) and the core routers.

The NinjaAPI itself is assembled in `giaoducso/api.py`, the one place that may import every app.
"""
