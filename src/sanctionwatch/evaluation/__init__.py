"""Evaluation of matching and rules on the team's labelled corpus (bench/eval/).

`corpus` reads and checks the documents and labels, `scoring` compares what the engine finds
with them, `bbc` scores the precision set from real news, `report` prints both. The
watchlist is the one an analyst runs: an official list imported as `lists import` imports
it, merged with a curated folder (`eval_watchlist`).
"""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.types import Watchlist
from sanctionwatch.watchlist.csvfile import load_watchlist
from sanctionwatch.watchlist.importers import import_list
from sanctionwatch.watchlist.merge import ListSnapshot, merge


def eval_watchlist(curated: Path, sdn: Path | None, date: str = "2023-12-28") -> Watchlist:
    """The curated folder merged with the OFAC SDN set in `sdn` (a folder of sdn.csv,
    alt.csv ...), under the list name `ofac_sdn`; only the curated folder when `sdn` is None."""
    watchlist = load_watchlist(curated)
    if sdn is None:
        return watchlist
    imported = import_list("ofac_sdn", sdn, name="ofac_sdn", date=date)
    return merge(watchlist, [ListSnapshot("ofac_sdn", "ofac_sdn", imported.watchlist)])
