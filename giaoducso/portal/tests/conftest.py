import io

import pytest
from PIL import Image as PILImage

from giaoducso.core.roles import Role
from giaoducso.testing.factories import MembershipFactory, SchoolFactory, UserFactory
from giaoducso.testing.world import World


@pytest.fixture
def portal(world: World) -> World:
    """The shared world with school records for both schools and a portal editor at school A."""
    SchoolFactory(unit=world.school_a, level="lower_secondary", address="1 Văn Thân")
    SchoolFactory(unit=world.school_b, level="lower_secondary")
    editor = UserFactory(username="w_portal_editor", full_name="Biên Tập Viên A")
    MembershipFactory(user=editor, unit=world.school_a, role=Role.PORTAL_EDITOR)
    world.users[Role.PORTAL_EDITOR] = editor
    editor_b = UserFactory(username="w_portal_editor_b", full_name="Biên Tập Viên B")
    MembershipFactory(user=editor_b, unit=world.school_b, role=Role.PORTAL_EDITOR)
    world.users["editor_b"] = editor_b
    return world


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG carrying EXIF (a GPS block among it): what a phone's photo looks like."""
    picture = PILImage.new("RGB", (64, 48), (10, 120, 200))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (10.0, 45.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()
