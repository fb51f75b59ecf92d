"""The shapes of the demo plan: plain frozen dataclasses, so that a plan can be compared, hashed and
printed without a database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field

from giaoducso.core.demo import AccountPlan, UnitPlan

from .data import BIRTHPLACE_HCM, DIRECTORY_LEVEL


@dataclass(frozen=True)
class SchoolPlan:
    code: str
    level: str  # MN, TH or CS
    public: bool
    old_ward: str
    students: int
    ward_code: str = ""
    ward_name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    principal_name: str = ""
    it_leader_name: str = ""
    has_it_staff_position: bool = False

    @property
    def directory_level(self) -> str:
        return DIRECTORY_LEVEL[self.level]

    @property
    def ownership(self) -> str:
        return "public" if self.public else "private"


@dataclass(frozen=True)
class TermPlan:
    number: int
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class YearPlan:
    name: str
    start_date: dt.date
    end_date: dt.date
    is_current: bool
    terms: tuple[TermPlan, ...]


@dataclass(frozen=True)
class ClassPlan:
    school_code: str
    grade: int
    name: str
    homeroom_personal_id: str
    room_name: str


@dataclass(frozen=True)
class StaffPlan:
    school_code: str
    personal_id: str
    full_name: str
    sex: str
    date_of_birth: dt.date
    position: str
    employment_type: str
    qualification: str
    subjects: str
    phone: str
    # A second school where the staff member also teaches, if any.
    second_school_code: str | None = None


@dataclass(frozen=True)
class RoomPlan:
    school_code: str
    kind: str
    name: str
    area_m2: str  # one decimal, as text so the plan digests the same on every platform
    condition: str


@dataclass(frozen=True)
class EquipmentPlan:
    school_code: str
    room_name: str | None
    name: str
    quantity: int
    condition: str


@dataclass(frozen=True)
class StudentPlan:
    school_code: str
    personal_id: str
    full_name: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    address: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    class_name: str = ""
    place_of_birth: str = BIRTHPLACE_HCM
    ward_code: str | None = None  # None: the ward text is not in the tree (a data-quality warning)
    ward_name: str = ""
    policy_groups: tuple[str, ...] = ()
    disability: str = ""
    # The Ministry's student sheet: place of birth to the commune, the parents (names as on the birth
    # certificate, years of birth).
    birth_commune: str = ""
    father_name: str = ""
    father_birth_year: int | None = None
    mother_name: str = ""
    mother_birth_year: int | None = None


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    structure: str
    school_year: int
    units: list[UnitPlan] = field(default_factory=list)
    schools: list[SchoolPlan] = field(default_factory=list)
    years: list[YearPlan] = field(default_factory=list)
    classes: list[ClassPlan] = field(default_factory=list)
    staff: list[StaffPlan] = field(default_factory=list)
    rooms: list[RoomPlan] = field(default_factory=list)
    equipment: list[EquipmentPlan] = field(default_factory=list)
    students: list[StudentPlan] = field(default_factory=list)
    accounts: list[AccountPlan] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of everything the plan would write: equal plans, equal digests."""
        payload = json.dumps(asdict(self), default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def demo_school_code(self) -> str:
        return next(s.code for s in self.schools if s.level == "CS")

    @property
    def current_year(self) -> YearPlan:
        return next(y for y in self.years if y.is_current)

    def unit_name(self, code: str | None) -> str:
        return next((u.name for u in self.units if u.code == code), "")
