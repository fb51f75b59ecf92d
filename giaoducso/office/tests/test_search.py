"""Full-text search, on whichever database runs the tests (PostgreSQL: the side table kept by triggers;
SQLite: FTS5): every page, across the recent window and the index behind it, is what a plain reading of
the user's documents gives; an edited draft is found by its new words only; a school keeps to its own."""

from __future__ import annotations

from typing import Any

import pytest

from giaoducso.core.roles import Role
from giaoducso.testing.factories import UserFactory
from giaoducso.testing.world import World

from .. import selectors, services
from ..models import DocStatus, Document
from .helpers import draft, issued, setup_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    return world


def _plainly(user: Any, text: str, *, issued_only: bool = False) -> list[int]:
    """The matches read the slow way: every document the user reaches, its folded words tested in Python."""
    words = selectors.query_words(text)
    found = []
    for document in selectors.documents_for(user).order_by("-pk"):
        if issued_only and document.status in (DocStatus.DRAFT, DocStatus.REVIEW, DocStatus.APPROVED):
            continue
        tokens = set(selectors._WORD.findall(document.search_text))
        if set(words[:-1]) <= tokens and any(t.startswith(words[-1]) for t in tokens):
            found.append(document.pk)
    return found


def _pages(user: Any, text: str, limit: int, **options: Any) -> list[int]:
    seen: list[int] = []
    before = None
    while True:
        page = [d.pk for d in selectors.search(user, text, before_id=before, limit=limit, **options)]
        seen += page
        if len(page) < limit:
            return seen
        before = page[-1]


def test_every_page_is_what_a_plain_reading_gives(office: World, monkeypatch: Any) -> None:
    # Windows of three ids: pages are filled partly from the window and partly from the index behind it.
    monkeypatch.setattr(selectors, "PG_WINDOW", 3)
    monkeypatch.setattr(selectors, "RECENT_WINDOW", 3)
    school_a, school_b = office.school_a.code, office.school_b.code
    for i in range(4):
        issued(office, summary=f"Kế hoạch tuyển sinh lớp {i + 6}", recipients=[school_a])
        issued(office, summary=f"Kế hoạch kiểm tra nội bộ đợt {i}", recipients=[school_b])
        draft(office, summary=f"Kế hoạch bồi dưỡng giáo viên đợt {i}")
    issued(office, summary="Kế hoạch chung", recipients=[school_a, school_b])
    issued(office, summary="Thông báo lịch họp", recipients=[school_a])
    services.document_create(
        actor=office.user(Role.PRINCIPAL),
        issuer=office.school_a,
        recipients=[office.department.code],
        doc_type="BC",
        summary="Báo cáo kế hoạch của trường",
        body="",
    )
    admin = UserFactory(username="office_admin", is_superuser=True)
    users = [office.user(Role.DEPARTMENT_LEADER), office.user(Role.PRINCIPAL), office.stranger, admin]
    for user in users:
        for text in ("KẾ HOẠCH", "ke hoach dot", "kiem tra noi bo", "khong co"):
            for limit in (2, 50):
                assert _pages(user, text, limit) == _plainly(user, text), (user, text, limit)
        assert _pages(user, "ke hoach", 2, issued_only=True) == _plainly(user, "ke hoach", issued_only=True)
    # The school reaches what was sent to it and what it issued, never the other school's.
    principal = office.user(Role.PRINCIPAL)
    reached = set(_pages(principal, "ke hoach", 50))
    sent_to_b_only = Document.objects.filter(summary__startswith="Kế hoạch kiểm tra")
    assert reached and not reached & {d.pk for d in sent_to_b_only}
    assert Document.objects.get(issuer=office.school_a).pk in reached


def test_an_edited_draft_is_found_by_its_new_words_only(office: World) -> None:
    document = draft(office, summary="Lễ khai giảng năm học mới")
    leader = office.user(Role.DEPARTMENT_LEADER)
    assert [d.pk for d in selectors.search(leader, "khai giang")] == [document.pk]
    services.document_update(
        actor=office.user(Role.DEPARTMENT_OFFICER), document=document, summary="Hội thao mùa xuân"
    )
    assert selectors.search(leader, "khai giang") == []
    assert [d.pk for d in selectors.search(leader, "hoi thao mua")] == [document.pk]
    # Issued, it is among the issued documents as well.
    assert selectors.search(leader, "hoi thao", issued_only=True) == []
    services.document_approve(actor=leader, document=document, signer_title="Trưởng phòng")
    services.document_issue(actor=office.user(Role.DEPARTMENT_OFFICER), document=document)
    assert [d.pk for d in selectors.search(leader, "hoi thao", issued_only=True)] == [document.pk]


def test_a_moved_unit_s_documents_keep_their_scope(office: World) -> None:
    """The 2025 reform moves units in the tree: an issuer's stored path follows, so the leader above the
    new place sees the documents and search and the detail page still agree on who may."""
    from giaoducso.core import services as core_services
    from giaoducso.core.models import UnitKind
    from giaoducso.testing.factories import MembershipFactory, UnitFactory

    document = issued(office)
    ward = UnitFactory(kind=UnitKind.WARD, code="P-MOI", name="Phường Mới", parent=office.province)
    core_services.unit_move(actor=None, unit=office.department, new_parent=ward)
    office.department.refresh_from_db()
    document.refresh_from_db()
    assert document.issuer_path == office.department.path and document.issuer_path.startswith(ward.path)
    leader = UserFactory(username="ward_leader")
    MembershipFactory(user=leader, unit=ward, role=Role.DEPARTMENT_LEADER)
    assert document.pk in set(selectors.documents_for(leader).values_list("pk", flat=True))
    assert document.pk in [d.pk for d in selectors.search(leader, "ke hoach cong nghe", limit=10)]
