"""The webhook channel against a real HTTP receiver on 127.0.0.1, alone and through the outbox:
a receiver that fails, hangs past the timeout, then recovers gets each alert exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sanctionwatch.channels.webhook import WebhookChannel
from sanctionwatch.delivery import Delivery
from sanctionwatch.errors import ChannelError
from sanctionwatch.storage import schema
from sanctionwatch.storage.deliveries import OutboxRoute
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ArticleData

NOW = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)


def test_json_payload_with_record_command_link_and_idempotency_key(receiver, make_alert):
    hook = WebhookChannel("hook", receiver.url, link="https://triage.example.org/a/{id}")
    hook.send([make_alert(7, delivery_id=41, reason="new")])
    hook.close()
    (headers, body), = receiver.received
    assert headers["Idempotency-Key"] == "sanctionwatch-41"
    assert headers["Content-Type"] == "application/json"
    assert body["event"] == "alert.new" and body["delivery_id"] == 41
    assert body["command"] == "sanctionwatch alerts show 7"
    assert body["link"] == "https://triage.example.org/a/7"
    rec = body["alert"]
    assert (rec["id"], rec["type"], rec["supporter"], rec["target"]) == \
        (7, "support_network", "north-korea", "wagner-group")
    assert [m["matched"] for m in rec["mentions"]] == ["Corée du Nord", "groupe Wagner"]


def test_slack_payload_highlights_the_evidence(receiver, make_alert):
    hook = WebhookChannel("slack", receiver.url, format="slack")
    hook.send([make_alert(7, reason="escalated")])
    hook.close()
    body = receiver.bodies()[0]
    assert body["text"].startswith("ESCALATED HIGH support_network")
    section = body["blocks"][0]["text"]
    assert section["type"] == "mrkdwn"
    assert "*Corée du Nord*" in section["text"] and "*groupe Wagner*" in section["text"]
    assert "`sanctionwatch alerts show 7`" in body["blocks"][2]["elements"][0]["text"]


def test_digest_is_one_request(receiver, make_alert):
    hook = WebhookChannel("hook", receiver.url)
    hook.send_digest([make_alert(i, delivery_id=i) for i in (1, 2, 3)], NOW,
                     NOW + timedelta(hours=1))
    hook.close()
    assert receiver.requests == 1
    body = receiver.bodies()[0]
    assert body["event"] == "alert.digest" and body["count"] == 3
    assert [a["id"] for a in body["alerts"]] == [1, 2, 3]


def test_failures_say_what_and_how_many_went_out(receiver, make_alert):
    receiver.plan = ["ok", "fail"]
    hook = WebhookChannel("hook", receiver.url, timeout=0.3)
    with pytest.raises(ChannelError, match="answered HTTP 500") as info:
        hook.send([make_alert(1), make_alert(2), make_alert(3)])
    assert info.value.sent == 1
    receiver.plan, receiver.hang_seconds = ["hang"], 1.0
    with pytest.raises(ChannelError, match=r"did not answer within 0\.3s"):
        hook.send([make_alert(4)])
    hook.close()
    with pytest.raises(ChannelError, match="url must start with http"):
        WebhookChannel("hook", "ftp://example.org")


def test_unreachable_receiver_is_a_channel_error(make_alert):
    hook = WebhookChannel("hook", "http://127.0.0.1:9/hook", timeout=1)
    with pytest.raises(ChannelError, match="cannot reach"):
        hook.send([make_alert()])
    hook.close()


def _deliveries(store: Store) -> list:
    with store.transaction() as conn:
        return conn.execute(sa.select(schema.deliveries).order_by(schema.deliveries.c.id)).all()


def test_failing_hanging_then_recovering_receiver_gets_each_alert_exactly_once(
        db_url, receiver, make_intent):
    route = OutboxRoute("hook", lambda a: True)
    store = Store(db_url, routes=[route])
    raised = []
    for k in range(3):
        _, created = store.ingest(ArticleData("wire", f"a{k}", f"story {k}"), (),
                                  [make_intent(n=k * 10 + j + 1) for j in range(10)], NOW)
        raised += [a.id for a in created]
    assert len(raised) == 30 and len(_deliveries(store)) == 30
    hook = WebhookChannel("hook", receiver.url, timeout=0.3)
    outbox = Delivery(store, {"hook": hook}, retry_base=timedelta(seconds=10),
                      retry_max=timedelta(seconds=60))
    receiver.hang_seconds = 1.0

    # 1. Each failure has its own schedule: one failed request never marks its neighbours
    #    failed. After three failures in a row the receiver counts as down: what was not tried
    #    waits for the channel's next attempt (10 s) with its attempt count unchanged.
    receiver.plan = ["ok"] * 4 + ["fail"] + ["ok"] * 2 + ["fail"] * 3
    r = outbox.deliver_due(NOW)
    assert (r.sent, r.failed) == ({"hook": 6}, {"hook": 4})
    waiting = [d for d in _deliveries(store) if d.status == "pending"]
    assert sorted(d.attempts for d in waiting) == [0] * 20 + [1] * 4
    assert {d.next_attempt for d in waiting} == {NOW + timedelta(seconds=10)}
    assert all("HTTP 500" in d.last_error for d in waiting if d.attempts)
    # Nothing is due before the backoff has passed: no request at all.
    before = receiver.requests
    assert outbox.deliver_due(NOW + timedelta(seconds=9)).total_sent == 0
    assert receiver.requests == before

    # 2. It takes 3, hangs past the timeout on one (a second failure: 20 s for that one
    #    alone), then takes the rest.
    receiver.plan = ["ok"] * 3 + ["hang"]
    t2 = NOW + timedelta(seconds=10)
    r = outbox.deliver_due(t2)
    assert (r.sent, r.failed) == ({"hook": 23}, {"hook": 1})
    assert "did not answer" in r.errors[0]
    (waiting,) = [d for d in _deliveries(store) if d.status == "pending"]
    assert (waiting.attempts, waiting.next_attempt) == (2, t2 + timedelta(seconds=20))

    # 3. A restart (new store and outbox objects), then the receiver recovers.
    hook.close()
    store.close()
    store = Store(db_url, routes=[route])
    hook = WebhookChannel("hook", receiver.url, timeout=2)
    outbox = Delivery(store, {"hook": hook})
    r = outbox.deliver_due(t2 + timedelta(seconds=20))
    assert (r.sent, r.failed) == ({"hook": 1}, {})

    # Exactly once: every alert, no repeat, and nothing is sent again later.
    got = [b["alert"]["id"] for b in receiver.bodies()]
    assert sorted(got) == sorted(raised)
    keys = [h["Idempotency-Key"] for h, _ in receiver.received]
    assert len(set(keys)) == len(keys) == 30
    requests = receiver.requests
    assert outbox.deliver_due(NOW + timedelta(days=1)).total_sent == 0
    assert receiver.requests == requests == 30 + 4 + 1  # + the failed and the hung requests
    assert all(d.status == "sent" for d in _deliveries(store))
    hook.close()
    store.close()
