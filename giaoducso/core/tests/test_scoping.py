import pytest

from giaoducso.core import services
from giaoducso.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY  # noqa: F401  (import check)
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm, Role
from giaoducso.core.scoping import get_scoped_or_404, has_perm, scoped
from giaoducso.directory.models import Student
from giaoducso.testing.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_students(user):
    return set(scoped(Student.objects.all(), user, Perm.VIEW_STUDENT).values_list("full_name", flat=True))


def test_department_officer_sees_both_schools(world):
    names = visible_students(world.user(Role.DEPARTMENT_OFFICER))
    assert names == {"Lê Minh Con", "Phạm Thu Khác", "Võ Thành Bê"}


@pytest.mark.parametrize(
    "role",
    [
        Role.PRINCIPAL,
        Role.VICE_PRINCIPAL,
        Role.SCHOOL_OFFICE,
        Role.SCHOOL_IT,
        Role.TEACHER,
        Role.HOMEROOM_TEACHER,
    ],
)
def test_school_staff_see_only_their_school(world, role):
    assert visible_students(world.user(role)) == {"Lê Minh Con", "Phạm Thu Khác"}


def test_parent_sees_only_own_child(world):
    assert visible_students(world.user(Role.PARENT)) == {"Lê Minh Con"}


def test_student_sees_only_self(world):
    assert visible_students(world.user(Role.STUDENT)) == {"Lê Minh Con"}


def test_stranger_and_nobody(world):
    assert visible_students(world.stranger) == {"Võ Thành Bê"}
    assert visible_students(world.nobody) == set()


def test_get_scoped_or_404_hides_other_school(world):
    from django.http import Http404

    teacher = world.user(Role.TEACHER)
    assert get_scoped_or_404(Student.objects.all(), teacher, Perm.VIEW_STUDENT, pk=world.child.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(Student.objects.all(), teacher, Perm.VIEW_STUDENT, pk=world.student_b.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(Student.objects.all(), teacher, Perm.VIEW_STUDENT, pk="not-a-number")


def test_permission_not_granted_by_role_gives_nothing(world):
    # A teacher may view students but not change them.
    assert not scoped(Student.objects.all(), world.user(Role.TEACHER), Perm.CHANGE_STUDENT).exists()
    assert not has_perm(world.user(Role.TEACHER), Perm.CHANGE_STUDENT)
    assert has_perm(world.user(Role.PRINCIPAL), Perm.CHANGE_STUDENT, world.school_a)
    assert not has_perm(world.user(Role.PRINCIPAL), Perm.CHANGE_STUDENT, world.school_b)


def test_active_membership_narrows_scope(world):
    user = world.user(Role.TEACHER)
    second = MembershipFactory(user=user, unit=world.school_b, role=Role.TEACHER)
    assert visible_students(user) == {"Lê Minh Con", "Phạm Thu Khác", "Võ Thành Bê"}
    user.active_membership = second
    assert visible_students(user) == {"Võ Thành Bê"}


def test_unit_subtree_and_move_to_ward_structure(world):
    """After the 2025 reform a school moves under a ward; its whole subtree follows in one update."""
    group = UnitFactory(kind=UnitKind.SCHOOL_GROUP, code="TA01-TOAN", name="Tổ Toán", parent=world.school_a)
    ward = UnitFactory(kind=UnitKind.WARD, code="P-BINHTIEN", name="Phường Bình Tiên", parent=world.province)
    services.unit_move(actor=None, unit=world.school_a, new_parent=ward)
    group.refresh_from_db()
    world.school_a.refresh_from_db()
    assert group.path.startswith(world.school_a.path) and world.school_a.path.startswith(ward.path)
    assert group.depth == 3
    subtree = set(Unit.objects.filter(path__startswith=ward.path).values_list("code", flat=True))
    assert subtree == {"P-BINHTIEN", "TA01", "TA01-TOAN"}
    # The district department no longer covers school A; a ward officer now does.
    officer = UserFactory(username="ward_officer")
    MembershipFactory(user=officer, unit=ward, role=Role.DEPARTMENT_OFFICER)
    assert visible_students(officer) == {"Lê Minh Con", "Phạm Thu Khác"}
    assert visible_students(world.user(Role.DEPARTMENT_OFFICER)) == {"Võ Thành Bê"}


def test_unit_cannot_move_under_itself(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.unit_move(actor=None, unit=world.department, new_parent=world.school_a)
