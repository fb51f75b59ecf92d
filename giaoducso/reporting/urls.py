from django.urls import path

from .views import assets, campaigns, checklists, cycles, forms, submissions

app_name = "reporting"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("forms/", forms.form_list, name="form_list"),
    path("forms/<int:pk>/", forms.form_detail, name="form_detail"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/export.xlsx", campaigns.campaign_export, name="campaign_export"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/files/<int:file_pk>/", submissions.submission_file, name="submission_file"),
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/summary.pdf", cycles.cycle_pdf, name="cycle_pdf"),
    path("cycles/<int:pk>/summary.docx", cycles.cycle_docx_view, name="cycle_docx"),
    path("index/", checklists.checklist_board, name="checklist_board"),
    path("index/checklists/<int:pk>/", checklists.checklist_edit, name="checklist_edit"),
    path("index/<str:code>/", checklists.assessment_detail, name="assessment_detail"),
    path("assets/", assets.asset_index, name="asset_index"),
    path("assets/export.xlsx", assets.asset_export, name="asset_export"),
    path("assets/<str:code>/", assets.asset_school, name="asset_school"),
]
