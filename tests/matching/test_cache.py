"""The index cache: reused only for the same watchlist and settings, rebuilt when damaged."""

from __future__ import annotations

from sanctionwatch.matching.cache import load_or_build
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.types import Entity, Watchlist

WL = Watchlist((Entity("kratol", "organization", "KRATOL AVIATION"),
                Entity("p", "person", "PRIGOZHIN, Yevgeniy Viktorovich")))
TEXT = "Kratol Aviation flew for Yevgeniy Prigozhin."


def test_cache_is_written_reused_and_gives_the_same_mentions(tmp_path):
    first = load_or_build(WL, cache_dir=tmp_path)
    files = list(tmp_path.glob("index-*.pickle"))
    assert len(files) == 1
    again = load_or_build(WL, cache_dir=tmp_path)
    assert again.index is not first.index
    assert again.find(TEXT) == first.find(TEXT)
    assert {m.entity_id for m in again.find(TEXT)} == {"kratol", "p"}


def test_changed_watchlist_or_settings_use_another_file(tmp_path):
    load_or_build(WL, cache_dir=tmp_path)
    changed = Watchlist((*WL.entities, Entity("x", "organization", "SEWA SECURITY SERVICES")))
    m = load_or_build(changed, cache_dir=tmp_path)
    assert [x.entity_id for x in m.find("Sewa Security Services was named.")] == ["x"]
    load_or_build(WL, MatchSettings(threshold=0.9), cache_dir=tmp_path)
    assert len(list(tmp_path.glob("index-*.pickle"))) == 3


def test_damaged_cache_is_rebuilt(tmp_path):
    load_or_build(WL, cache_dir=tmp_path)
    (cache,) = tmp_path.glob("index-*.pickle")
    cache.write_bytes(b"not a pickle")
    m = load_or_build(WL, cache_dir=tmp_path)
    assert {x.entity_id for x in m.find(TEXT)} == {"kratol", "p"}


def test_digest_depends_on_values_not_on_which_objects_hold_them():
    from dataclasses import replace

    from sanctionwatch.matching.cache import watchlist_digest
    from sanctionwatch.matching.matcher import MatchSettings

    def wl(type_name: str) -> Watchlist:
        return Watchlist((Entity("a", type_name, "WAGNER GROUP", programs=("TCO",)),
                          Entity("b", type_name, "Utkin, Dmitriy")))

    s = MatchSettings()
    shared = wl("organization")
    fresh = wl("".join(["organ", "ization"]))  # equal strings, other objects
    assert watchlist_digest(shared, s) == watchlist_digest(fresh, s)
    e = shared.entities[0]
    for changed in (replace(e, aliases=("PMC WAGNER",)), replace(e, context=("Mali",)),
                    replace(e, exclude=("opera",)), replace(e, programs=("SDGT",)),
                    replace(e, type="other")):
        other = Watchlist((changed, shared.entities[1]))
        assert watchlist_digest(other, s) != watchlist_digest(shared, s)
    assert watchlist_digest(shared, MatchSettings(threshold=0.9)) != watchlist_digest(shared, s)


def test_only_the_most_recently_used_index_files_are_kept(tmp_path):
    import os

    from sanctionwatch.matching.cache import KEEP

    lists = [Watchlist((Entity(f"e{n}", "organization", f"KRATOL AVIATION {n}"),))
             for n in range(KEEP + 1)]
    for n, wl in enumerate(lists):  # one file per watchlist, oldest first
        before = set(tmp_path.glob("index-*.pickle"))
        load_or_build(wl, cache_dir=tmp_path)
        (new,) = set(tmp_path.glob("index-*.pickle")) - before
        os.utime(new, (1000 + n, 1000 + n))
    files = set(tmp_path.glob("index-*.pickle"))
    assert len(files) == KEEP  # the oldest went when the fifth was written
    load_or_build(lists[1], cache_dir=tmp_path)  # a hit: now the most recently used
    load_or_build(Watchlist((Entity("z", "organization", "SEWA SECURITY"),)),
                  cache_dir=tmp_path)
    after = set(tmp_path.glob("index-*.pickle"))
    assert len(after) == KEEP
    again = load_or_build(lists[1], cache_dir=tmp_path)
    assert set(tmp_path.glob("index-*.pickle")) == after  # still cached: nothing rebuilt
    assert [m.entity_id for m in again.find("Kratol Aviation 1 flew.")] == ["e1"]


def test_an_index_built_by_other_code_or_for_other_extra_data_is_not_reused(tmp_path,
                                                                           monkeypatch):
    """An upgrade that changes how names are keyed must not load an index of old keys; nor
    may a change of the weak aliases (kept in `extra`) be missed."""
    from sanctionwatch.matching import cache

    load_or_build(WL, cache_dir=tmp_path)
    weak = Watchlist((Entity("kratol", "organization", "KRATOL AVIATION",
                             extra=(("weak_aliases", "KRATOL"),)), WL.entities[1]))
    load_or_build(weak, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("index-*.pickle"))) == 2
    monkeypatch.setattr(cache, "code_digest", lambda: "other-code")
    load_or_build(WL, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("index-*.pickle"))) == 3
