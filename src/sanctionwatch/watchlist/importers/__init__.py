"""Importers for official sanctions lists, each into the one entity model (`types.Entity`).

Every imported entity keeps its provenance: `origin` is the list's name, its id is
`<list name>:<list entry id>`, and `extra` holds `list`, `list_entry_id` and `list_date`
(plus what else the list says that the model has no field for: remarks, alias kinds).
Importers are pure apart from reading the files they are given: no clock (the list date is
an argument or read from the file), no network (fetching a URL is the caller's job).

`IMPORTERS` maps the `kind` names used in config.yaml and on the command line to functions
`(path, name, date, progress) -> ImportedList`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sanctionwatch.watchlist.importers import csl, ftm, ofac, un
from sanctionwatch.watchlist.importers.base import ImportedList, Progress

__all__ = ["KINDS", "ImportedList", "Progress", "import_list"]

IMPORTERS: dict[str, Callable[..., ImportedList]] = {
    "ofac_sdn": ofac.import_sdn,
    "ofac_consolidated": ofac.import_consolidated,
    "un": un.import_un,
    "csl": csl.import_csl,
    "ftm": ftm.import_ftm,
}
KINDS: tuple[str, ...] = tuple(IMPORTERS)


def import_list(kind: str, path: Path, name: str | None = None, date: str = "",
                progress: Progress | None = None) -> ImportedList:
    """Import `path` with the importer for `kind`; ValueError names the known kinds."""
    if kind not in IMPORTERS:
        raise ValueError(f"unknown list kind {kind!r} (one of {', '.join(KINDS)})")
    return IMPORTERS[kind](path, name=name or kind, date=date, progress=progress)
