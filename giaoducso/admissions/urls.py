from django.urls import path

from .views import public, staff

app_name = "admissions"

urlpatterns = [
    # Public, no account (rate-limited, CSRF-protected).
    path("", public.public_index, name="public_index"),
    path("campaigns/<int:pk>/apply/", public.apply_start, name="apply_start"),
    path("campaigns/<int:pk>/apply/form/", public.apply_form, name="apply_form"),
    path("receipt/<str:code>/", public.receipt, name="receipt"),
    path("receipt/<str:code>/pdf/", public.receipt_pdf, name="receipt_pdf"),
    path("result/", public.result, name="result"),
    path("result/confirm/", public.result_confirm, name="result_confirm"),
    path("campaigns/<int:pk>/schools/<str:code>/", public.school_list, name="school_list"),
    # The department and the schools.
    path("manage/", staff.campaign_list, name="campaign_list"),
    path("manage/new/", staff.campaign_new, name="campaign_new"),
    path("manage/<int:pk>/", staff.campaign_detail, name="campaign_detail"),
    path("manage/<int:pk>/edit/", staff.campaign_edit, name="campaign_edit"),
    path("manage/<int:pk>/do/<str:action>/", staff.campaign_action, name="campaign_action"),
    path("manage/<int:pk>/inputs.json", staff.campaign_inputs, name="campaign_inputs"),
    path("manage/<int:pk>/stats/", staff.campaign_stats, name="campaign_stats"),
    path("manage/<int:pk>/applications/", staff.application_list, name="application_list"),
    path("manage/<int:pk>/queue/", staff.queue, name="queue"),
    path("manage/<int:pk>/enrol/", staff.enrol, name="enrol"),
    path("applications/<int:pk>/", staff.application_detail, name="application_detail"),
    path("proofs/<int:pk>/", staff.proof_download, name="proof_download"),
]
