"""The index's proposals come from what the other apps know, each read through that app's selectors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from giaoducso.core.models import UnitKind
from giaoducso.core.roles import Role
from giaoducso.portal.models import DisclosureKind
from giaoducso.portal.services import disclosure
from giaoducso.reporting import services
from giaoducso.reporting.models import SiteCheck, Website
from giaoducso.reporting.services.checklists import proposals
from giaoducso.testing.admissions import apply, campaign_of
from giaoducso.testing.factories import SchoolFactory, UnitFactory, gradebook_class

pytestmark = pytest.mark.django_db


def _this_year() -> str:
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    return f"{first}-{first + 1}"


def test_a_grade_book_in_use_is_proposed_for_the_index_and_the_it_model(world):
    from giaoducso.records.models import MarkKind
    from giaoducso.records.services import marks_write
    from giaoducso.records.services.marks import Cell

    school_class, subject, pupils = gradebook_class(school=world.school_a, teacher=world.user(Role.TEACHER))
    year = school_class.year.name
    assert "sw_gradebook" not in proposals(world.school_a, year)
    cell = Cell(student_id=pupils[0].pk, term=1, kind=MarkKind.REGULAR, index=1, value="8,5")
    marks_write(actor="test", school_class=school_class, subject=subject, cells=[cell], system=True)
    found = proposals(world.school_a, year)
    assert found["sw_gradebook"]["evidence"].startswith("Sổ điểm điện tử: 1/1 lớp")
    assert found["gradebook"] == found["sw_gradebook"]
    assert "sw_gradebook" not in proposals(world.school_b, year)


def test_an_online_admission_with_applications_is_proposed_in_its_year_and_the_year_before(world):
    campaign = campaign_of(world.department, [world.school_a])  # for 2026-2027
    assert "online_admission" not in proposals(world.school_a, "2026-2027")  # no application yet
    ward = UnitFactory(kind=UnitKind.WARD, code="PX01", name="Phường Một", parent=world.province)
    apply(campaign, [world.school_a], ward=ward)
    for year in ("2025-2026", "2026-2027"):
        evidence = proposals(world.school_a, year)["online_admission"]["evidence"]
        assert campaign.name in evidence and "(1 hồ sơ)" in evidence
    assert "online_admission" not in proposals(world.school_a, "2024-2025")
    assert "online_admission" not in proposals(world.school_b, "2026-2027")


def test_a_ministry_exchange_in_the_year_is_proposed(world):
    from giaoducso.directory.ministry import ministry_export

    year = _this_year()
    assert "data_exchange" not in proposals(world.school_a, year)
    handle, _rows = ministry_export(actor=world.user(Role.PRINCIPAL), school=world.school_a)
    handle.close()
    evidence = proposals(world.school_a, year)["data_exchange"]["evidence"]
    assert "C1-HocSinh" in evidence and timezone.localdate().strftime("%d/%m/%Y") in evidence
    first = int(year[:4])
    assert "data_exchange" not in proposals(world.school_a, f"{first - 1}-{first}")
    assert "data_exchange" not in proposals(world.school_b, year)


def test_a_valid_site_and_a_complete_disclosure_are_proposed_together(world):
    SchoolFactory(unit=world.school_a, level="lower_secondary")
    year = _this_year()
    site = services.website_add(actor=None, school=world.school_a, url="https://thcsa.hcm.edu.vn")
    check = SiteCheck.objects.create(website=site, valid=True, days_to_expiry=80)
    Website.objects.filter(pk=site.pk).update(last_check=check)
    assert "portal" not in proposals(world.school_a, year)  # nothing disclosed yet
    principal = world.user(Role.PRINCIPAL)
    items = disclosure.requirements_for(world.school_a)
    assert items
    for item in items:
        if item.kind == DisclosureKind.TEXT:
            disclosure.disclosure_save(
                actor=principal, school=world.school_a, requirement=item, text="<p>Có</p>"
            )
        elif item.kind == DisclosureKind.DOCUMENT:
            pdf = SimpleUploadedFile("vb.pdf", b"%PDF-1.4\n%x\n%%EOF\n")
            disclosure.disclosure_save(actor=principal, school=world.school_a, requirement=item, upload=pdf)
    disclosure.disclosure_publish(actor=principal, school=world.school_a)
    evidence = proposals(world.school_a, year)["portal"]["evidence"]
    assert "thcsa.hcm.edu.vn" in evidence and f"{len(items)}/{len(items)} mục" in evidence
    SiteCheck.objects.filter(pk=check.pk).update(valid=False)
    assert "portal" not in proposals(world.school_a, year)  # the certificate no longer holds


def test_proposals_read_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        proposals(world.school_a, "2026-2027")
