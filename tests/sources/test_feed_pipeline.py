"""Feeds through the pipeline into a real store: copies of one wire story from four outlets
form one story with one alert listing every source; a failing source never stops the others
and backs off; a second cycle adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sanctionwatch.errors import SourceError
from sanctionwatch.pipeline import Policy, run_cycle
from sanctionwatch.sources.feed import FeedSource
from sanctionwatch.sources.http import HttpSettings
from sanctionwatch.storage import schema as t
from sanctionwatch.storage import source_state, stories
from sanctionwatch.storage.store import Store

FAST = HttpSettings(timeout=0.5, deadline=2.0, max_bytes=256 * 1024)
T0 = datetime(2023, 1, 20, 19, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def _feeds(server):
    return [FeedSource("capital", server.url("/feeds/outlet_a.rss"), FAST),
            FeedSource("courier", server.url("/feeds/outlet_b.atom"), FAST),
            FeedSource("ledger", server.url("/feeds/outlet_c.rss"), FAST),
            FeedSource("aggregator", server.url("/feeds/aggregator_copy.rss"), FAST)]


def test_copies_of_a_wire_story_raise_one_alert_listing_every_source(feed_server, store,
                                                                     analyzer):
    reports = run_cycle(_feeds(feed_server), store, analyzer, Clock(T0))
    assert all(r.ok for r in reports), [r.problems for r in reports]
    by = {r.source: r for r in reports}
    assert by["courier"].joined == 1 and by["ledger"].joined == 1
    assert by["aggregator"].copies == 1 and by["aggregator"].articles_new == 0
    alerts = [a for r in reports for a in r.alerts]
    keys = [a.intent.key for a in alerts]
    assert len(keys) == len(set(keys)), "an alert was raised twice for one story"
    (announced,) = [a for a in alerts if a.intent.type == "designation"
                    and a.intent.phase == "announced"]
    assert announced.intent.entity_ids == ("wagner-group",)
    carriers = stories.alert_carriers(store, announced.id)
    assert [(c.source, c.copy) for c in carriers] == [
        ("capital", False), ("courier", False), ("ledger", False), ("aggregator", True)]
    assert carriers[3].url == "https://aggregator.example/r/77"
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.articles.c.source, t.articles.c.title,
                                      t.articles.c.story_id)).all()
    wagner = {r.story_id for r in rows if "Wagner" in r.title}
    assert len(wagner) == 1, "the three copies should form one story"
    others = [r.story_id for r in rows if "Wagner" not in r.title]
    assert len(set(others)) == len(others) == 3, "unrelated articles stay apart"

    again = run_cycle(_feeds(feed_server), store, analyzer, Clock(T0 + timedelta(hours=1)))
    assert sum(r.articles_new for r in again) == 0
    assert sum(len(r.alerts) for r in again) == 0
    assert store.count_articles() == 6


def test_failing_source_backs_off_and_never_stops_the_others(feed_server, store, analyzer):
    clock = Clock(T0)
    policy = Policy(backoff_base=60, backoff_max=600)
    bomb = "/dyn/bomb.xml"
    feed_server.dynamic[bomb] = ((feed_server_feed("billion_laughs.xml")), "application/xml")
    sources = [FeedSource("hostile", feed_server.url(bomb), FAST),
               FeedSource("down", "http://127.0.0.1:9/rss", FAST),
               FeedSource("capital", feed_server.url("/feeds/outlet_a.rss"), FAST)]
    first = {r.source: r for r in run_cycle(sources, store, analyzer, clock, policy)}
    assert "hostile XML" in first["hostile"].failed
    assert "127.0.0.1:9" in first["down"].failed
    assert first["capital"].ok and first["capital"].articles_new == 3
    state = source_state.get_state(store, "hostile")
    assert (state.failures, state.backoff_until) == (1, T0 + timedelta(seconds=60))
    assert "hostile XML" in state.last_error and state.last_success is None

    clock.at = T0 + timedelta(seconds=30)
    hits = len(feed_server.hits(bomb))
    second = {r.source: r for r in run_cycle(sources, store, analyzer, clock, policy)}
    assert second["hostile"].skipped.startswith("backing off until")
    assert len(feed_server.hits(bomb)) == hits, "a source backing off is not fetched"

    clock.at = T0 + timedelta(seconds=61)
    run_cycle(sources, store, analyzer, clock, policy)
    state = source_state.get_state(store, "hostile")
    assert (state.failures, state.backoff_until) == (2, clock.at + timedelta(seconds=120))

    feed_server.dynamic[bomb] = (feed_server_feed("outlet_c.rss"), "application/rss+xml")
    clock.at += timedelta(seconds=121)
    fixed = {r.source: r for r in run_cycle(sources, store, analyzer, clock, policy)}
    assert fixed["hostile"].ok and fixed["hostile"].articles_new == 1
    state = source_state.get_state(store, "hostile")
    assert (state.failures, state.backoff_until, state.last_success) == (0, None, clock.at)
    assert state.items_seen == 1


class Exploding:
    """A hand-written fake source with a bug."""

    name = "buggy"

    def fetch(self, seen):
        yield from ()
        raise KeyError("a bug in a source")


class Failing:
    name = "failing"

    def fetch(self, seen):
        raise SourceError("upstream said no")


def test_a_bug_in_one_source_is_contained(feed_server, store, analyzer):
    sources = [Exploding(), Failing(), FeedSource("ledger", feed_server.url("/feeds/outlet_c.rss"),
                                                  FAST)]
    reports = {r.source: r for r in run_cycle(sources, store, analyzer, Clock(T0))}
    assert reports["buggy"].failed == "unexpected KeyError: 'a bug in a source'"
    assert reports["failing"].failed == "upstream said no"
    assert reports["ledger"].articles_new == 1 and reports["ledger"].ok
    assert source_state.get_state(store, "buggy").failures == 1


def feed_server_feed(name: str) -> bytes:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "data" / "feeds" / name).read_bytes()
