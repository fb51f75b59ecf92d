"""The public portal's addresses (namespace "site"). Included last in config/urls.py, so that they never
shadow another app's."""

from django.urls import path

from .views import disclosure, procedures, public

app_name = "site"

urlpatterns = [
    path("", public.home, name="home"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("tra-cuu/", procedures.lookup, name="lookup"),
    path("tra-cuu/<str:tracking_code>/van-ban/", procedures.lookup_document, name="lookup_document"),
    path("truong/", public.school_list, name="schools"),
    path("truong/<str:code>/", public.school_home, name="school_home"),
    path("truong/<str:code>/giao-dien.css", public.theme_css, name="theme"),
    path("truong/<str:code>/rss.xml", public.rss, name="rss"),
    path("truong/<str:code>/tin-tuc/", public.news_list, name="news"),
    path("truong/<str:code>/tin-tuc/<slug:slug>/", public.article_detail, name="article"),
    path("truong/<str:code>/trang/<slug:slug>/", public.page_detail, name="page"),
    path("truong/<str:code>/su-kien/", public.event_list, name="events"),
    path("truong/<str:code>/lien-he/", public.contact, name="contact"),
    path("truong/<str:code>/tim-kiem/", public.search, name="search"),
    path("truong/<str:code>/anh/<int:pk>/", public.image, name="image"),
    path("truong/<str:code>/tep/<int:pk>/", public.attachment, name="attachment"),
    path("truong/<str:code>/cong-khai/", disclosure.public_disclosure, name="disclosure"),
    path(
        "truong/<str:code>/cong-khai/van-ban/<int:pk>/",
        disclosure.public_document,
        name="disclosure_document",
    ),
    path(
        "truong/<str:code>/cong-khai/<slug:requirement>/",
        disclosure.public_history,
        name="disclosure_history",
    ),
    path("truong/<str:code>/thu-tuc/", procedures.procedure_list, name="procedures"),
    path("truong/<str:code>/thu-tuc/<slug:procedure>/", procedures.procedure_detail, name="procedure"),
]
