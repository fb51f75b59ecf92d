"""The shared fixture world: a department, two schools, one user per role, one stranger.

Sở GD&ĐT (province) → Phòng GD&ĐT (district) → school A, school B
department roles sit on the district department; school roles on school A;
`stranger` is a teacher of school B; `nobody` holds no role at all.
"""

from dataclasses import dataclass, field

from giaoducso.core.models import Unit, UnitKind, User
from giaoducso.core.roles import Role
from giaoducso.directory.models import Student

from .factories import GuardianFactory, MembershipFactory, StudentFactory, UnitFactory, UserFactory

DEPARTMENT_ROLES = [Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT, Role.INTEGRATION]
SCHOOL_ROLES = [
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.SCHOOL_OFFICE,
    Role.SCHOOL_IT,
    Role.TEACHER,
    Role.HOMEROOM_TEACHER,
    Role.PARENT,
    Role.STUDENT,
]


@dataclass
class World:
    province: Unit
    department: Unit
    school_a: Unit
    school_b: Unit
    users: dict[str, User] = field(default_factory=dict)
    stranger: User | None = None
    nobody: User | None = None
    child: Student | None = None  # the parent's child, in school A
    other_student_a: Student | None = None  # another child of school A
    student_b: Student | None = None

    def user(self, role: str) -> User:
        return self.users[role]


def build_world() -> World:
    province = UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT TP.HCM")
    department = UnitFactory(
        kind=UnitKind.DISTRICT_DEPARTMENT, code="PGD06", name="Phòng GD&ĐT Quận 6", parent=province
    )
    school_a = UnitFactory(code="TA01", name="Trường THCS Văn Thân", parent=department)
    school_b = UnitFactory(code="TB02", name="Trường THCS Hậu Giang", parent=department)
    world = World(province=province, department=department, school_a=school_a, school_b=school_b)
    for role in DEPARTMENT_ROLES:
        world.users[role] = UserFactory(username=f"w_{role}", full_name=f"Phòng {role}")
        MembershipFactory(user=world.users[role], unit=department, role=role)
    for role in SCHOOL_ROLES:
        world.users[role] = UserFactory(username=f"w_{role}", full_name=f"Trường A {role}")
        MembershipFactory(user=world.users[role], unit=school_a, role=role)
    world.stranger = UserFactory(username="w_stranger", full_name="Giáo viên trường B")
    MembershipFactory(user=world.stranger, unit=school_b, role=Role.TEACHER)
    world.nobody = UserFactory(username="w_nobody", full_name="Không có vai trò")

    world.child = StudentFactory(school=school_a, full_name="Lê Minh Con", user=world.users[Role.STUDENT])
    GuardianFactory(student=world.child, user=world.users[Role.PARENT])
    world.other_student_a = StudentFactory(school=school_a, full_name="Phạm Thu Khác")
    world.student_b = StudentFactory(school=school_b, full_name="Võ Thành Bê")
    return world
