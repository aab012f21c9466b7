"""Build a matcher, or load it from a cache when the watchlist is unchanged.

The cache file is named by a hash of everything the index depends on (the entities, the
match settings and the matcher's code version), so a changed watchlist or setting can never
load a stale index. A damaged or unreadable cache file is ignored and rebuilt.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import operator
import os
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sanctionwatch.matching.matcher import Matcher, MatchSettings
from sanctionwatch.types import Watchlist

KEEP = 4  # index files kept in a cache folder: the ones used most recently
INDEX_FORMAT = 24  # bump when NameIndex or NameForm change shape
log = logging.getLogger("sanctionwatch.matching")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Building or loading an index allocates millions of small objects and no reference
    cycles; the cyclic collector would only scan them again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _HashWriter:
    """A file-like sink that hashes what is written to it."""

    def __init__(self, h) -> None:
        self.h = h

    def write(self, data: bytes) -> int:
        self.h.update(data)
        return len(data)


_ENTITY_FIELDS = operator.attrgetter("id", "type", "name", "aliases", "programs", "countries",
                                     "context", "exclude", "origin", "extra")
_RELATION_FIELDS = operator.attrgetter("source", "relation", "target")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the code an index is built by (`text/` and `matching/`): after an upgrade
    that changes how names are keyed, an index built by the old code is never loaded (a
    forgotten INDEX_FORMAT bump would otherwise find old keys and miss names silently)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for folder in ("text", "matching"):
        for path in sorted((root / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def watchlist_digest(watchlist: Watchlist, settings: MatchSettings) -> str:
    """A hash of everything the index depends on. The fields are pickled without a memo
    (`fast`), so equal values always give equal bytes, whichever objects hold them; a
    million entities take under a second."""
    h = hashlib.sha256(f"{INDEX_FORMAT}|{code_digest()}|{settings!r}".encode())
    pickler = pickle.Pickler(_HashWriter(h), protocol=5)
    pickler.fast = True
    for items, fields in ((watchlist.entities, _ENTITY_FIELDS),
                          (watchlist.relations, _RELATION_FIELDS)):
        for k in range(0, len(items), 50_000):
            pickler.dump(list(map(fields, items[k:k + 50_000])))
        pickler.dump(None)
    return h.hexdigest()


def load_or_build(watchlist: Watchlist, settings: MatchSettings | None = None,
                  cache_dir: Path | None = None) -> Matcher:
    """The matcher for `watchlist`, from `cache_dir` when one was built for the same input."""
    settings = settings or MatchSettings()
    if cache_dir is None:
        return Matcher(watchlist, settings)
    path = index_path(watchlist, settings, cache_dir)
    if path.is_file():
        try:
            with path.open("rb") as fh, paused_gc():
                index = pickle.load(fh)  # our own file, named by a hash of its input
            log.info("matching.index_cache_hit path=%s", path)
            path.touch()  # recently used: kept by `_prune`
            return Matcher(watchlist, settings, index=index)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
            log.warning("matching.index_cache_unreadable path=%s reason=%s", path, exc)
    with paused_gc():
        matcher = Matcher(watchlist, settings)
    _write(matcher, path)
    return matcher


def index_path(watchlist: Watchlist, settings: MatchSettings, cache_dir: Path) -> Path:
    """Where the index built for this watchlist and these settings is cached."""
    return cache_dir / f"index-{watchlist_digest(watchlist, settings)[:32]}.pickle"


def save_index(matcher: Matcher, cache_dir: Path) -> Path:
    """Put a matcher already built into the cache (unless it is there), so that other
    processes (the workers of a backfill) load it instead of building it again."""
    path = index_path(matcher.watchlist, matcher.settings, cache_dir)
    if path.is_file():
        path.touch()
    else:
        _write(matcher, path)
    return path


def _write(matcher: Matcher, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(matcher.index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError as exc:
        log.warning("matching.index_cache_not_written path=%s reason=%s", path, exc)


def _prune(cache_dir: Path, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently used index files: every watchlist edit makes
    a new one (a million names: about 150 MB)."""
    files = sorted(cache_dir.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in files[keep:]:
        try:
            old.unlink()
            log.info("matching.index_cache_pruned path=%s", old)
        except OSError as exc:
            log.warning("matching.index_cache_not_pruned path=%s reason=%s", old, exc)
