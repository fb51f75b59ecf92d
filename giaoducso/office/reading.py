"""The text of an uploaded DOCX or PDF: a draft's body when it comes as a file, and the header of a received
document read from its PDF to fill the registration form (rules.documents.guess_header does the reading
of the page; this module only gets the text out of the file).

What cannot be read (a scan without a text layer, a damaged file) gives no text: the person types it.
"""

from __future__ import annotations

import re
from typing import IO

from django.utils.html import escape

from giaoducso.core.uploads import detect_kind
from rules.documents import HeaderGuess, guess_header

MAX_PAGES = 50
MAX_CHARS = 200_000
# A PDF's text comes in printed lines: a line ending a sentence (or a list item's ";") ends a paragraph.
_PARAGRAPH_END = re.compile(r"[.:;!?]$")


def _pdf_lines(handle: IO[bytes], pages: int) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    lines: list[str] = []
    for page in reader.pages[:pages]:
        lines += [" ".join(line.split()) for line in (page.extract_text() or "").splitlines()]
    return [line for line in lines if line]


def _paragraphs_of_lines(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if _PARAGRAPH_END.search(line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _docx_paragraphs(handle: IO[bytes]) -> list[str]:
    from docx import Document

    return [" ".join(p.text.split()) for p in Document(handle).paragraphs if p.text.strip()]


def file_text(handle: IO[bytes]) -> str:
    """The text of a DOCX or PDF (by its content, not its name), paragraphs apart by a blank line; ""
    for any other file or one that cannot be read. The handle is rewound."""
    kind = detect_kind(handle)
    try:
        if kind == "pdf":
            paragraphs = _paragraphs_of_lines(_pdf_lines(handle, MAX_PAGES))
        elif kind == "docx":
            paragraphs = _docx_paragraphs(handle)
        else:
            return ""
    # A damaged or hostile file raises whatever its parser meets; it only means there is no text to offer.
    except Exception:
        return ""
    finally:
        handle.seek(0)
    return "\n\n".join(paragraphs)[:MAX_CHARS]


def file_body(handle: IO[bytes]) -> str:
    """A draft's body from a DOCX or PDF: its paragraphs as <p> (the text escaped: it is text, not
    markup); "" when there is no text to read."""
    text = file_text(handle)
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def header_of(handle: IO[bytes]) -> HeaderGuess:
    """Number and notation, date, issuer, type and summary guessed from a PDF's first page."""
    if detect_kind(handle) != "pdf":
        return HeaderGuess()
    try:
        lines = _pdf_lines(handle, 1)
    except Exception:  # as in file_text: no text, no guess
        return HeaderGuess()
    finally:
        handle.seek(0)
    return guess_header("\n".join(lines))
