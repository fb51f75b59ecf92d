"""Full-text search of official documents at scale, on PostgreSQL.

Creates a throw-away database, seeds 200,000 issued documents of a district department to its 300
schools (each sent to one to three of them, so 400,000 incoming rows), with realistic summaries and
bodies, then times searches through the real search code (`office.selectors.search`, scoping included)
for the department officer, who reaches every document, and for a school principal, who reaches only
what was sent to the school. Prints p50/p95 in milliseconds, the ratio of p95 to the target, a baseline
measured in the same run (the same query as a plain LIKE over the folded text, i.e. no index), and the
query plan. Target: p95 ≤ 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giaoducso_bench_office python bench/office_search.py
    options: --documents N --schools N --queries N --seed S --keep (do not drop the database at the end)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import drop_database, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench_office"
TARGET_MS = 100.0

KINDS = [
    ("KH", "Kế hoạch"),
    ("CV", "Về việc"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("HD", "Hướng dẫn"),
    ("QĐ", "Quyết định"),
]
TOPICS = [
    "thực hiện nhiệm vụ công nghệ thông tin",
    "tuyển sinh vào lớp 6",
    "tuyển sinh vào lớp 1",
    "phòng chống dịch bệnh trong trường học",
    "an toàn giao thông cho học sinh",
    "thi đua khen thưởng cuối năm",
    "chuyển đổi số trong giáo dục",
    "bồi dưỡng thường xuyên giáo viên",
    "kiểm tra nội bộ trường học",
    "tổ chức hội khỏe Phù Đổng",
    "cập nhật cơ sở dữ liệu ngành",
    "sổ điểm điện tử và học bạ số",
    "phổ cập giáo dục xóa mù chữ",
    "công tác y tế trường học",
    "bảo đảm an toàn thông tin",
    "triển khai chương trình giáo dục phổ thông 2018",
    "thu chi đầu năm học",
    "sách giáo khoa và thiết bị dạy học",
    "hoạt động trải nghiệm hướng nghiệp",
    "công tác kiểm định chất lượng giáo dục",
]
FILLER_TEXT = (
    "căn cứ kế hoạch của sở giáo dục và đào tạo phòng đề nghị hiệu trưởng các trường triển khai thực hiện "
    "báo cáo kết quả đúng thời hạn quy định nội dung cụ thể như sau mục đích yêu cầu tổ chức thực hiện "
    "đơn vị phối hợp kinh phí tiến độ đánh giá rút kinh nghiệm trong quá trình thực hiện nếu có vướng mắc "
    "liên hệ bộ phận chuyên môn để được hướng dẫn"
)
FILLER = FILLER_TEXT.split()


def summary_of(rng: random.Random, year: int) -> tuple[str, str]:
    code, label = rng.choice(KINDS)
    return code, f"{label} {rng.choice(TOPICS)} năm học {year}-{year + 1}"


def seed(n_documents: int, n_schools: int, rng: random.Random) -> tuple[object, object]:
    from django.db import connection
    from django.utils import timezone

    from giaoducso.core import services as core_services
    from giaoducso.core.models import Membership, UnitKind, User
    from giaoducso.core.roles import Role
    from giaoducso.office.models import DocStatus, Document, Incoming, InStatus
    from rules.text import fold

    province = core_services.unit_create(
        actor=None, kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT", parent=None
    )
    department = core_services.unit_create(
        actor=None, kind=UnitKind.DISTRICT_DEPARTMENT, code="PGD", name="Phòng GD&ĐT Quận 6", parent=province
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

    # The GIN index is built once after the load, as a restore would, not row by row (the triggers of
    # migration 0004 fill the side table office_search as the documents go in).
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS office_search_vector")
    started = time.perf_counter()
    now = timezone.now()
    batch: list[Document] = []
    for i in range(n_documents):
        year = 2018 + i * 8 // n_documents
        code, summary = summary_of(rng, year)
        body = " ".join(rng.choice(FILLER) for _ in range(60))
        number = i + 1
        batch.append(
            Document(
                issuer=department,
                issuer_path=department.path,
                doc_type=code,
                summary=summary,
                body=f"<p>{body}</p>",
                status=DocStatus.ISSUED,
                year=year,
                series="shared",
                number=number,
                notation=f"{number:02d}/{code}-PGDĐT",
                issued_at=now,
                signer_name="Nguyễn Văn An",
                search_text=fold(f"{number:02d}/{code}-PGDĐT {summary} Phòng GD&ĐT Quận 6 {body}"),
            )
        )
        if len(batch) == 10_000:
            _flush(batch, schools, rng, Document, Incoming, InStatus)
    if batch:
        _flush(batch, schools, rng, Document, Incoming, InStatus)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX office_search_vector ON office_search USING GIN (vector) WITH (fastupdate = off)"
        )
        # What autovacuum does within a minute of such a load: statistics, and the visibility map that
        # lets a school's received documents come from the index alone.
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded {n_documents:,} documents to {n_schools} schools in {time.perf_counter() - started:.1f} s")
    return officer, principal


def _flush(batch: list, schools: list, rng: random.Random, Document, Incoming, InStatus) -> None:
    created = Document.objects.bulk_create(batch)
    rows = []
    for document in created:
        for school in rng.sample(schools, rng.randint(1, 3)):
            rows.append(
                Incoming(
                    unit=school,
                    document=document,
                    sender_name="Phòng GD&ĐT Quận 6",
                    notation=document.notation,
                    doc_date=document.issued_at.date(),
                    doc_type=document.doc_type,
                    summary=document.summary,
                    status=InStatus.REGISTERED,
                    received_at=document.issued_at,
                )
            )
    Incoming.objects.bulk_create(rows, batch_size=10_000)
    batch.clear()


def queries(rng: random.Random, n: int) -> list[str]:
    """What people type: part of a topic, with or without diacritics, sometimes with the kind or year."""
    from rules.text import fold

    out = []
    for _ in range(n):
        words = rng.choice(TOPICS).split()
        start = rng.randrange(max(1, len(words) - 2))
        text = " ".join(words[start : start + rng.randint(2, 4)])
        if rng.random() < 0.3:
            text = f"{rng.choice(KINDS)[1]} {text}"
        if rng.random() < 0.2:
            text += f" {rng.randint(2018, 2025)}"
        out.append(fold(text) if rng.random() < 0.6 else text)
    return out


def timed(search, user: object, texts: list[str]) -> tuple[float, float, int]:
    timings = []
    total = 0
    for text in texts:
        started = time.perf_counter()
        found = search(user, text)
        timings.append((time.perf_counter() - started) * 1000)
        total += len(found)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, total


def like_baseline(user: object, text: str) -> list[object]:
    """The same words matched by LIKE over the folded text: what search costs without the index."""
    from giaoducso.office import selectors

    queryset = selectors.documents_for(user)
    for word in selectors.query_words(text):
        queryset = queryset.filter(search_text__contains=word)
    return list(queryset.order_by("-pk")[: selectors.SEARCH_LIMIT])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="time a database kept by --keep, no seeding")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 1
    try:
        if not args.reuse:
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

    from giaoducso.office import selectors

    try:
        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(args.seed)
        if args.reuse:
            from giaoducso.core.models import User

            officer, principal = (
                User.objects.get(username="bench_officer"),
                User.objects.get(username="bench_principal"),
            )
            rng.random()
        else:
            officer, principal = seed(args.documents, args.schools, rng)
        texts = queries(rng, args.queries)
        timed(selectors.search, officer, texts[:20])  # warm-up: measure searches, not the first disk read
        failed = False
        for label, user in (("department (all documents)", officer), ("one school", principal)):
            p50, p95, total = timed(selectors.search, user, texts)
            _base50, base95, _ = timed(like_baseline, user, texts[:40])
            verdict = "ok" if p95 <= TARGET_MS else "OVER TARGET"
            failed |= p95 > TARGET_MS
            print(
                f"{label:27s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({total:,} results)  "
                f"p95/target {p95 / TARGET_MS:.2f}  LIKE baseline p95 {base95:7.1f} ms (×{base95 / max(p95, 0.01):.0f}) {verdict}"
            )
        from django.db import connection

        for label, user, text in (
            ("department", officer, "ke hoach cong nghe thong tin"),
            ("department", officer, "thong bao trong truong 2019"),
            ("one school", principal, "ke hoach cong nghe thong tin"),
        ):
            for step, sql, params in selectors.search_statements(user, text):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print(f"\nEXPLAIN ANALYZE ({label}, {text!r}, {step}):")
                    print("\n".join(row[0] for row in cursor.fetchall() if len(row[0]) < 400))
        return 1 if failed else 0
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
