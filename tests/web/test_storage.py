"""The web page's storage on SQLite and PostgreSQL: users (Argon2id hashes, roles), sign-in
attempts (rate limiting), sessions (keyed hashes, expiry), and the queue queries (keyset
pages, filters, counts, alerts per day, entity links, recent mentions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sanctionwatch.storage import alert_queue as aq
from sanctionwatch.storage import users as us
from sanctionwatch.storage.store import Store
from sanctionwatch.types import AlertIntent, ArticleData, Mention

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
SECRET = b"test secret"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_users_passwords_roles(store):
    alice = us.add_user(store, "alice", "analyst", "long enough", NOW)
    assert alice.can_triage and us.get_user(store, "alice").role == "analyst"
    with store.transaction() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert stored.startswith("$argon2id$") and "long enough" not in stored
    assert us.authenticate(store, "alice", "long enough") == alice
    assert us.authenticate(store, "alice", "long enougH") is None
    assert us.authenticate(store, "nobody", "long enough") is None
    for name, role, password, message in [
        ("alice", "viewer", "long enough", "exists already"),
        ("bob", "admin", "long enough", "role 'admin'"),
        ("bob", "viewer", "short", "at least 8"),
        ("../bob", "viewer", "long enough", "user name"),
        ("", "viewer", "long enough", "user name"),
    ]:
        with pytest.raises(us.UserError, match=message):
            us.add_user(store, name, role, password, NOW)
    viewer = us.set_role(store, "alice", "viewer")
    assert not viewer.can_triage
    assert [u.name for u in us.list_users(store)] == ["alice"]
    with pytest.raises(us.UserError, match="no such user"):
        us.set_role(store, "bob", "viewer")


def test_failed_sign_ins_are_counted_per_name_and_client(store):
    since = NOW - timedelta(minutes=15)
    for i in range(3):
        us.record_attempt(store, "alice", "10.0.0.1", False, NOW - timedelta(minutes=i))
    us.record_attempt(store, "alice", "10.0.0.1", False, NOW - timedelta(hours=1))  # too old
    us.record_attempt(store, "bob", "10.0.0.1", False, NOW)
    assert us.recent_failures(store, "alice", "10.0.0.1", since) == (3, 4)
    assert us.recent_failures(store, "alice", "10.0.0.2", since) == (3, 0)
    # A success resets the name's count (not the client's).
    us.record_attempt(store, "alice", "10.0.0.1", True, NOW + timedelta(seconds=1))
    assert us.recent_failures(store, "alice", "10.0.0.1", since) == (0, 4)


def test_sessions_are_stored_hashed_and_expire(store):
    user = us.add_user(store, "alice", "analyst", "long enough", NOW)
    token = us.create_session(store, SECRET, user, NOW, timedelta(hours=1))
    with store.transaction() as conn:
        row = conn.exec_driver_sql("SELECT token_hash, csrf FROM web_sessions").one()
    assert token not in row[0]
    session = us.get_session(store, SECRET, token, NOW + timedelta(minutes=59))
    assert session.user == user and session.csrf == row[1]
    assert us.get_session(store, b"another secret", token, NOW) is None
    assert us.get_session(store, SECRET, token + "x", NOW) is None
    assert us.get_session(store, SECRET, token, NOW + timedelta(hours=1)) is None
    us.end_session(store, SECRET, token)
    assert us.get_session(store, SECRET, token, NOW) is None


def _intent(kind: str, entities: tuple[str, ...], severity: str = "medium") -> AlertIntent:
    ev = f"{' and '.join(entities)} evidence {kind}"
    roles = (("target", entities[0]), ("supporter", entities[1])) if len(entities) > 1 \
        else (("target", entities[0]),)
    return AlertIntent(type=kind, severity=severity, entity_ids=entities, roles=roles,
                       evidence=ev, evidence_start=0, evidence_end=len(ev), rule_id=f"{kind}.t",
                       rule_version=1, why="test",
                       mentions=(Mention(entities[0], 0, len(entities[0]), entities[0], 1.0,
                                         entities[0], "exact"),))


def _fill(store, n: int = 30):
    """n alerts, one per article, one per day from NOW - n days; every third a
    support_network alert (wagner-group supported by north-korea), sources a/b."""
    ids = []
    for i in range(n):
        when = NOW - timedelta(days=n - i)
        if i % 3 == 0:
            intent = _intent("support_network", ("wagner-group", "north-korea"), "high")
        else:
            intent = _intent("designation", ("prigozhin_1%",))
        m = intent.mentions
        _, created = store.ingest(ArticleData("a" if i % 2 else "b", f"x{i}", f"text {i}",
                                              url=f"https://e.org/{i}"), m, [intent], when)
        ids.append(created[0].id)
    return ids


def test_queue_pages_filters_counts_and_days(store):
    ids = _fill(store)
    newest_first = sorted(ids, reverse=True)
    f = aq.QueueFilter()
    first = aq.page(store, f, size=7)
    assert [a.id for a in first.alerts] == newest_first[:7]
    assert first.newer is None and first.older == newest_first[6]
    walked, page = [], first
    while True:
        walked += [a.id for a in page.alerts]
        if page.older is None:
            break
        page = aq.page(store, f, before=page.older, size=7)
    assert walked == newest_first
    # From the last page, "newer" comes back to the page before it.
    back = aq.page(store, f, after=page.newer, size=7)
    assert [a.id for a in back.alerts] == newest_first[21:28]
    assert back.older == newest_first[27] and back.newer == newest_first[21]
    # Filters: entity ids with LIKE wildcards in them are matched literally.
    assert {a.id for a in aq.page(store, aq.QueueFilter(entity_id="prigozhin_1%")).alerts} == \
        {i for k, i in enumerate(ids) if k % 3}
    assert aq.page(store, aq.QueueFilter(entity_id="prigozhin_1")).alerts == []
    assert aq.page(store, aq.QueueFilter(entity_id="north")).alerts == []
    sources = aq.page(store, aq.QueueFilter(source="a"), size=100)
    assert {sources.sources[a.id] for a in sources.alerts} == {"a"}
    assert len(sources.alerts) == 15
    since = aq.page(store, aq.QueueFilter(since=NOW - timedelta(days=5)), size=100)
    assert len(since.alerts) == 5
    both = aq.page(store, aq.QueueFilter(type="support_network", severity="high",
                                         until=NOW - timedelta(days=15)), size=100)
    assert len(both.alerts) == 5
    c = aq.counts(store, aq.QueueFilter(type="support_network"))
    assert c.total == 10 and c.by_type == {"support_network": 10, "designation": 20}
    assert c.by_status == {"new": 30}
    c = aq.counts(store, aq.QueueFilter(source="b", status="new"))
    assert c.total == 15 and sum(c.by_type.values()) == 15
    days = aq.per_day(store, aq.QueueFilter(), NOW.date(), days=10)
    assert len(days) == 10 and days[-1] == (NOW.date(), 0)
    assert days[0][0] == date(2024, 3, 1) and sum(n for _, n in days) == 9
    assert aq.values(store, "source") == ["a", "b"]


def test_entity_alerts_and_recent_mentions(store):
    _fill(store, 9)
    links = aq.alerts_of(store, "north-korea", ("support_network",))
    assert len(links) == 3 and all(dict(a.intent.roles)["supporter"] == "north-korea"
                                   for a in links)
    mentions = aq.recent_mentions(store, "wagner-group", limit=2)
    assert len(mentions) == 2 and mentions[0].fetched > mentions[1].fetched
    assert mentions[0].url.startswith("https://e.org/")


def test_queue_in_triage_order_pages_by_severity_then_newest(store):
    """Critical first, newest first within a severity, with (rank, id) cursors both ways;
    counts by severity leave the severity filter out; assignee and any-of-entities filters."""
    ids = []
    for i, severity in enumerate(["low", "critical", "low", "high", "medium", "critical",
                                  "low", "high", "low"]):
        _, created = store.ingest(ArticleData("a", f"s{i}", f"severity text {i}"), [],
                                  [_intent("designation", ("wagner-group",), severity)],
                                  NOW + timedelta(minutes=i))
        ids.append((created[0].id, severity))
    rank = {s: n for n, s in enumerate(("low", "medium", "high", "critical"))}
    expected = [i for i, s in sorted(ids, key=lambda x: (rank[x[1]], x[0]), reverse=True)]
    f = aq.QueueFilter()
    walked, p = [], aq.page(store, f, size=4, order="severity")
    pages = [p]
    while True:
        walked += [a.id for a in p.alerts]
        if p.older is None:
            break
        p = aq.page(store, f, before=p.older, size=4, order="severity")
        pages.append(p)
    assert walked == expected and isinstance(pages[0].older, tuple)
    back = aq.page(store, f, after=pages[-1].newer, size=4, order="severity")
    assert [a.id for a in back.alerts] == [a.id for a in pages[-2].alerts]
    assert back.older == pages[-2].older
    c = aq.counts(store, aq.QueueFilter(severity="critical"))
    assert c.by_severity == {"low": 4, "medium": 1, "high": 2, "critical": 2}
    assert c.total == 2
    with pytest.raises(ValueError):
        aq.page(store, f, order="random")
    from sanctionwatch.storage import alerts as tr

    tr.add_note(store, ids[0][0], actor="alice", note="", now=NOW, assignee="bob")
    assert [a.id for a in aq.page(store, aq.QueueFilter(assignee="bob")).alerts] == [ids[0][0]]
    assert len(aq.page(store, aq.QueueFilter(assignee="")).alerts) == 8
    assert len(aq.page(store, aq.QueueFilter(entity_any=("north-korea", "wagner-group")))
               .alerts) == 9
    assert aq.page(store, aq.QueueFilter(entity_any=("north-korea",))).alerts == []
