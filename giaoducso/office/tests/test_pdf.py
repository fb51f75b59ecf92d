"""The PDF of a demo document carries the parts of Decree 30 (Appendix I) in their places, read back from
the PDF with positions (pypdf): national title and motto top right, the superior and issuing bodies top
left over the number and notation, place and date under the motto, the type and summary centred below,
then the body, "Nơi nhận" bottom left and the signer bottom right; Liberation Serif embedded."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from giaoducso.core.roles import Role
from giaoducso.testing.world import World

from ..models import OfficeSettings
from ..pdf import document_pdf
from .helpers import issued, setup_office

pytestmark = pytest.mark.django_db


@dataclass
class Run:
    text: str
    x: float  # from the left edge, points
    top: float  # from the top edge, points


def runs_of(content: bytes) -> tuple[list[Run], float, float, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run(text.strip(), x, height - y))

    page.extract_text(visitor_text=visit)
    return found, width, height, reader


def find(runs: list[Run], part: str) -> Run:
    for run in runs:
        if part in run.text:
            return run
    raise AssertionError(f"{part!r} not in the PDF: {[r.text for r in runs]}")


def test_the_decree_30_parts_are_in_their_places(world: World) -> None:
    setup_office(world)
    OfficeSettings.objects.filter(unit=world.department).update(place="Quận 6")
    world.user(Role.DEPARTMENT_LEADER).full_name = "Nguyễn Văn An"
    world.user(Role.DEPARTMENT_LEADER).save()
    document = issued(world)
    runs, width, _height, reader = runs_of(document_pdf(document))
    middle = width / 2

    nation = find(runs, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = find(runs, "Độc lập - Tự do - Hạnh phúc")
    superior = find(runs, "UBND QUẬN 6")
    issuer = find(runs, "PHÒNG GD&ĐT QUẬN 6")
    number = find(runs, "Số: 01/KH-PGDĐT")
    place = find(runs, "Quận 6, ngày")
    kind = find(runs, "KẾ HOẠCH")
    summary = find(runs, "Kế hoạch thực hiện nhiệm vụ công nghệ thông tin")
    body = find(runs, "Căn cứ Kế hoạch của Sở.")
    to = find(runs, "Nơi nhận:")
    recipient = find(runs, "- Trường THCS Văn Thân;")
    archive = find(runs, "- Lưu: VT.")
    signer = find(runs, "Nguyễn Văn An")

    # The header: two columns on the same band at the top of the page.
    assert nation.x > middle - 60 and motto.x > middle - 20 and place.x > middle - 60
    assert superior.x < middle - 60 and issuer.x < middle - 60 and number.x < middle - 60
    assert abs(nation.top - superior.top) < 3 and nation.top < 120
    assert nation.top < motto.top < place.top
    assert superior.top < issuer.top < number.top
    # Then the type and summary, centred, under the header; the body; the footer.
    assert number.top < kind.top < summary.top < body.top < to.top
    assert abs(kind.x + len(kind.text) * 4.5 - middle) < 60
    assert to.x < middle - 60 and to.top < recipient.top < archive.top
    assert signer.x > middle and signer.top > to.top
    assert place.text.endswith(f"năm {document.issued_at.year}")

    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert "Liberation-Serif" in fonts and "Liberation-Serif-Bold" in fonts
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = font.get_object().get("/DescendantFonts")
        descriptor = (descendant[0].get_object() if descendant else font.get_object()).get("/FontDescriptor")
        assert descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )


def test_a_letter_has_its_subject_under_the_number(world: World) -> None:
    setup_office(world)
    letter = issued(world, doc_type="CV", drafting_abbr="TCCB", summary="Về việc báo cáo số liệu")
    runs, width, _height, _reader = runs_of(document_pdf(letter))
    number = find(runs, "Số: 01/PGDĐT-TCCB")
    subject = find(runs, "V/v Về việc báo cáo số liệu")
    greeting = find(runs, "Kính gửi:")
    assert subject.x < width / 2 and number.top < subject.top < greeting.top
