"""Core's demo registry: an app's part is planned, written and linked without core knowing the app."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from giaoducso.core import demo
from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import AuditEntry, Membership, Unit, UnitKind
from giaoducso.core.roles import Role

pytestmark = pytest.mark.django_db


@dataclass
class NoticeBoardDemo:
    """A stand-in for a later app (say, an e-office) adding its own slice of the district."""

    name: str = "noticeboard"
    written_with: Written | None = None
    linked: list[str] | None = None

    def plan(self, options: DemoOptions) -> list[str]:
        return [f"Thông báo {i}" for i in range(options.seed % 3 + 1)]

    def units(self, plan: list[str]) -> list[UnitPlan]:
        return [UnitPlan("BANTIN", UnitKind.SCHOOL_GROUP, "Bảng tin", "Bảng tin", "PGD775")]

    def accounts(self, plan: list[str]) -> list[AccountPlan]:
        return [
            AccountPlan(
                "bantin",
                Role.DEPARTMENT_OFFICER,
                "BANTIN",
                "Người đăng tin",
                "Biên tập",
                None,
                ("notice", "1"),
            )
        ]

    def write(self, plan: list[str], written: Written) -> None:
        assert "BANTIN" in written.units and "PGD775" in written.units  # units exist, accounts not yet
        assert "bantin" not in written.users
        self.written_with = written

    def link_accounts(self, plan: list[str], written: Written) -> None:
        self.linked = [u for u, user in written.users.items() if user.pk]

    def summary(self, plan: list[str]) -> str:
        return f"{len(plan)} thông báo"


@pytest.fixture
def extra_part():
    part = NoticeBoardDemo()
    before = dict(demo._parts)
    demo.register(part)
    yield part
    demo._parts.clear()
    demo._parts.update(before)


def test_a_registered_part_is_planned_written_and_linked_after_the_directory(extra_part):
    out = io.StringIO()
    call_command("seed_demo", "--schools", "2", "--students", "10", "--seed", "4", stdout=out)
    # The installed apps' parts in INSTALLED_APPS order (lower layers first), then the one added here.
    names = [p.name for p in demo.parts()]
    assert names[:2] == ["directory", "records"] and names[-1] == "noticeboard"
    assert extra_part.written_with is not None
    assert "bantin" in extra_part.linked and "lanhdao" in extra_part.linked
    unit = Unit.objects.get(code="BANTIN")
    assert unit.parent.code == "PGD775"
    assert Membership.objects.filter(user__username="bantin", unit=unit).exists()
    assert AuditEntry.objects.filter(object_type="core.unit", object_id=str(unit.pk)).exists()
    assert "2 thông báo" in out.getvalue() and "bantin" in out.getvalue()


def test_the_plan_is_pure_and_seeded():
    options = DemoOptions(seed=3, schools=2, students=20, structure=demo.DISTRICT, school_year=2026)
    first = [(p.name, p.plan(options)) for p in demo.parts()]
    again = [(p.name, p.plan(options)) for p in demo.parts()]
    assert first == again
    assert not Unit.objects.exists()
