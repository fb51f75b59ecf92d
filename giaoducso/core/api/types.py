"""The constrained input types of the API, in one place: each says in the OpenAPI document what the server
accepts, so that a client generated from the document never meets a refusal the document did not announce.

Rules a document cannot state (a reference to another record, one field agreeing with another, the current
state of a record) stay in the services; everything about the shape of one value is said here.

Patterns are written for both readers: JSON Schema's (ECMA-262) and pydantic's (Rust) regex engines, so
only `[...]` classes, `\\uXXXX` escapes and anchors, never `\\d`, `\\s` or `\\w` (Unicode-wide in one, not
the other).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Path
from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler, PlainSerializer, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from rules.codelists import CodeList

MAX_ID = 2**63 - 1
# Dates outside these bounds mean nothing for a school and cannot become timestamps on every database.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


@dataclass(frozen=True)
class Documented:
    """Adds keywords to a type's JSON schema (where the check itself is made by a validator beside it)."""

    keywords: tuple[tuple[str, Any], ...]

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(dict(self.keywords))
        return schema


def documented(**keywords: Any) -> Documented:
    return Documented(tuple(keywords.items()))


def _escape(code: int) -> str:
    return f"\\u{code:04x}"


# What str.strip() removes: a name of only these is blank once trimmed. Spelled out, not `\s`, whose
# meaning differs between regex engines (and from Python's).
_SPACE = "".join(_escape(c) for c in range(0x3001) if chr(c).isspace())
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$"


def clean_text(value: str) -> str:
    # PostgreSQL refuses NUL inside text: without this check such a value would be a 500.
    if "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value.strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError(_("Không được để trống."))
    return value


def text(max_length: int, *, blank: bool = True) -> Any:
    """Free text of a column's length, trimmed, without NUL; `blank=False` for a name that must be given."""
    if blank:
        return Annotated[
            str,
            StringConstraints(max_length=max_length),
            AfterValidator(clean_text),
            documented(pattern=NO_NUL),
        ]
    return Annotated[
        str,
        StringConstraints(max_length=max_length),
        AfterValidator(clean_text),
        AfterValidator(_not_blank),
        documented(pattern=NOT_BLANK),
    ]


def shaped(max_length: int, pattern: str, *, blank: bool = True) -> Any:
    """Text the services check for a shape (and normalise): the document promises `pattern`, a form every
    service accepts as it is, and may accept more (a phone with spaces, say) without promising it."""
    optional = "?" if blank else ""
    return Annotated[text(max_length, blank=blank), documented(pattern=f"^({pattern}){optional}$")]


Text12 = text(12)
Text20 = text(20)
Text32 = text(32)
Text64 = text(64)
Text128 = text(128)
Text200 = text(200)
Text254 = text(254)
Text255 = text(255)
Name32 = text(32, blank=False)
Name64 = text(64, blank=False)
Name255 = text(255, blank=False)


def coded(codes: Callable[[], CodeList], max_length: int = 64) -> Any:
    """A value of a code list (rules.codelists), or "" for none: the document lists the codes, the form a
    generated client should send. The services also read a name or an alias in any case ("Tày", "tay")
    and store its code; that convenience is not promised."""
    return Annotated[text(max_length), documented(enum=["", *codes().codes])]


# Query and path parameters: bounded, and safe to hand to any database.
SearchText = text(100)
Code = text(32)

_DIGITS = "[0-9]"
# The canonical forms the services store; they also accept spaces, dots and +84, which are not promised.
_PHONE = f"0[35789]{_DIGITS}{{8}}|02{_DIGITS}{{9}}"
Phone = shaped(20, _PHONE)
# Where a number must be given (a homeroom teacher setting a guardian's phone).
PhoneRequired = shaped(20, _PHONE, blank=False)
# A subset of what Django's EmailValidator and URLValidator accept: every address of this shape is taken.
_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = f"({_LABEL}[.])+[A-Za-z]{{2,63}}"
Email = shaped(254, f"[A-Za-z0-9_%+-]+([.][A-Za-z0-9_%+-]+)*@{_HOST}")
Website = shaped(200, f"https?://{_HOST}(/[A-Za-z0-9._~%/-]*)?")
# Twelve digits. An unknown code in digits 1–3 (a birth registered abroad carries a country code) is a
# warning on the quality board, not a refusal; agreement with sex and birth year is the services' rule.
PersonalId = shaped(12, f"{_DIGITS}{{12}}", blank=False)
# Where the law lets a pupil have none (foreign pupils record another document instead).
PersonalIdOptional = shaped(12, f"{_DIGITS}{{12}}")
# Checked here as documented: the Ministry's code is 10 ASCII digits, or nothing.
MinistryCode = Annotated[str, StringConstraints(pattern=f"^({_DIGITS}{{10}})?$")]
# "6/1", "12/A3"; preschool groups "Mầm 1", "Chồi", "Lá 2", "Nhà trẻ 1" (rules.students.parse_class_name).
SchoolYearName = shaped(9, "[0-9]{4}-[0-9]{4}")
ClassName = shaped(
    32, "([1-9]|1[0-2])/[0-9A-Za-z]{1,4}|(Nhà trẻ|Mầm|Chồi|Lá)( [0-9A-Za-z]{1,4})?", blank=False
)

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000)]


def _tenth(value: float) -> decimal.Decimal:
    # The column keeps one decimal place: 12.34 m² is stored as 12.3, not refused.
    return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)


# A number (never a string), up to what DecimalField(max_digits=8, decimal_places=1) can hold.
Area = Annotated[
    float,
    Field(ge=0, le=9_999_999.9, allow_inf_nan=False),
    AfterValidator(_tenth),
    PlainSerializer(lambda value: value),  # already the Decimal the model takes
]
Id = Annotated[int, Path(..., ge=1, le=MAX_ID)]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_PATTERN = "^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # FIRST_DAY … LAST_DAY


def _iso_day(value: Any) -> Any:
    # pydantic would also read 0 or "0" as a Unix timestamp (1970-01-01): the document promises YYYY-MM-DD.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or _ISO_DAY.fullmatch(value) is None:
        raise ValueError(_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."))
    return value


def _within_bounds(value: dt.date) -> dt.date:
    # A validator, not Field(ge=…): JSON Schema has no bound for dates, the pattern above carries it.
    if value < FIRST_DAY:
        raise ValueError(_("Phải lớn hơn hoặc bằng %(v)s.") % {"v": FIRST_DAY})
    if value > LAST_DAY:
        raise ValueError(_("Phải nhỏ hơn hoặc bằng %(v)s.") % {"v": LAST_DAY})
    return value


Day = Annotated[
    dt.date, BeforeValidator(_iso_day), AfterValidator(_within_bounds), documented(pattern=DAY_PATTERN)
]
