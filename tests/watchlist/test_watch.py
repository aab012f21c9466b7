"""The watcher's pure decision: settle, load, swap, report a broken edit once."""

from __future__ import annotations

from sanctionwatch.watchlist.watch import Outcome, Step, WatchState, on_load, on_poll


def test_a_change_is_loaded_once_it_has_settled():
    s, _ = on_load(WatchState(), "raw1", "good1")
    s, step = on_poll(s, "raw1")
    assert step is Step.IDLE
    s, step = on_poll(s, "raw2")          # half-written? wait one poll
    assert step is Step.WAIT
    s, step = on_poll(s, "raw3")          # still changing: wait again
    assert step is Step.WAIT
    s, step = on_poll(s, "raw3")
    assert step is Step.LOAD
    s, outcome = on_load(s, "raw3", "good2")
    assert outcome is Outcome.SWAP and s.good == "good2" and s.healthy
    assert on_poll(s, "raw3")[1] is Step.IDLE


def test_without_settling_a_change_loads_at_once():
    s, _ = on_load(WatchState(), "raw1", "good1")
    assert on_poll(s, "raw2", settle=False)[1] is Step.LOAD


def test_same_content_saved_again_is_not_a_swap():
    s, _ = on_load(WatchState(), "raw1", "good1")
    s, outcome = on_load(s, "raw1-resaved", "good1")
    assert outcome is Outcome.SAME


def test_broken_edit_is_reported_once_and_the_good_version_stays():
    s, _ = on_load(WatchState(), "raw1", "good1")
    s, outcome = on_load(s, "broken1", None)
    assert outcome is Outcome.BROKEN and s.good == "good1" and not s.healthy
    assert on_poll(s, "broken1")[1] is Step.IDLE      # nothing new on disk
    s, outcome = on_load(s, "broken1", None)
    assert outcome is Outcome.STILL_BROKEN
    s, outcome = on_load(s, "broken2", None)          # another broken edit: reported
    assert outcome is Outcome.BROKEN
    s, outcome = on_load(s, "fixed", "good2")
    assert outcome is Outcome.SWAP and s.healthy and s.broken is None
