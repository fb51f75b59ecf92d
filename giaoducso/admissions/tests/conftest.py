from __future__ import annotations

import pytest

from giaoducso.core.models import UnitKind
from giaoducso.testing.factories import UnitFactory
from giaoducso.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def ward(world: World):  # type: ignore[no-untyped-def]
    return UnitFactory(kind=UnitKind.WARD, code="PX01", name="Phường Một", parent=world.province)
