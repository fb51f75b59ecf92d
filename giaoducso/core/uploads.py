"""Files that people upload: checked by what they are, kept with their fingerprint, served safely.

Every app that accepts a file (a proof for an admission correction, an official document's attachment, a
portal's image) goes through this module, so the same rules hold everywhere:

- the type is read from the file's first bytes, never trusted from its name or the browser's header; a name
  whose extension says another type than the content is refused too (an executable renamed ``.pdf``);
- an empty file or one over the caller's limit is refused before it is stored;
- what is kept carries its SHA-256 and size (:class:`StoredFile`), so a copy can be recognised and a
  tampered file detected;
- a file goes back to a browser only through :func:`file_response`: as a download unless asked inline, with
  ``nosniff`` and a sandboxing Content-Security-Policy so that a stored file can never run as a page.

Refusals are :class:`UploadRefused`, a ``ValidationError`` whose message is Vietnamese (for the forms) and
whose ``code`` is machine-readable (for the API).
"""

from __future__ import annotations

import hashlib
import mimetypes
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

#: kind -> (content type, extensions a name of that kind may carry)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "gif": ("image/gif", (".gif",)),
    "webp": ("image/webp", (".webp",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "xml": ("application/xml", (".xml",)),
    "txt": ("text/plain", (".txt", ".csv")),
}

IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
DOCUMENT_KINDS = frozenset({"pdf", "docx", "odt", "xlsx"})

# How much of the file the sniffing reads: enough for every signature above and for a text check.
_HEAD = 8192
# The member that tells an office document's kind; a ZIP without one is not a document we accept.
_ZIP_MARKERS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
}


class UploadRefused(ValidationError):
    """A file refused before anything is stored; ``code`` says why for machines."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _zip_kind(handle: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
            for member, kind in _ZIP_MARKERS.items():
                if member in names:
                    return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the head is still text.
        if error.start < len(head) - 4:
            return False
    return True


def detect_kind(handle: IO[bytes]) -> str | None:
    """The kind of the file by its content, or None; the handle is rewound afterwards."""
    handle.seek(0)
    head = handle.read(_HEAD)
    handle.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = "gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(handle)
        handle.seek(0)
    elif _looks_like_text(head):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        kind = "xml" if stripped.startswith(b"<?xml") else "txt"
    return kind


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _refuse(message: Any, code: str, **params: Any) -> UploadRefused:
    return UploadRefused(message, code=code, params=params or None)


def _labels(kinds: Collection[str]) -> str:
    return ", ".join(sorted(ext.lstrip(".").upper() for kind in kinds for ext in KINDS[kind][1][:1]))


def check_upload(upload: UploadedFile, *, kinds: Collection[str], max_bytes: int) -> CheckedUpload:
    """Check an uploaded file against the kinds a form accepts; raises :class:`UploadRefused`."""
    unknown = set(kinds) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("Tệp tải lên trống."), "empty")
    if size > max_bytes:
        raise _refuse(
            _("Tệp quá lớn: tối đa %(limit)s MB."),
            "too_large",
            limit=f"{max_bytes / (1024 * 1024):.1f}".rstrip("0").rstrip("."),
        )
    handle: IO[bytes] = upload.file  # type: ignore[assignment]
    kind = detect_kind(handle)
    if kind not in kinds:
        raise _refuse(
            _("Nội dung tệp không phải loại được nhận (chỉ nhận %(kinds)s)."),
            "wrong_type",
            kinds=_labels(kinds),
        )
    name = get_valid_filename(PurePath(upload.name or "tep").name) or "tep"
    extension = PurePath(name).suffix.lower()
    allowed_extensions = KINDS[kind][1]
    if extension and extension not in allowed_extensions:
        raise _refuse(
            _("Tên tệp có đuôi %(extension)s nhưng nội dung là %(kind)s."),
            "name_mismatch",
            extension=extension,
            kind=kind.upper(),
        )
    if not extension:
        name += allowed_extensions[0]
    return CheckedUpload(
        name=name[-200:],
        kind=kind,
        content_type=KINDS[kind][0],
        size=size,
        sha256=sha256_of(handle),
    )


def upload_path(instance: models.Model, filename: str) -> str:
    """Stored under the app and the fingerprint's first letters, never under the name people chose."""
    sha = getattr(instance, "sha256", "") or "unknown"
    return f"{instance._meta.app_label}/{sha[:2]}/{sha}{PurePath(filename).suffix.lower()}"


class StoredFile(models.Model):
    """Fields every kept upload carries; an app's attachment model inherits them.

    Build one with :meth:`from_checked`, then set the app's own fields and save, e.g.::

        checked = check_upload(request.FILES["proof"], kinds={"pdf", "png", "jpeg"}, max_bytes=5 << 20)
        proof = Proof.from_checked(checked, request.FILES["proof"], application=application)
        proof.save()
    """

    file = models.FileField(upload_to=upload_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def from_checked(cls, checked: CheckedUpload, upload: UploadedFile, **fields: Any) -> Any:
        stored = cls(
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            **fields,
        )
        upload.seek(0)
        stored.file.save(checked.name, upload, save=False)
        return stored


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """Send a kept file with headers that stop a browser from running or guessing it."""
    content_type = stored.content_type or mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=stored.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
