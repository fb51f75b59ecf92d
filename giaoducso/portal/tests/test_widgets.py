import pytest
from django.test import Client
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.core.widgets import widgets_for
from giaoducso.portal import services
from giaoducso.portal.models import Article, Procedure, Site
from giaoducso.portal.services.procedures import request_submit
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_the_principals_card_counts_what_waits_for_review_and_the_open_requests(portal):
    principal = portal.user(Role.PRINCIPAL)
    assert "portal.card" not in [w.key for w in widgets_for(principal)]  # nothing waits: no card
    site, _ = Site.objects.get_or_create(unit=portal.school_a)
    article = services.content_save(actor=None, obj=Article(site=site), can_publish=True, title="Chờ duyệt")
    services.content_submit(actor=portal.user(Role.PORTAL_EDITOR), obj=article)
    request_submit(
        actor=None,
        unit=portal.school_a,
        procedure=Procedure.objects.get(code="xin-nghi-hoc"),
        applicant_name="Lê Văn Cha",
        applicant_phone="0901234567",
        student_name="Lê Minh Con",
        details="Con bị sốt",
    )
    [card] = [w for w in widgets_for(principal) if w.key == "portal.card"]
    assert card.context["rows"][0]["submitted"] == 1 and card.context["rows"][0]["open"] == 1
    body = sign_in(Client(), principal).get(reverse("core:home")).content.decode()
    assert reverse("portal:requests", args=["TA01"]) in body
    # The teacher has neither right: no card.
    assert "portal.card" not in [w.key for w in widgets_for(portal.user(Role.TEACHER))]
