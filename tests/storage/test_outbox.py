"""The outbox on SQLite and PostgreSQL: deliveries stored with the alert change, routing,
retries with backoff, partial sends, digests, leases and coalesced updates. The channels here
are hand-written fakes at the channel seam (real channels: tests/channels/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sanctionwatch.channels.base import Route
from sanctionwatch.delivery import Delivery
from sanctionwatch.errors import ChannelError, StorageError
from sanctionwatch.storage import deliveries as dv
from sanctionwatch.storage import outbox as ob
from sanctionwatch.storage import schema
from sanctionwatch.storage.alerts import change_status
from sanctionwatch.storage.store import Store
from sanctionwatch.types import AlertIntent, ArticleData

NOW = datetime(2022, 12, 22, 12, 10, tzinfo=UTC)


def intent(n: int, severity: str = "high", type_: str = "designation") -> AlertIntent:
    return AlertIntent(type=type_, severity=severity, entity_ids=(f"e{n}",),
                       roles=(("target", f"e{n}"),), evidence=f"E{n} is designated.",
                       evidence_start=0, evidence_end=16, rule_id="designation.announced",
                       rule_version=1, why="trigger", phase="announced")


class Fake:
    """Records what it is asked to send; `fail_after` makes the n-th alert fail."""

    def __init__(self, name: str, fail_after: int | None = None):
        self.name, self.fail_after = name, fail_after
        self.sent: list[int] = []
        self.digests: list[tuple[list[int], datetime, datetime]] = []
        self.during_send = None

    def send(self, alerts):
        if self.during_send:
            self.during_send()
        for n, a in enumerate(alerts):
            if self.fail_after is not None and len(self.sent) >= self.fail_after:
                err = ChannelError(f"{self.name} is down")
                err.sent = n
                raise err
            self.sent.append(a.id)

    def send_digest(self, alerts, start, end):
        self.digests.append(([a.id for a in alerts], start, end))


def route(name: str, min_severity: str = "low", types=(), events=("new", "update"),
          digest=None) -> dv.OutboxRoute:
    return dv.OutboxRoute(name, Route(min_severity, tuple(types)).wants, frozenset(events),
                          digest)


class Box:
    """The delivery worker over `store` with the given settings, handed the channels of each
    round (the fakes change between rounds here)."""

    def __init__(self, store: Store, **settings):
        self.store, self.settings = store, settings

    def deliver_due(self, channels, now):
        return Delivery(self.store, channels, **self.settings).deliver_due(now)


def rows(store: Store) -> list:
    with store.transaction() as conn:
        return conn.execute(sa.select(schema.deliveries).order_by(schema.deliveries.c.id)).all()


def ingest(store: Store, key: str, intents, now=NOW, story_id=None):
    return store.ingest(ArticleData("wire", key, f"text of {key}"), (), intents, now,
                        story_id=story_id)


def test_routes_pick_channels_by_severity_type_and_event(db_url):
    store = Store(db_url, routes=[route("all"), route("high", "high"),
                      route("support", types=("support_network",)),
                      route("esc", events=("escalated",))])
    _, alerts = ingest(store, "a", [intent(1, "medium"), intent(2, "critical"),
                                    intent(3, "low", "support_network")])
    got = {(d.alert_id, d.channel) for d in rows(store)}
    a1, a2, a3 = (a.id for a in alerts)
    assert got == {(a1, "all"), (a2, "all"), (a2, "high"), (a3, "all"), (a3, "support")}
    change_status(store, a1, "escalated", actor="ana", note="check", now=NOW)
    assert [(d.alert_id, d.reason) for d in rows(store) if d.channel == "esc"] == \
        [(a1, "escalated")]
    store.close()


def test_a_failed_alert_change_leaves_no_delivery_and_no_alert(db_url):
    def wants(alert):
        if alert.intent.entity_ids == ("e2",):
            raise StorageError("routing failed")
        return True

    store = Store(db_url, routes=[dv.OutboxRoute("c", wants)])
    with pytest.raises(StorageError):
        ingest(store, "a", [intent(1), intent(2)])
    assert rows(store) == [] and store.list_alerts() == [] and store.count_articles() == 0
    store.close()


def test_sent_once_retried_with_backoff_and_never_again_after_restart(db_url):
    store = Store(db_url, routes=[route("ok"), route("down")])
    box = Box(store, retry_base=timedelta(seconds=30), retry_max=timedelta(minutes=2))
    ingest(store, "a", [intent(n) for n in range(5)])
    ok, down = Fake("ok"), Fake("down", fail_after=2)
    report = box.deliver_due({"ok": ok, "down": down}, NOW)
    assert report.sent == {"ok": 5, "down": 2} and report.failed == {"down": 3}
    assert "down is down" in report.errors[0]
    assert len(ok.sent) == 5 and len(down.sent) == 2
    # Backoff: 30 s, 60 s, 120 s, then capped at 2 min.
    down.fail_after = 0
    t = NOW
    for wait in (30, 60, 120, 120):
        assert box.deliver_due({"ok": ok, "down": down}, t + timedelta(seconds=wait - 1)) \
            .total_sent == 0
        t += timedelta(seconds=wait)
        report = box.deliver_due({"ok": ok, "down": down}, t)
        assert report.failed == {"down": 3}
    pending = [d for d in rows(store) if d.status == "pending"]
    assert {(d.channel, d.attempts) for d in pending} == {("down", 5)}
    state = {s.channel: s for s in ob.queue_state(store)}
    assert (state["down"].pending, state["down"].failing, state["down"].sent) == (3, 3, 2)
    assert state["ok"].sent == 5 and "down is down" in state["down"].last_error
    store.close()
    # A restart: new store, outbox and channels; the channel is back.
    store = Store(db_url, routes=[route("ok"), route("down")])
    box = Box(store)
    ok2, down2 = Fake("ok"), Fake("down")
    assert ob.retry_now(store, t) == 3
    report = box.deliver_due({"ok": ok2, "down": down2}, t)
    assert report.sent == {"down": 3} and ok2.sent == []
    assert sorted(down.sent[:2] + down2.sent) == sorted(a.id for a in store.list_alerts())
    assert box.deliver_due({"ok": ok2, "down": down2}, t + timedelta(days=9)).total_sent == 0
    store.close()


def test_digest_waits_for_the_end_of_the_period_and_sends_one_summary(db_url):
    store = Store(db_url, routes=[route("hourly", digest="hourly"), route("now")])
    box = Box(store)
    ingest(store, "a", [intent(1), intent(2)], NOW)
    ingest(store, "b", [intent(3)], NOW + timedelta(minutes=30))
    ingest(store, "c", [intent(4)], NOW + timedelta(minutes=55))  # 13:05: the next hour
    hourly, now_ = Fake("hourly"), Fake("now")
    channels = {"hourly": hourly, "now": now_}
    box.deliver_due(channels, NOW + timedelta(minutes=49))
    assert hourly.digests == [] and len(now_.sent) == 3
    box.deliver_due(channels, datetime(2022, 12, 22, 13, 0, tzinfo=UTC))
    start = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)
    assert [(len(ids), s, e) for ids, s, e in hourly.digests] == \
        [(3, start, start + timedelta(hours=1))]
    box.deliver_due(channels, datetime(2022, 12, 22, 14, 0, tzinfo=UTC))
    assert [len(ids) for ids, _, _ in hourly.digests] == [3, 1] and len(now_.sent) == 4
    assert dv.period(NOW, "daily") == (datetime(2022, 12, 22, tzinfo=UTC),
                                       datetime(2022, 12, 23, tzinfo=UTC))
    with pytest.raises(ValueError, match="digest must be one of"):
        route("x", digest="weekly")
    store.close()


def test_a_leased_delivery_is_not_sent_by_a_second_worker(db_url):
    store = Store(db_url, routes=[route("c")])
    other = Store(db_url, routes=[route("c")])   # a second worker, its own connections
    first, second = Box(store), Box(other)
    ingest(store, "a", [intent(1), intent(2)])
    inner = Fake("c")
    outer = Fake("c")
    reports = []
    outer.during_send = lambda: reports.append(second.deliver_due({"c": inner}, NOW))
    first.deliver_due({"c": outer}, NOW)
    assert reports[0].total_sent == 0 and inner.sent == []
    assert len(outer.sent) == 2
    other.close()
    store.close()


def test_an_update_while_a_delivery_waits_is_carried_by_it(db_url):
    store = Store(db_url, routes=[route("c")], group_window=timedelta(hours=24))
    box = Box(store)
    ingest(store, "a", [intent(1, "medium")])
    ingest(store, "b", [intent(1, "high")], NOW + timedelta(minutes=5))
    assert [d.reason for d in rows(store)] == ["new"]  # the waiting one carries the update
    c = Fake("c")
    box.deliver_due({"c": c}, NOW + timedelta(minutes=6))
    ingest(store, "c", [intent(1, "critical")], NOW + timedelta(minutes=7))
    assert [(d.reason, d.status) for d in rows(store)] == [("new", "sent"),
                                                           ("update", "pending")]
    assert "severity high → critical" in rows(store)[1].note
    store.close()
