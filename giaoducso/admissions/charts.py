"""Server-rendered SVG charts: no script, no library from a CDN, nothing inline that the CSP refuses (SVG
presentation attributes are attributes, not style)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
BAR = 26
GAP = 10
LABEL = 150


def bar_chart(bars: Sequence[tuple[Any, int]], *, title: Any) -> SafeString:
    """Horizontal bars with their values, sized to the largest; accessible by its title and a table."""
    top = max([n for _label, n in bars] + [1])
    height = len(bars) * (BAR + GAP) + GAP
    span = WIDTH - LABEL - 70
    rows = []
    for index, (label, n) in enumerate(bars):
        y = GAP + index * (BAR + GAP)
        width = round(span * n / top)
        rows.append((y + BAR * 0.68, str(label), LABEL, y, width, BAR, LABEL + width + 6, y + BAR * 0.68, n))
    body = format_html_join(
        "",
        '<text x="4" y="{}" font-size="13">{}</text><rect x="{}" y="{}" width="{}" height="{}" fill="#2563eb"></rect>'
        '<text x="{}" y="{}" font-size="13">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        title,
        body,
    )
