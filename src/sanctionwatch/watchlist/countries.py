"""Country names as official lists write them -> ISO 3166-1 alpha-2 codes.

Built once from rigour's territory table (name, full name, alpha-3, code) plus the spellings
OFAC and the UN use that the table lacks ("Korea, North", "Burma", "Region: Gaza"). Pure and
fast: one dictionary look-up per name after a one-off build of about 50 ms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sanctionwatch.text.normalize import fold

_EXTRA = {
    "korea, north": "KP", "north korea": "KP", "korea, south": "KR", "south korea": "KR",
    "democratic people's republic of korea": "KP", "republic of korea": "KR",
    "burma": "MM", "turkey": "TR", "turkiye": "TR", "hong kong": "HK", "macau": "MO",
    "macao": "MO", "palestinian": "PS", "west bank": "PS", "gaza": "PS",
    "the gambia": "GM", "cote d ivoire": "CI", "cote d'ivoire": "CI", "ivory coast": "CI",
    "congo, democratic republic of the": "CD", "democratic republic of the congo": "CD",
    "congo, republic of the": "CG", "republic of the congo": "CG", "crimea": "UA",
    "man, isle of": "IM", "isle of man": "IM", "virgin islands, british": "VG",
    "bahamas, the": "BS", "north macedonia, the republic of": "MK", "kafia kingi": "SD",
    "northern mali": "ML", "russian federation": "RU", "syrian arab republic": "SY",
    "iran (islamic republic of)": "IR", "lao people's democratic republic": "LA",
    "united states of america": "US",
}
_UNKNOWN = {"", "-0-", "undetermined", "unknown", "commonwealth of independent states"}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    from rigour.territories import get_territories

    table: dict[str, str] = {}
    for t in get_territories():
        code = (t.ftm_country or (t.code if len(t.code) == 2 else "")).upper()
        if len(code) != 2:
            continue
        for n in (t.name, t.full_name, t.alpha3, t.code):
            if n:
                table.setdefault(fold(n), code)
    for n, code in _EXTRA.items():
        table[fold(n)] = code
    return table


@lru_cache(maxsize=4096)
def country_code(name: str) -> str:
    """The alpha-2 code of a country name, code or OFAC spelling, or "" when unknown."""
    key = fold(name).strip().strip(".").strip()
    key = re.sub(r"^region:\s*", "", key)
    if key in _UNKNOWN:
        return ""
    if len(key) == 2 and key.isalpha():
        return key.upper() if key in _table() or key.upper() in _table().values() else ""
    table = _table()
    if key in table:
        return table[key]
    if "," in key:  # "Bahamas, The" / "Congo, Republic of the"
        head, _, tail = key.partition(",")
        flipped = f"{tail.strip()} {head.strip()}".strip()
        return table.get(flipped, table.get(head.strip(), ""))
    return ""


def country_codes(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Codes for several names, unknown ones left out, first occurrence order kept."""
    return tuple(dict.fromkeys(c for c in (country_code(n) for n in names) if c))


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(_table().values()) | {"XK"}  # Kosovo: user-assigned, used by every list


def is_country_code(code: str) -> bool:
    """Is `code` an ISO 3166-1 alpha-2 code in use (any case)?"""
    return code.strip().upper() in _codes()
