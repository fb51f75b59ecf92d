from django.urls import path

from .views import (
    contact,
    family,
    gradebook,
    homeroom,
    locks,
    qualities,
    summary,
    teaching,
    transcripts,
    transfer,
    yearend,
)

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
    # Teaching assignments, attendance, conduct, term locks and corrections, XLSX (rec2).
    path("schools/<str:code>/teaching/", teaching.teaching_overview, name="teaching_overview"),
    path("classes/<int:pk>/teaching/", teaching.teaching_class, name="teaching_class"),
    path("classes/<int:pk>/attendance/", homeroom.attendance, name="attendance"),
    path("classes/<int:pk>/attendance/month/", homeroom.attendance_month, name="attendance_month"),
    path("classes/<int:pk>/conduct/", homeroom.conduct, name="conduct"),
    path("schools/<str:code>/locks/", locks.locks, name="locks"),
    path("locks/<int:pk>/reopen/", locks.lock_reopen, name="lock_reopen"),
    path("schools/<str:code>/corrections/", locks.corrections, name="corrections"),
    path("corrections/<int:pk>/", locks.correction_detail, name="correction_detail"),
    path(
        "classes/<int:pk>/subjects/<int:subject_pk>/correction/",
        locks.correction_new,
        name="correction_new",
    ),
    path("classes/<int:pk>/summary/export/", transfer.summary_export, name="summary_export"),
    path(
        "classes/<int:pk>/subjects/<int:subject_pk>/export/",
        transfer.gradebook_export,
        name="gradebook_export",
    ),
    path(
        "classes/<int:pk>/subjects/<int:subject_pk>/import/",
        transfer.gradebook_import,
        name="gradebook_import",
    ),
    path("imports/<uuid:pk>/", transfer.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/status/", transfer.import_status, name="import_status"),
    path("imports/<uuid:pk>/commit/", transfer.import_commit, name="import_commit"),
    # The contact book: the family's pages and the homeroom teacher's side (issue 10).
    path("family/", family.family_home, name="family_home"),
    path("family/<int:student_pk>/", family.family_child, name="family_child"),
    path("family/<int:student_pk>/attendance/", family.family_attendance, name="family_attendance"),
    path("family/<int:student_pk>/messages/", family.family_messages, name="family_messages"),
    path("family/<int:student_pk>/announcements/", family.family_announcements, name="family_announcements"),
    path("attachments/<int:attachment_pk>/", family.attachment_download, name="attachment_download"),
    path("classes/<int:pk>/contact/", contact.contact_inbox, name="contact_inbox"),
    path("classes/<int:pk>/contact/<int:student_pk>/", contact.contact_thread, name="contact_thread"),
    path("leave/<int:leave_pk>/decide/", contact.leave_decide, name="leave_decide"),
    # The end of the year: re-tests entered in summer, then the previewed rollover (issue 10).
    path("classes/<int:pk>/retests/", yearend.retests, name="retests"),
    path("schools/<str:code>/year-end/", yearend.year_end, name="year_end"),
    path("schools/<str:code>/year-end/export/", yearend.year_end_export, name="year_end_export"),
]
