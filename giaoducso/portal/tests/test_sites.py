"""Sites, pages and news through the review step; the public pages; the editors' rights per unit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.portal import services
from giaoducso.portal.models import Article, ContentStatus, Page, Site
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def _article(world, **fields):
    site, _ = Site.objects.get_or_create(unit=world.school_a)
    return services.content_save(
        actor=world.user(Role.PORTAL_EDITOR),
        obj=Article(site=site),
        can_publish=False,
        title=fields.pop("title", "Khai giảng năm học mới"),
        body=fields.pop("body", "<p>Chào năm học mới</p>"),
        **fields,
    )


def test_an_editor_writes_the_principal_publishes_and_the_public_then_sees_it(portal, client):
    editor = sign_in(Client(), portal.user(Role.PORTAL_EDITOR))
    response = editor.post(
        reverse("portal:content_new", args=["TA01", "tin"]),
        {"title": "Lễ khai giảng", "summary": "Tóm tắt", "body": "<p>Nội dung <script>alert(1)</script></p>"},
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Lễ khai giảng")
    assert (
        article.status == ContentStatus.DRAFT and "script" not in article.body and "alert" not in article.body
    )
    public_url = reverse("site:article", args=["TA01", article.slug])
    assert client.get(public_url).status_code == 404  # a draft is not public

    editor.post(reverse("portal:content_action", args=["TA01", "tin", article.pk, "gui-duyet"]))
    article.refresh_from_db()
    assert article.status == ContentStatus.SUBMITTED
    # The editor cannot publish; the principal is told and can.
    editor.post(reverse("portal:content_action", args=["TA01", "tin", article.pk, "dang"]))
    article.refresh_from_db()
    assert article.status == ContentStatus.SUBMITTED
    principal = portal.user(Role.PRINCIPAL)
    assert principal.notifications.filter(title__contains="Lễ khai giảng").exists()
    sign_in(Client(), principal).post(
        reverse("portal:content_action", args=["TA01", "tin", article.pk, "dang"])
    )
    article.refresh_from_db()
    assert article.status == ContentStatus.PUBLISHED and article.published_by == principal

    page = client.get(public_url)
    assert page.status_code == 200 and "Lễ khai giảng" in page.content.decode()
    assert "Lễ khai giảng" in client.get(reverse("site:school_home", args=["TA01"])).content.decode()
    # The department's home gathers the schools' news.
    assert "Lễ khai giảng" in client.get("/").content.decode()
    assert AuditEntry.objects.filter(object_type="portal.article", object_id=str(article.pk)).count() >= 3


def test_the_principal_returns_with_a_note_and_the_writer_can_edit_again(portal):
    article = _article(portal)
    services.content_submit(actor=portal.user(Role.PORTAL_EDITOR), obj=article)
    with pytest.raises(ValidationError):
        services.content_save(
            actor=portal.user(Role.PORTAL_EDITOR), obj=article, can_publish=False, title="x"
        )
    with pytest.raises(ValidationError):
        services.content_return(actor=portal.user(Role.PRINCIPAL), obj=article, note="  ")
    services.content_return(actor=portal.user(Role.PRINCIPAL), obj=article, note="Thêm ảnh")
    assert article.status == ContentStatus.DRAFT and article.review_note == "Thêm ảnh"
    services.content_save(
        actor=portal.user(Role.PORTAL_EDITOR), obj=article, can_publish=False, title="Sửa lại"
    )


def test_scheduled_publication_appears_only_when_its_moment_comes(portal, client):
    article = _article(portal, title="Thông báo tuyển sinh")
    later = timezone.now() + dt.timedelta(hours=2)
    services.content_publish(actor=portal.user(Role.PRINCIPAL), obj=article, publish_at=later)
    url = reverse("site:article", args=["TA01", article.slug])
    assert client.get(url).status_code == 404
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    from giaoducso.portal import cache

    cache.invalidate()
    assert client.get(url).status_code == 200


def test_a_school_editor_cannot_touch_another_schools_site(portal):
    article = _article(portal)
    other = sign_in(Client(), portal.user("editor_b"))
    for url in (
        reverse("portal:site", args=["TA01"]),
        reverse("portal:content_new", args=["TA01", "tin"]),
        reverse("portal:content_edit", args=["TA01", "tin", article.pk]),
        reverse("portal:images", args=["TA01"]),
        reverse("portal:settings", args=["TA01"]),
        # Its own site's address with the other school's article: still not found.
        reverse("portal:content_edit", args=["TB02", "tin", article.pk]),
    ):
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"title": "Chiếm trang"}).status_code in (404, 405), url
    assert (
        other.post(
            reverse("portal:content_action", args=["TA01", "tin", article.pk, "gui-duyet"])
        ).status_code
        == 404
    )
    article.refresh_from_db()
    assert article.title != "Chiếm trang" and article.status == ContentStatus.DRAFT
    # A department role does not write the school's site either (its own site is the department's).
    officer = sign_in(Client(), portal.user(Role.DEPARTMENT_LEADER))
    assert officer.get(reverse("portal:site", args=["TA01"])).status_code == 404
    assert officer.get(reverse("portal:site", args=["PGD06"])).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PORTAL_EDITOR, 200),
        (Role.PRINCIPAL, 200),
        (Role.VICE_PRINCIPAL, 200),
        (Role.TEACHER, 404),
        (Role.HOMEROOM_TEACHER, 404),
        (Role.PARENT, 404),
        (Role.STUDENT, 404),
        (Role.SCHOOL_IT, 404),
        (Role.DEPARTMENT_OFFICER, 404),
    ],
)
def test_who_reaches_the_editing_screens_of_school_a(portal, role, expected):
    client = sign_in(Client(), portal.user(role))
    assert client.get(reverse("portal:site", args=["TA01"])).status_code == expected
    assert client.get(reverse("portal:content_new", args=["TA01", "trang"])).status_code == expected


def test_only_the_publisher_changes_the_sites_name_and_colours_and_they_must_be_readable(portal, client):
    url = reverse("portal:settings", args=["TA01"])
    assert sign_in(Client(), portal.user(Role.PORTAL_EDITOR)).get(url).status_code == 404
    principal = sign_in(Client(), portal.user(Role.PRINCIPAL))
    data = {"title": "THCS Văn Thân", "primary_color": "#ffff00", "accent_color": "#b3261e"}
    response = principal.post(url, data)
    assert response.status_code == 400 and "tương phản" in response.content.decode()
    data["primary_color"] = "#0b5394"
    assert principal.post(url, data).status_code == 302
    assert client.get(reverse("site:theme", args=["TA01"])).content.decode() == (
        ":root{--site-primary:#0b5394;--site-accent:#b3261e;}"
    )
    assert "THCS Văn Thân" in client.get(reverse("site:school_home", args=["TA01"])).content.decode()


def test_pages_in_the_menu_rss_sitemap_and_search(portal, client):
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    page = services.content_save(
        actor=None, obj=Page(site=site), can_publish=True, title="Giới thiệu trường", body="<p>Lịch sử</p>",
        menu_order=1,
    )  # fmt: skip
    services.content_publish(actor=portal.user(Role.PRINCIPAL), obj=page)
    article = _article(portal, title="Hội khỏe Phù Đổng", summary="Thể thao")
    assert article.slug == "hoi-khoe-phu-dong"
    services.content_publish(actor=portal.user(Role.PRINCIPAL), obj=article)
    home = client.get(reverse("site:school_home", args=["TA01"])).content.decode()
    assert reverse("site:page", args=["TA01", page.slug]) in home
    rss = client.get(reverse("site:rss", args=["TA01"]))
    assert (
        rss["Content-Type"].startswith("application/rss+xml") and "Hội khỏe Phù Đổng" in rss.content.decode()
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert reverse("site:article", args=["TA01", article.slug]) in sitemap and "<urlset" in sitemap
    found = client.get(reverse("site:search", args=["TA01"]), {"q": "phù đổng"}).content.decode()
    assert "Hội khỏe Phù Đổng" in found
    draft = _article(portal, title="Bản nháp bí mật")
    assert (
        "Bản nháp bí mật"
        not in client.get(reverse("site:search", args=["TA01"]), {"q": "bí mật"}).content.decode()
    )
    assert draft.slug not in client.get("/sitemap.xml").content.decode()


def test_the_department_home_lists_every_school_and_a_signed_in_user_finds_the_workspace(portal, client):
    body = client.get("/").content.decode()
    assert (
        reverse("site:school_home", args=["TA01"]) in body
        and reverse("site:school_home", args=["TB02"]) in body
    )
    assert reverse("core:home") in body  # the staff's way in
    signed_in = sign_in(Client(), portal.user(Role.TEACHER))
    page = signed_in.get("/").content.decode()
    assert "Vào trang làm việc" in page
    assert signed_in.get(reverse("core:home")).status_code == 200


def test_a_schools_own_host_name_serves_its_home(portal, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    services.site_update(actor=None, site=site, host="thcsvanthan.edu.vn", title="Trường Văn Thân riêng")
    body = client.get("/", HTTP_HOST="thcsvanthan.edu.vn").content.decode()
    assert "Trường Văn Thân riêng" in body
    assert "Trường Văn Thân riêng" not in client.get("/").content.decode()


def test_the_public_pages_are_cached_and_a_publication_shows_at_once(
    portal, client, django_assert_max_num_queries
):
    url = reverse("site:school_home", args=["TA01"])
    client.get(url)
    with django_assert_max_num_queries(2):  # the session/user, nothing for the page itself
        client.get(url)
    article = _article(portal, title="Tin vừa duyệt")
    services.content_publish(actor=portal.user(Role.PRINCIPAL), obj=article)
    assert "Tin vừa duyệt" in client.get(url).content.decode()


def test_unknown_units_and_kinds_are_not_found(portal, client):
    assert client.get(reverse("site:school_home", args=["KHONGCO"])).status_code == 404
    editor = sign_in(Client(), portal.user(Role.PORTAL_EDITOR))
    assert editor.get("/cong-thong-tin/TA01/noi-dung/la/moi/").status_code == 404
    assert client.get(reverse("site:news", args=["TA01"]), {"chuyen-muc": "khong-co"}).status_code == 404
    assert client.get(reverse("site:news", args=["TA01"]), {"trang": "abc"}).status_code == 200


def test_every_editor_screen_renders_for_the_principal(portal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giaoducso.portal.models import Requirement

    from .conftest import png_bytes

    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    article = _article(portal)
    image = services.image_add(
        actor=None, site=site, upload=SimpleUploadedFile("a.png", png_bytes()), alt_text="Sân"
    )
    principal = sign_in(Client(), portal.user(Role.PRINCIPAL))
    urls = [
        reverse("portal:dashboard"),
        reverse("portal:site", args=["TA01"]),
        reverse("portal:settings", args=["TA01"]),
        reverse("portal:categories", args=["TA01"]),
        reverse("portal:images", args=["TA01"]),
        reverse("portal:image", args=["TA01", image.pk]),
        reverse("portal:image_file", args=["TA01", image.pk]),
        reverse("portal:content_edit", args=["TA01", "tin", article.pk]),
        reverse("portal:content_new", args=["TA01", "su-kien"]),
        reverse("portal:disclosure", args=["TA01"]),
        reverse("portal:disclosure_item", args=["TA01", Requirement.objects.get(code="d8-doi-ngu").pk]),
        reverse("portal:requests", args=["TA01"]),
        reverse("portal:consents", args=["TA01"]),
        reverse("portal:consent", args=["TA01", portal.child.pk]),
    ]
    for url in urls:
        assert principal.get(url).status_code == 200, url
    leader = sign_in(Client(), portal.user(Role.DEPARTMENT_LEADER))
    for url in (reverse("portal:board"), reverse("portal:requirements"), reverse("portal:dashboard")):
        assert leader.get(url).status_code == 200, url
    added = principal.post(
        reverse("portal:categories", args=["TA01"]), {"name": "Tin hoạt động", "slug": "hoat-dong"}
    )
    assert added.status_code == 302
    assert (
        principal.post(
            reverse("portal:categories", args=["TA01"]), {"name": "Lặp", "slug": "hoat-dong"}
        ).status_code
        == 400
    )
