"""Acronyms a text defines for a listed entity: "the Internet Research Agency (IRA) ... the
IRA's trolls". Once a strong mention is followed by its initials in brackets, the initials
name that entity in the rest of the document (pure: text and mentions in, mentions out)."""

from __future__ import annotations

import re

from sanctionwatch.matching.vocab import DESIGNATORS, NAME_STOPWORDS
from sanctionwatch.text.normalize import fold_word
from sanctionwatch.text.tokens import words
from sanctionwatch.types import Feature, Mention

_DEFINITION = re.compile(r"\s*[(\[]\s*([^\W\d_]{2,8})\s*[)\]]")


def _initials(name: str) -> set[str]:
    """The initials of a name, with and without its small words and organisation words
    ("Internet Research Agency LLC" gives IRAL and IRA)."""
    toks = words(name)
    kept = [t for t in toks if fold_word(t) not in NAME_STOPWORDS]
    core = [t for t in kept if fold_word(t) not in DESIGNATORS]
    return {"".join(t[0] for t in ts).upper() for ts in (toks, kept, core) if len(ts) >= 2}


def defined_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions of the acronyms the text defines right after a strong mention, wherever the
    acronym appears later, written in capitals as defined."""
    out: list[Mention] = []
    taken = {(m.start, m.end) for m in mentions}
    defined: set[str] = set()
    for m in mentions:
        if m.kind in ("short", "derived"):
            continue  # only a name in full defines an acronym
        d = _DEFINITION.match(text, m.end)
        if d is None:
            continue
        acronym = d.group(1)
        if not acronym.isupper() or acronym in defined or acronym not in _initials(m.matched):
            continue
        defined.add(acronym)
        why = f"acronym the text defines for {m.matched!r}"
        for hit in re.finditer(rf"(?<!\w){re.escape(acronym)}(?!\w)", text[d.end():]):
            start, end = d.end() + hit.start(), d.end() + hit.end()
            if (start, end) in taken:
                continue
            out.append(Mention(
                entity_id=m.entity_id, start=start, end=end, matched=acronym, score=m.score,
                alias=m.alias, kind="acronym",
                features=(Feature("acronym", 1.0, why),), support=(why,)))
    return out
