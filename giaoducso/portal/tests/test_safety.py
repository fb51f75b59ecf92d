"""What editors and citizens send is made safe: HTML cleaned, files checked by content, photos of children
published only with consent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from giaoducso.core.roles import Role
from giaoducso.portal import services
from giaoducso.portal.models import Article, Image, Site
from giaoducso.portal.sanitize import clean_html
from giaoducso.testing.auth import sign_in

from .conftest import jpeg_with_gps, png_bytes

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="x">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)" style="color:red">chữ</p>',
    "<script>alert(1)</script>",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<img src="https://tracker.example/pixel.png" alt="x">',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_editor_html_loses_every_way_to_run_code(payload):
    cleaned = clean_html(payload).lower()
    for bad in ("<script", "<svg", "<style", "<iframe", "<object", "<embed", "onload", "onerror", "onclick",
                "javascript:", "data:", "style=", "tracker.example", "<math", "alert(1)"):  # fmt: skip
        assert bad not in cleaned, (payload, cleaned)


def test_ordinary_html_and_own_images_survive():
    html = '<h2>Tiêu đề</h2><p><strong>Đậm</strong> <a href="https://moet.gov.vn/">Bộ</a></p><img src="/truong/TA01/anh/3/" alt="Sân">'
    cleaned = clean_html(html)
    assert "<h2>Tiêu đề</h2>" in cleaned and 'href="https://moet.gov.vn/"' in cleaned
    assert 'src="/truong/TA01/anh/3/"' in cleaned


def test_a_script_in_an_article_is_cleaned_on_the_screen_never_a_500(portal, client):
    editor = sign_in(Client(), portal.user(Role.PORTAL_EDITOR))
    body = "".join(PAYLOADS)
    response = editor.post(
        reverse("portal:content_new", args=["TA01", "tin"]), {"title": "Thử", "body": body}
    )
    assert response.status_code == 302
    saved = Article.objects.get(title="Thử").body.lower()
    assert "<script" not in saved and "javascript:" not in saved and "onload" not in saved


def test_images_are_resized_and_lose_their_metadata_and_a_disguised_program_is_refused(portal, settings):
    settings.PORTAL_IMAGE_MAX_SIDE = 32
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    image = services.image_add(
        actor=None, site=site, upload=SimpleUploadedFile("anh.jpg", jpeg_with_gps()), alt_text="Sân trường"
    )
    assert (image.width, image.height) == (32, 24)
    with image.file.open("rb") as handle:
        kept = PILImage.open(handle)
        assert not kept.getexif()  # no GPS, no maker: nothing but the picture
    with pytest.raises(ValidationError) as refused:
        services.image_add(
            actor=None,
            site=site,
            upload=SimpleUploadedFile("anh.png", b"MZ\x90\x00" + b"\x00" * 100),
            alt_text="x",
        )
    assert refused.value.code == "wrong_type"
    settings.PORTAL_MAX_IMAGE_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        services.image_add(
            actor=None, site=site, upload=SimpleUploadedFile("anh.png", png_bytes()), alt_text="x"
        )
    assert refused.value.code == "too_large"
    # Pixels that decode to a bomb are refused too, not a 500.
    settings.PORTAL_MAX_IMAGE_BYTES = 8 << 20
    bomb = png_bytes((1, 1)).replace(
        b"\x00\x00\x00\x01\x00\x00\x00\x01", b"\x00\x01\x00\x00\x00\x01\x00\x00", 1
    )
    with pytest.raises(ValidationError):
        services.image_add(actor=None, site=site, upload=SimpleUploadedFile("bom.png", bomb), alt_text="x")


def _pictured(portal, student):
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    image = services.image_add(
        actor=None, site=site, upload=SimpleUploadedFile("lop.png", png_bytes()), alt_text="Lớp 6/1",
        students=[student],
    )  # fmt: skip
    article = services.content_save(
        actor=None, obj=Article(site=site), can_publish=True, title="Ngày hội", image=image,
        body=f'<p><img src="/truong/TA01/anh/{image.pk}/" alt="Lớp"></p>',
    )  # fmt: skip
    return image, article


def test_a_childs_photo_waits_for_both_consents_from_age_seven(portal, client):
    child = portal.child  # born 2014: past seven
    image, article = _pictured(portal, child)
    principal = portal.user(Role.PRINCIPAL)
    with pytest.raises(ValidationError) as refused:
        services.content_publish(actor=principal, obj=article)
    assert "Lê Minh Con" in refused.value.messages[0] and "cha mẹ" in refused.value.messages[0]
    today = dt.date.today()
    services.photo_consent_set(
        actor=principal, student=child, parent_consent_on=today, parent_name="Lê Văn Cha"
    )
    with pytest.raises(ValidationError) as refused:
        services.content_publish(actor=principal, obj=article)
    assert "chính học sinh" in refused.value.messages[0]
    services.photo_consent_set(
        actor=principal,
        student=child,
        parent_consent_on=today,
        parent_name="Lê Văn Cha",
        child_consent_on=today,
    )
    services.content_publish(actor=principal, obj=article)
    url = reverse("site:image", args=["TA01", image.pk])
    assert client.get(url).status_code == 200
    # Withdrawn: the photo stops at once, wherever it was published.
    services.photo_consent_set(
        actor=principal, student=child, parent_consent_on=today, parent_name="Lê Văn Cha", child_consent_on=today,
        withdrawn_on=today,
    )  # fmt: skip
    assert client.get(url).status_code == 404


def test_the_editor_is_told_why_on_the_screen(portal):
    image, article = _pictured(portal, portal.child)
    principal = sign_in(Client(), portal.user(Role.PRINCIPAL))
    response = principal.post(
        reverse("portal:content_action", args=["TA01", "tin", article.pk, "dang"]), follow=True
    )
    assert "chưa có đồng ý của cha mẹ" in response.content.decode()
    article.refresh_from_db()
    assert article.status != "published"
    detail = principal.get(reverse("portal:image", args=["TA01", image.pk])).content.decode()
    assert "chưa có đồng ý của cha mẹ" in detail


def test_a_draft_image_is_not_public_and_consent_screens_are_the_schools(portal, client):
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    image = services.image_add(
        actor=None, site=site, upload=SimpleUploadedFile("a.png", png_bytes()), alt_text="Sân"
    )
    assert client.get(reverse("site:image", args=["TA01", image.pk])).status_code == 404
    office = sign_in(Client(), portal.user(Role.SCHOOL_OFFICE))
    url = reverse("portal:consent", args=["TA01", portal.child.pk])
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert office.post(url, {"parent_consent_on": future, "parent_name": "Cha"}).status_code == 400
    assert (
        office.post(
            url, {"parent_consent_on": dt.date.today().strftime("%d/%m/%Y"), "parent_name": "Cha"}
        ).status_code
        == 302
    )
    assert sign_in(Client(), portal.user(Role.TEACHER)).get(url).status_code == 404
    assert (
        sign_in(Client(), portal.stranger)
        .get(reverse("portal:consent", args=["TA01", portal.child.pk]))
        .status_code
        == 404
    )
    assert office.get(reverse("portal:consent", args=["TA01", portal.student_b.pk])).status_code == 404
    assert Image.objects.count() == 1
