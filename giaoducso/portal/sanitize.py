"""What editors give the public site, made safe: HTML through nh3 (no script, no style, no frame, no event
handler, links only to http(s), mail and phone) and images through Pillow (decoded, resized, re-encoded
without their metadata, so that a photo never carries where it was taken)."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from giaoducso.core.uploads import UploadRefused

TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Their content goes too, not only the tag: a script's or a style sheet's text is no text for readers.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"}


def clean_html(html: str) -> str:
    """Editor's HTML as it may be shown. Images may come from this site only (a relative address)."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # An <img> pointing elsewhere would let a third party see every reader; ours are relative.
    return _FOREIGN_IMG.sub("", cleaned)


_FOREIGN_IMG = re.compile(r'<img\b[^>]*\bsrc="(?!/)[^"]*"[^>]*>', re.IGNORECASE)
IMAGE_REF = re.compile(r"/anh/(\d+)/")


def referenced_image_ids(html: str) -> set[int]:
    """The site's images an HTML body shows (their address ends in /anh/<id>/)."""
    return {int(n) for n in IMAGE_REF.findall(html or "")}


@dataclass(frozen=True)
class ProcessedImage:
    upload: UploadedFile
    width: int
    height: int


_FORMATS = {
    "jpeg": ("JPEG", ".jpg"),
    "png": ("PNG", ".png"),
    "gif": ("PNG", ".png"),
    "webp": ("WEBP", ".webp"),
}


def process_image(upload: UploadedFile, kind: str) -> ProcessedImage:
    """Decodes the picture (refusing what does not decode or is a decompression bomb), turns it upright,
    scales it to fit PORTAL_IMAGE_MAX_SIDE and writes it anew, which drops EXIF and every other metadata."""
    max_side = int(getattr(settings, "PORTAL_IMAGE_MAX_SIDE", 1600))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(upload.file)  # type: ignore[arg-type]
            picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning) as error:  # fmt: skip
        raise UploadRefused(
            _("Không đọc được ảnh: tệp hỏng hoặc quá lớn về số điểm ảnh."), code="bad_image"
        ) from error
    picture = ImageOps.exif_transpose(picture)
    picture.thumbnail((max_side, max_side))
    pil_format, extension = _FORMATS.get(kind, ("PNG", ".png"))
    if pil_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if pil_format == "PNG" and picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA")
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if pil_format in ("JPEG", "WEBP") else {"optimize": True}
    picture.save(out, pil_format, **options)
    stem = (upload.name or "anh").rsplit(".", 1)[0]
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[pil_format]
    return ProcessedImage(
        upload=SimpleUploadedFile(stem + extension, out.getvalue(), content_type=content_type),
        width=picture.width,
        height=picture.height,
    )
