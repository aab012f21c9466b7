"""Bounded parsing of what a browser sends (pure): a 20-digit id, a 4,000-digit number or a
60 KB filter value is a 400 or a 404 with a reason, never a database error and a 500."""

from __future__ import annotations

from starlette.exceptions import HTTPException

MAX_ID = 2 ** 63 - 1    # the largest id a database column holds (BIGINT)
MAX_DIGITS = 19         # digits of MAX_ID: a longer number is refused before it is parsed
MAX_PARAM_CHARS = 200   # a filter value longer than this is no filter anyone typed


def int_param(value: str | None, name: str) -> int | None:
    """`value` as a non-negative integer within MAX_ID; None when empty; 400 otherwise."""
    if value in (None, ""):
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise HTTPException(400, f"{name}: not a number: {value[:40]!r}")
    if len(text) > MAX_DIGITS or int(text) > MAX_ID:
        raise HTTPException(400, f"{name}: too large (at most {MAX_ID})")
    return int(text)


def text_param(value: str, name: str) -> str:
    """`value` if it is short enough to be a filter someone typed; 400 otherwise."""
    if len(value) > MAX_PARAM_CHARS:
        raise HTTPException(400, f"{name}: too long ({len(value):,} characters, at most "
                                 f"{MAX_PARAM_CHARS})")
    return value


def path_id(value: int, what: str) -> int:
    """A path id beyond any stored row is simply not there: 404."""
    if value > MAX_ID:
        raise HTTPException(404, f"{what} {value}: no such {what}")
    return value
