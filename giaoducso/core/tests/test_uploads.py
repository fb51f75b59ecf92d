"""The one upload check: type by content, size bounds, names that lie, safe serving."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from giaoducso.core.uploads import UploadRefused, check_upload, detect_kind, file_response, upload_path

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def _zip(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpeg"),
        (b"GIF89a" + b"\x00" * 8, "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (_zip("word/document.xml"), "docx"),
        (_zip("xl/workbook.xml"), "xlsx"),
        (_zip("other.txt"), None),
        (b'<?xml version="1.0"?><a/>', "xml"),
        ("Kế hoạch".encode(), "txt"),
        (ELF, None),
    ],
)
def test_kind_is_read_from_content(content, kind):
    assert detect_kind(io.BytesIO(content)) == kind


def test_a_good_file_passes_with_its_fingerprint():
    checked = check_upload(SimpleUploadedFile("minh chứng.pdf", PDF), kinds={"pdf", "png"}, max_bytes=1024)
    assert checked.kind == "pdf"
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.name.endswith(".pdf")


def test_a_name_without_extension_gets_the_kinds():
    checked = check_upload(SimpleUploadedFile("scan", PNG), kinds={"png"}, max_bytes=1024)
    assert checked.name == "scan.png"


@pytest.mark.parametrize(
    ("name", "content", "max_bytes", "code"),
    [
        ("a.pdf", b"", 1024, "empty"),
        ("a.pdf", PDF, 10, "too_large"),
        ("virus.pdf", ELF, 1024, "wrong_type"),
        ("a.png", PDF, 1024, "name_mismatch"),
        ("a.docx", _zip("word/document.xml"), 1024, "wrong_type"),
    ],
)
def test_refusals_say_why(name, content, max_bytes, code):
    with pytest.raises(UploadRefused) as caught:
        check_upload(SimpleUploadedFile(name, content), kinds={"pdf", "png"}, max_bytes=max_bytes)
    assert caught.value.code == code
    assert caught.value.messages[0]  # a sentence for the form


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError, match="unknown"):
        check_upload(SimpleUploadedFile("a.pdf", PDF), kinds={"exe"}, max_bytes=1024)


def test_served_files_cannot_run_as_a_page(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path

    class Fake:
        name = "<script>.pdf"
        content_type = "application/pdf"

        class file:
            @staticmethod
            def open(mode):
                return io.BytesIO(PDF)

    response = file_response(Fake())  # type: ignore[arg-type]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")


def test_stored_under_the_fingerprint_not_the_chosen_name():
    class Instance:
        sha256 = "ab" + "0" * 62

        class _meta:
            app_label = "office"

    assert upload_path(Instance(), "../../etc/passwd.PDF") == f"office/ab/{Instance.sha256}.pdf"  # type: ignore[arg-type]
