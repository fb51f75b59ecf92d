from django.urls import path

from .views import documents, incoming, registers

app_name = "office"

urlpatterns = [
    path("", incoming.home, name="home"),
    path("outgoing/", documents.outgoing, name="outgoing"),
    path("documents/new/", documents.document_new, name="document_new"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/pdf/", documents.document_pdf, name="document_pdf"),
    path("documents/<int:pk>/<slug:action>/", documents.document_action, name="document_action"),
    path("files/<int:pk>/", documents.attachment, name="attachment"),
    path("registers/", registers.register_index, name="registers"),
    path("registers/outgoing/", registers.register_outgoing, name="register_outgoing"),
    path("registers/incoming/", registers.register_incoming, name="register_incoming"),
    path("registers/follow-up/", registers.follow_up, name="follow_up"),
    path("incoming/", incoming.incoming_list, name="incoming_list"),
    path("incoming/new/", incoming.incoming_new, name="incoming_new"),
    path("incoming/<int:pk>/", incoming.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/<slug:action>/", incoming.incoming_action, name="incoming_action"),
]
