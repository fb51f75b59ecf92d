"""Name search at city scale, on PostgreSQL.

Creates a throw-away database, seeds 300,000 students across 300 schools with bulk_create (realistic
Vietnamese names: a handful of family names cover most people, which is what makes name search hard),
then times 200 searches through the real search code (scoping included) for a department officer, who
sees every school, and for a school principal, who sees one. Prints p50/p95 in milliseconds and the query
plans of typical searches (the byte-ordered btree of migration 0003 for a common prefix, the pg_trgm
index of 0002 otherwise). Target: p95 < 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giaoducso_bench_search python bench/search_students.py
    options: --students N --schools N --queries N --seed S --keep (do not drop the database at the end)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import drop_database, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench_search"

# Shares roughly as in Vietnam: Nguyễn alone is about 38%.
FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 5),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Gia", "Hoàng", "Anh", "Tuấn", "Công", "Nhật"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Bảo", "Khánh", "Phương", "Thanh", "Minh", "Mai", "Kim", "Hồng", "Gia"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hòa",
    "Huy",
    "Hùng",
    "Khang",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phát",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thái",
    "Thắng",
    "Thịnh",
    "Toàn",
    "Trí",
    "Trung",
    "Tuấn",
    "Vinh",
    "Vũ",
]
GIVEN_F = [
    "An",
    "Anh",
    "Chi",
    "Diệp",
    "Dung",
    "Giang",
    "Hà",
    "Hân",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Ngân",
    "Ngọc",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thư",
    "Trang",
    "Trâm",
    "Uyên",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
]


def pick_family(rng: random.Random) -> str:
    names, weights = zip(*FAMILY, strict=True)
    return rng.choices(names, weights)[0]


def make_name(rng: random.Random, female: bool) -> str:
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    if rng.random() < 0.3:  # a second middle name, common in the south
        return f"{pick_family(rng)} {middle} {rng.choice(MIDDLE_F if female else MIDDLE_M)} {given}"
    return f"{pick_family(rng)} {middle} {given}"


def seed(n_students: int, n_schools: int, rng: random.Random) -> tuple[object, object, list[object]]:
    from django.db import connection

    from giaoducso.core import services as core_services
    from giaoducso.core.models import Membership, UnitKind, User
    from giaoducso.core.roles import Role
    from giaoducso.directory.models import Sex, Student
    from rules.identifiers import make_personal_id
    from rules.text import fold, name_sort_key

    province = core_services.unit_create(
        actor=None, kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT", parent=None
    )
    department = core_services.unit_create(
        actor=None, kind=UnitKind.DISTRICT_DEPARTMENT, code="PGD", name="Phòng GD&ĐT", parent=province
    )
    schools = [
        core_services.unit_create(
            actor=None, kind=UnitKind.SCHOOL, code=f"S{i:04d}", name=f"Trường {i}", parent=department
        )
        for i in range(n_schools)
    ]
    officer = User.objects.create_user(username="bench_officer", password=None)
    Membership.objects.create(user=officer, unit=department, role=Role.DEPARTMENT_OFFICER)
    principal = User.objects.create_user(username="bench_principal", password=None)
    Membership.objects.create(user=principal, unit=schools[0], role=Role.PRINCIPAL)

    # Maintaining a trigram GIN index row by row is what makes a bulk load slow; build it once afterwards,
    # with the very statements of the migration.
    trigram = importlib.import_module("giaoducso.directory.migrations.0002_search_name_trigram_indexes")
    with connection.schema_editor() as editor:
        trigram.drop_indexes(None, editor)
    batch: list[Student] = []
    started = time.perf_counter()
    serials: dict[tuple[str, int], int] = {}
    for i in range(n_students):
        female = rng.random() < 0.49
        sex = Sex.FEMALE if female else Sex.MALE
        year = rng.randint(2008, 2020)
        serial = serials.get((sex, year), 0)
        serials[(sex, year)] = serial + 1
        name = make_name(rng, female)
        batch.append(
            Student(
                school=schools[i % n_schools],
                personal_id=make_personal_id("079", sex, year, serial),
                full_name=name,
                search_name=fold(name),
                sort_key=name_sort_key(name),
                date_of_birth=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                sex=sex,
            )
        )
        if len(batch) == 10_000:
            Student.objects.bulk_create(batch)
            batch.clear()
    if batch:
        Student.objects.bulk_create(batch)
    with connection.schema_editor() as editor:
        trigram.create_indexes(None, editor)
    print(f"seeded {n_students:,} students in {n_schools} schools in {time.perf_counter() - started:.1f} s")
    return officer, principal, schools


def queries(rng: random.Random, n: int) -> list[str]:
    """What people type: whole names, family + middle, a given name, typed with or without diacritics."""
    from rules.text import fold

    out = []
    for _ in range(n):
        female = rng.random() < 0.5
        name = make_name(rng, female)
        words = name.split()
        shape = rng.random()
        if shape < 0.4:
            text = name
        elif shape < 0.6:
            text = " ".join(words[:2]) + " " + words[-1][:2]  # typing the given name, half way
        elif shape < 0.8:
            text = words[-1]  # the given name alone
        else:
            text = " ".join(w[:2] for w in words)  # the first letters of each word
        out.append(fold(text) if rng.random() < 0.7 else text)
    return out


def time_searches(user: object, texts: list[str]) -> tuple[float, float, int]:
    from giaoducso.directory import search

    timings = []
    total = 0
    for text in texts:
        started = time.perf_counter()
        found = search.search_students(
            user=user, query=search.parse_query(text), limit=search.RESULT_LIMIT + 1
        )
        timings.append((time.perf_counter() - started) * 1000)
        total += len(found)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, total


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=300_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 1
    try:
        recreate_database(url)
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); benchmark skipped.")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from giaoducso.directory import search

    try:
        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(args.seed)
        officer, principal, _schools = seed(args.students, args.schools, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        texts = queries(rng, args.queries)
        # A warm-up pass, so that the figures measure searches, not the first read of the index from disk.
        time_searches(officer, texts[:20])
        failed = False
        for label, user in (("department (all schools)", officer), ("one school", principal)):
            p50, p95, total = time_searches(user, texts)
            verdict = "ok" if p95 < 100 else "OVER TARGET"
            failed |= p95 >= 100
            print(f"{label:26s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({total:,} results) {verdict}")
        from django.db.models import Q, Value

        from giaoducso.core.roles import Perm
        from giaoducso.core.scoping import scoped
        from giaoducso.directory.models import Student

        first = scoped(Student.objects.all(), officer, Perm.VIEW_STUDENT).filter(
            Q(search.Like(search._name_key(), Value("nguyen%")))
        )
        plan = first.order_by(search._name_key(), "id")[:51].explain()
        print("\nEXPLAIN (department, 'nguyen', first query):\n" + plan)
        plan = search.student_results_queryset(user=officer, query=search.parse_query("lan"))[:51].explain()
        print("\nEXPLAIN (department, 'lan'):\n" + plan)
        return 1 if failed else 0
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
