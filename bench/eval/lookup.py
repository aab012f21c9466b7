"""Look a name up in the OFAC SDN list of 2023-12-28, the way an annotator checks every name
in a document: by names and aliases, folded (case, accents, script transliterated), as whole
words or fuzzy.

    python bench/eval/lookup.py "Prigozhin" "Hizballah" "Салами"
    python bench/eval/lookup.py --fuzzy 85 "Belaruskali"
    python bench/eval/lookup.py --uid 44584

Prints one line per hit: `ofac_sdn:<uid>`, the entry's primary name, its type, programmes,
and the alias that matched. Needs ../shared/data/ofac (read-only).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from rapidfuzz import fuzz

from sanctionwatch.text.normalize import fold

ROOT = Path(__file__).resolve().parents[2]
SDN = ROOT.parent / "shared" / "data" / "ofac"


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def load() -> tuple[dict[str, tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Entries by uid (name, type, programmes) and every (uid, name or alias, folded) row."""
    entries: dict[str, tuple[str, str, str]] = {}
    names: list[tuple[str, str, str]] = []
    with (SDN / "sdn.csv").open(encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 4:
                continue
            uid, name, kind, programs = (_cell(c) for c in row[:4])
            entries[uid] = (name, kind or "entity", programs)
            names.append((uid, name, fold(name)))
    with (SDN / "alt.csv").open(encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 4 and _cell(row[3]):
                names.append((_cell(row[0]), _cell(row[3]), fold(_cell(row[3]))))
    return entries, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="names to look up")
    parser.add_argument("--fuzzy", type=int, default=0, metavar="SCORE",
                        help="also list names whose token-set similarity is at least SCORE")
    parser.add_argument("--uid", action="append", default=[], help="print this entry")
    args = parser.parse_args(argv)
    entries, names = load()
    for uid in args.uid:
        name, kind, programs = entries.get(uid, ("(no such uid)", "", ""))
        print(f"ofac_sdn:{uid}\t{name}\t{kind}\t{programs}")
        for alias_uid, alias, _ in names:
            if alias_uid == uid and alias != name:
                print(f"\t  aka {alias}")
    for query in args.names:
        folded = fold(query)
        word = re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")
        hits = []
        for uid, name, key in names:
            score = 100 if word.search(key) else 0
            if not score and args.fuzzy:
                score = int(fuzz.token_set_ratio(folded, key))
                score = score if score >= args.fuzzy else 0
            if score:
                hits.append((score, uid, name))
        print(f"== {query} ({len(hits)} hit{'s' if len(hits) != 1 else ''})")
        for score, uid, name in sorted(hits, key=lambda h: (-h[0], h[2]))[:40]:
            primary, kind, programs = entries.get(uid, ("?", "?", "?"))
            via = "" if name == primary else f"  (via {name})"
            print(f"  ofac_sdn:{uid}\t{primary}\t{kind}\t{programs}{via}\t{score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
