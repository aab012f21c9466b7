"""Write the slice of the OFAC SDN list (2023-12-28) that the corpus labels name into
tests/data/ofac-eval/, so that the test suite checks every label id without ../shared.

    python bench/eval/make_test_slice.py [LANG ...]

The rows are copied byte for byte from ../shared/data/ofac/sdn.csv and alt.csv (US
government data, public domain); run it again whenever labels name new entries.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SDN = ROOT.parent / "shared" / "data" / "ofac"
OUT = ROOT / "tests" / "data" / "ofac-eval"


def main() -> int:
    # the label files of the given languages (default: all), read as they are: a document
    # being written elsewhere does not hold up the slice
    langs = sys.argv[1:] or sorted(p.stem for p in (HERE / "labels").glob("*.csv"))
    ids: set[str] = set()
    for lang in langs:
        with (HERE / "labels" / f"{lang}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for value in [row.get("entity_id") or "", *(row.get("also") or "").split("|")]:
                    if value.startswith("ofac_sdn:"):
                        ids.add(value.split(":", 1)[1])
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("sdn.csv", "alt.csv"):
        raw = (SDN / name).read_bytes().splitlines(keepends=True)
        kept = [line for line in raw if line.split(b",", 1)[0].strip() in
                {i.encode() for i in ids}]
        (OUT / name).write_bytes(b"".join(kept))
        print(f"{OUT / name}: {len(kept)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
