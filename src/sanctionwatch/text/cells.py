"""Spreadsheet-safe cells (pure): a CSV cell that begins with "=", "+", "-", "@", a tab or a
carriage return is read by spreadsheet programs as a formula. Evidence, notes, actors and
source names are text strangers write, so every CSV the monitor writes passes its text cells
through `safe_cell` (OWASP's rule: such a cell is prefixed with a single quote)."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` with a leading single quote when it is text a spreadsheet would evaluate;
    numbers and everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: safe_cell(v) for k, v in row.items()}
