"""The one PDF helper: Liberation Serif from the machine, nothing fetched from anywhere."""

import logging

import pytest
from weasyprint import HTML

from giaoducso.core import pdf


def test_the_fetcher_refuses_every_url():
    for url in ("https://example.com/font.woff2", "file:///etc/passwd", "data:text/css,p{}"):
        with pytest.raises(pdf.PdfFetchRefused):
            pdf.no_fetcher()(url)


def test_a_remote_image_is_left_out_not_fetched(caplog):
    html = (
        '<p style="font-family: Liberation Serif">Thư gửi cha mẹ</p><img src="http://127.0.0.1:9/pixel.png">'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = HTML(string=html, url_fetcher=pdf.no_fetcher()).write_pdf()
    assert content.startswith(b"%PDF")
    assert any("127.0.0.1:9" in record.getMessage() for record in caplog.records)
