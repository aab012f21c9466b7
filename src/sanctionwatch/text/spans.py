"""Cut a text at marked spans, for highlighting evidence (pure)."""

from __future__ import annotations

from collections.abc import Iterable


def cut(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` as (piece, marked) parts, in order; overlapping or out-of-range spans are
    skipped, so the pieces always join back to `text`."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for s, e in sorted(set(spans)):
        if s < pos or not 0 <= s < e <= len(text):
            continue
        if s > pos:
            pieces.append((text[pos:s], False))
        pieces.append((text[s:e], True))
        pos = e
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces
