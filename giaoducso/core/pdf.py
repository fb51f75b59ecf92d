"""Printable documents: a template rendered to PDF by WeasyPrint, with local fonts and no fetching.

The one PDF helper. Fonts come from the machine's fontconfig (Liberation Serif: `apt-get install
fonts-liberation2`, as .ci/run does), never from the network; whatever URL a template names (an image, a
stylesheet, a web font) is refused by the fetcher (WeasyPrint logs it and leaves it out), so a letter can
carry no tracking pixel and rendering never waits on a remote host. Styles go in the template's own <style> (CSP does not apply: the
PDF is not a page the browser runs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

FONT_FAMILY = '"Liberation Serif", "Times New Roman", serif'


class PdfFetchRefused(Exception):
    """A template asked WeasyPrint to load something from a URL."""


def no_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing, whatever the scheme (http, file, data)."""
    from weasyprint.urls import URLFetcher

    class NoFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise PdfFetchRefused(f"PDF templates load nothing from outside: {url[:80]}")

    return NoFetcher()


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The HTML a PDF is made from (what tests read where no PDF text tool is installed)."""
    return render_to_string(template_name, {"pdf_font_family": FONT_FAMILY, **context})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_html(template_name, context)
    return HTML(string=html, url_fetcher=no_fetcher()).write_pdf()  # type: ignore[no-any-return]


def render_pdf_merged(
    template_name: str,
    contexts: list[dict[str, Any]],
    progress: Callable[[int, int], Any] | None = None,
) -> bytes:
    """One PDF of many documents (a class's transcripts): each context rendered on its own pages, in
    order, `progress(done, total)` called after each, then the pages written as one file."""
    from weasyprint import HTML

    documents = []
    for done, context in enumerate(contexts, start=1):
        html = render_to_string(template_name, {"pdf_font_family": FONT_FAMILY, **context})
        documents.append(HTML(string=html, url_fetcher=no_fetcher()).render())
        if progress is not None:
            progress(done, len(contexts))
    if not documents:
        raise ValueError("nothing to render")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()  # type: ignore[no-any-return]
