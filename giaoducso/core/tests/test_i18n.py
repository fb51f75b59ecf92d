"""The interface speaks Vietnamese (the msgids) and English (locale/en): key strings, the compiled catalogue
covering every string of the core templates, and the language chosen per request."""

import ast
import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
CORE_TEMPLATES = ROOT / "giaoducso" / "core" / "templates"


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        ("Đăng nhập", "Sign in"),
        ("Đăng xuất", "Sign out"),
        ("Học sinh", "Students"),
        ("Trang chủ", "Home"),
        ("Nhật ký hệ thống", "Audit log"),
        ("Xác thực hai lớp", "Two-factor authentication"),
        ("Sở Giáo dục và Đào tạo", "Department of Education and Training"),
        ("Giáo viên chủ nhiệm", "Homeroom teacher"),
    ],
    ids=["sign-in", "sign-out", "students", "home", "audit-log", "2fa", "department", "homeroom"],
)
def test_key_strings_translate_to_english(vietnamese, english):
    with translation.override("en"):
        assert translation.gettext(vietnamese) == english
    with translation.override("vi"):
        assert translation.gettext(vietnamese) == vietnamese


def test_plural_and_placeholder_strings():
    with translation.override("en"):
        assert translation.ngettext("%(n)s dòng", "%(n)s dòng", 1) % {"n": 1} == "1 row"
        assert translation.ngettext("%(n)s dòng", "%(n)s dòng", 5) % {"n": 5} == "5 rows"
        assert translation.gettext("Trang %(n)s/%(total)s") % {"n": 2, "total": 7} == "Page 2 of 7"


# --- the compiled catalogue against the templates of giaoducso/core -------------------------------------

_LIT = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALLS = [
    (re.compile(rf"\bgettext\(({_LIT})\)"), lambda a: (None, a[0], None)),
    (re.compile(rf"\bpgettext\(({_LIT}), ({_LIT})\)"), lambda a: (a[0], a[1], None)),
    (re.compile(rf"\bngettext\(({_LIT}), ({_LIT}), count\)"), lambda a: (None, a[0], a[1])),
    (re.compile(rf"\bnpgettext\(({_LIT}), ({_LIT}), ({_LIT}),count\)"), lambda a: (a[0], a[1], a[2])),
]


def template_messages() -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, msgid_plural) of every translatable string in the core templates, found the way
    makemessages finds them (Django's templatize), so that blocktranslate gives %(var)s msgids."""
    found = set()
    for path in sorted(CORE_TEMPLATES.rglob("*.html")) + sorted(CORE_TEMPLATES.rglob("*.txt")):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for pattern, shape in _CALLS:
            for match in pattern.finditer(code):
                found.add(shape([ast.literal_eval(lit) for lit in match.groups()]))
    return found


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def po_entries(path: Path) -> list[dict]:
    """A tiny .po reader: flags, references, msgctxt, msgid, msgid_plural and msgstr/msgstr[n]."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set(), "refs": [], "fields": {}}
        current = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):  # obsolete entry
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry["refs"].extend(ref.rsplit(":", 1)[0] for ref in line[2:].split())
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][current].append(line)
            else:
                current, _, rest = line.partition(" ")
                entry["fields"][current] = [rest]
        if entry and "msgid" in entry["fields"]:
            entry["fields"] = {key: _unquote(value) for key, value in entry["fields"].items()}
            entries.append(entry)
    return entries


def test_core_template_strings_are_in_the_compiled_english_catalogue():
    with EN_MO.open("rb") as fh:
        catalog = gnu_gettext.GNUTranslations(fh)._catalog
    missing = []
    for context, msgid, plural in sorted(template_messages(), key=str):
        key = f"{context}\x04{msgid}" if context else msgid
        if plural is None:
            ok = bool(catalog.get(key))
        else:
            ok = bool(catalog.get((key, 0))) and bool(catalog.get((key, 1)))
        if not ok:
            missing.append(msgid)
    assert not missing, (
        "Untranslated in locale/en (run makemessages, translate, compilemessages):\n" + "\n".join(missing)
    )


def test_english_po_has_no_untranslated_or_fuzzy_core_template_entry_and_mo_is_current():
    entries = [e for e in po_entries(EN_PO) if e["fields"]["msgid"]]  # the header has an empty msgid
    core = [e for e in entries if any(ref.startswith("giaoducso/core/templates/") for ref in e["refs"])]
    assert core, "the English catalogue lists no string of the core templates: run makemessages"
    bad = [
        e["fields"]["msgid"]
        for e in core
        if "fuzzy" in e["flags"]
        or not all(value for key, value in e["fields"].items() if key.startswith("msgstr"))
    ]
    assert not bad, "Untranslated or fuzzy in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(bad)
    with EN_MO.open("rb") as fh:
        catalog = gnu_gettext.GNUTranslations(fh)._catalog
    stale = [
        e["fields"]["msgid"]
        for e in core
        if "msgstr" in e["fields"] and catalog.get(e["fields"]["msgid"]) != e["fields"]["msgstr"]
    ]
    assert not stale, "django.mo is older than django.po: run compilemessages\n" + "\n".join(stale)


# --- the language of a request (LocaleMiddleware) ------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_vietnamese_by_default(client):
    body = client.get("/").content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body and "Sign in" not in body


@pytest.mark.django_db
def test_browser_language_alone_does_not_switch_to_english(client):
    # Officers' browsers are often English by default; the site stays Vietnamese until they choose.
    body = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body and "Sign in" not in body


@pytest.mark.django_db
def test_signed_in_user_gets_their_saved_language(client):
    from giaoducso.testing.factories import UserFactory

    user = UserFactory(username="english_reader", language="en")
    client.force_login(user)
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_page_follows_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/", headers={"accept-language": "vi"}).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body and "Đăng nhập" not in body


@pytest.mark.django_db
def test_set_language_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in" in client.get("/").content.decode()
