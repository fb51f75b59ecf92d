"""Reporting in the JSON API: campaigns, the school's submissions (the deadline lock holds here as on the
screens: one service decides it), and the IT asset inventory with the website checks."""

from .routes import router

__all__ = ["router"]
