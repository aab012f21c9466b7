"""What a screening query may say besides the name — the entity type, a country, a birth date —
compared with what the watchlist knows of a candidate.

Each comparison gives "match", "conflict" or "unknown" (the entry says nothing, or the query
said nothing usable). Birth dates come from a `birth_date`/`dob` column of a curated entity or
from the "DOB ..." parts of an official entry's remarks (OFAC writes "DOB 10 Dec 1948",
"DOB circa 1965", "DOB 1960 to 1962", "DOB Jan 1970"); an approximate date ("circa", a year
alone, a range) is compared by year, one year either side allowed for "circa".
"""

from __future__ import annotations

import re
from datetime import date

from sanctionwatch.types import Entity
from sanctionwatch.watchlist.countries import country_code, is_country_code

_MONTHS = {m: n for n, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DOB_PART = re.compile(r"\b(?:DOB|date of birth)\s+([^;.]*)", re.IGNORECASE)
_FULL = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_query_date(value: str) -> tuple[int, int | None, int | None]:
    """(year, month, day) of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError otherwise."""
    m = _ISO.match(value.strip())
    if not m:
        raise ValueError(f"birth date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if d is not None:
        date(y, int(mo), int(d))  # raises for 2001-02-30
    elif mo is not None and not 1 <= int(mo) <= 12:
        raise ValueError(f"birth date {value!r}: no month {mo}")
    return y, int(mo) if mo else None, int(d) if d else None


def query_country(value: str) -> str:
    """The alpha-2 code of a query's country (a code, a name or an OFAC spelling); ValueError
    when it is no country."""
    code = value.strip().upper() if is_country_code(value.strip().upper()) else ""
    code = code or country_code(value)
    if not code:
        raise ValueError(f"country {value!r}: not a country name or ISO 3166-1 alpha-2 code")
    return code


def birth_dates(entity: Entity) -> list[tuple[int, int, date | None]]:
    """(first year, last year, exact date or None) of every birth date the entry gives."""
    texts = [v for k, v in entity.extra if k.lower() in ("birth_date", "dob", "date_of_birth")]
    found: list[tuple[int, int, date | None]] = []
    for t in texts:
        try:
            y, mo, d = parse_query_date(t)
        except ValueError:
            continue
        found.append((y, y, date(y, mo, d) if mo and d else None))
    for part in _DOB_PART.findall(entity.notes or ""):
        part = part.strip()
        full = _FULL.match(part)
        if full and full.group(2).lower() in _MONTHS:
            y = int(full.group(3))
            try:
                found.append((y, y, date(y, _MONTHS[full.group(2).lower()], int(full.group(1)))))
            except ValueError:
                found.append((y, y, None))
            continue
        years = [int(y) for y in _YEAR.findall(part)]
        if not years:
            continue
        slack = 1 if "circa" in part.lower() else 0
        found.append((min(years) - slack, max(years) + slack, None))
    return found


def compare_birth_date(entity: Entity, year: int, month: int | None,
                       day: int | None) -> str:
    known = birth_dates(entity)
    if not known:
        return "unknown"
    for first, last, exact in known:
        if exact is None:
            if first <= year <= last:
                return "match"
        elif exact.year == year and (not month or exact.month == month) and (
                not day or exact.day == day):
            return "match"
    return "conflict"


def compare_country(entity: Entity, code: str) -> str:
    if not entity.countries:
        return "unknown"
    return "match" if code in entity.countries else "conflict"


def compare_type(entity: Entity, entity_type: str) -> str:
    if entity.type in ("", "other"):
        return "unknown"
    return "match" if entity.type == entity_type else "conflict"
