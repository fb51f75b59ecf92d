from django.urls import path

from .views import gradebook, qualities, summary, transcripts

app_name = "records"

urlpatterns = [
    path("", gradebook.class_list, name="class_list"),
    path("classes/<int:pk>/", gradebook.class_detail, name="class_detail"),
    path("classes/<int:pk>/summary/", summary.summary, name="summary"),
    path("classes/<int:pk>/subjects/<int:subject_pk>/", gradebook.gradebook, name="gradebook"),
    path("classes/<int:pk>/subjects/<int:subject_pk>/cell/", gradebook.cell_save, name="cell_save"),
    path("classes/<int:pk>/qualities/", qualities.qualities, name="qualities"),
    path("classes/<int:pk>/transcripts/", transcripts.transcripts_start, name="transcripts_start"),
    path(
        "classes/<int:pk>/students/<int:student_pk>/transcript.pdf",
        transcripts.transcript_pdf,
        name="transcript_pdf",
    ),
]
