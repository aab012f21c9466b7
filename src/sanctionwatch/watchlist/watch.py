"""When to reload the curated watchlist folder: the pure half of the watchlist watcher.

The adapter (`sanctionwatch.lifecycle.WatchlistWatcher`) hashes the raw bytes of the files on
each poll and asks `on_poll` what to do; after loading it reports the outcome to `on_load`.
A change is acted on once its bytes have stayed the same for one poll (`settle`), so a file
caught half-written by a spreadsheet never reaches validation. A broken edit is reported once
per distinct broken content; the version in force stays until a valid edit replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class Step(Enum):
    IDLE = "idle"      # nothing new on disk
    WAIT = "wait"      # new bytes: wait one poll for them to settle
    LOAD = "load"      # validate and load these bytes


class Outcome(Enum):
    SWAP = "swap"                  # valid new content: build and swap the analyser
    SAME = "same"                  # valid, same content as in force (re-saved, re-ordered)
    BROKEN = "broken"              # invalid, not reported yet: log and raise a system alert
    STILL_BROKEN = "still_broken"  # invalid, already reported


@dataclass(frozen=True, slots=True)
class WatchState:
    seen: str | None = None      # raw hash last acted on
    pending: str | None = None   # raw hash seen once, settling
    good: str | None = None      # content hash of the version in force
    broken: str | None = None    # raw hash of the broken content last reported

    @property
    def healthy(self) -> bool:
        return self.broken is None


def on_poll(state: WatchState, raw_hash: str, settle: bool = True) -> tuple[WatchState, Step]:
    """What one poll should do, given the hash of the files' bytes now."""
    if raw_hash == state.seen:
        return replace(state, pending=None), Step.IDLE
    if settle and raw_hash != state.pending:
        return replace(state, pending=raw_hash), Step.WAIT
    return replace(state, pending=None), Step.LOAD


def on_load(state: WatchState, raw_hash: str, content_hash: str | None
            ) -> tuple[WatchState, Outcome]:
    """The outcome of loading `raw_hash`: `content_hash` is None when it was invalid."""
    if content_hash is None:
        outcome = Outcome.STILL_BROKEN if state.broken == raw_hash else Outcome.BROKEN
        return replace(state, seen=raw_hash, broken=raw_hash), outcome
    outcome = Outcome.SAME if content_hash == state.good else Outcome.SWAP
    return replace(state, seen=raw_hash, good=content_hash, broken=None), outcome
