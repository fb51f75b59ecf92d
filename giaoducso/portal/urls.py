"""The editors' screens (namespace "portal"), under /cong-thong-tin/."""

from django.urls import path

from .views import consent, disclosure, edit, procedures

app_name = "portal"

urlpatterns = [
    path("", edit.dashboard, name="dashboard"),
    path("bang-cong-khai/", disclosure.board, name="board"),
    path("muc-cong-khai/", disclosure.requirements, name="requirements"),
    path("muc-cong-khai/<int:pk>/", disclosure.requirement_edit, name="requirement_edit"),
    path("<str:code>/", edit.site_overview, name="site"),
    path("<str:code>/cai-dat/", edit.site_settings, name="settings"),
    path("<str:code>/chuyen-muc/", edit.categories, name="categories"),
    path("<str:code>/anh/", edit.images, name="images"),
    path("<str:code>/anh/<int:pk>/", edit.image_detail, name="image"),
    path("<str:code>/anh/<int:pk>/tep/", edit.image_file, name="image_file"),
    path("<str:code>/noi-dung/<str:kind>/moi/", edit.content_edit, name="content_new"),
    path("<str:code>/noi-dung/<str:kind>/<int:pk>/", edit.content_edit, name="content_edit"),
    path("<str:code>/noi-dung/<str:kind>/<int:pk>/tep/", edit.attachment_add, name="attachment_add"),
    path("<str:code>/noi-dung/<str:kind>/<int:pk>/<str:action>/", edit.content_action, name="content_action"),
    path("<str:code>/cong-khai/", disclosure.disclosure_edit, name="disclosure"),
    path("<str:code>/cong-khai/cong-bo/", disclosure.disclosure_publish, name="disclosure_publish"),
    path("<str:code>/cong-khai/<int:pk>/", disclosure.disclosure_item, name="disclosure_item"),
    path("<str:code>/ho-so/", procedures.request_list, name="requests"),
    path("<str:code>/ho-so/<int:pk>/", procedures.request_detail, name="request"),
    path("<str:code>/ho-so/<int:pk>/tep/<int:file_pk>/", procedures.request_file, name="request_file"),
    path("<str:code>/dong-y/", consent.consent_list, name="consents"),
    path("<str:code>/dong-y/<int:student_pk>/", consent.consent_edit, name="consent"),
]
