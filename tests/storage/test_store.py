"""The store on a real SQLite file and, when configured, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from sanctionwatch.errors import StorageError
from sanctionwatch.storage import schema
from sanctionwatch.storage.store import AlertFilter, Store
from sanctionwatch.types import ArticleData

NOW = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)


def test_ingest_is_idempotent_and_keeps_evidence(db_url, analyzer, seed_text):
    store = Store(db_url)
    data = ArticleData("seeds", "000.txt", seed_text)
    result = analyzer.analyze(seed_text)
    article, created = store.ingest(data, result.mentions, result.intents, NOW)
    assert created and len(created) == len(result.intents)
    again, created_again = store.ingest(data, result.mentions, result.intents, NOW)
    assert again.id == article.id
    assert created_again == []
    assert store.count_articles() == 1
    alerts = store.list_alerts()
    assert len(alerts) == len(result.intents)
    designation = store.list_alerts(AlertFilter(type="designation"))[0]
    assert designation.intent.phase == "announced"
    assert designation.intent.entity_ids == ("wagner-group",)
    assert designation.created == NOW
    ev = designation.intent
    assert seed_text[ev.evidence_start:ev.evidence_end] == ev.evidence
    assert all(seed_text[m.start:m.end] == m.matched for m in ev.mentions)
    assert store.list_alerts(AlertFilter(entity_id="north-korea"))
    assert not store.list_alerts(AlertFilter(status="dismissed"))
    assert len(store.mentions_of(article.id)) == len(result.mentions)
    store.close()


def test_reopening_keeps_data_and_schema_version(db_url, analyzer, seed_text):
    store = Store(db_url)
    store.ingest(ArticleData("s", "1", seed_text), (), (), NOW)
    store.close()
    reopened = Store(db_url)
    assert reopened.schema_version == schema.LATEST
    assert reopened.count_articles() == 1
    reopened.close()


def test_seen_items_round_trip(db_url):
    store = Store(db_url)
    store.mark_seen("folder", "a.txt", "h1", NOW)
    store.mark_seen("folder", "a.txt", "h2", NOW)
    store.mark_seen("other", "a.txt", "x", NOW)
    assert store.seen_items("folder") == {"a.txt": "h2"}
    store.close()


def test_naive_datetimes_are_refused(db_url, seed_text):
    store = Store(db_url)
    with pytest.raises(StorageError):
        store.ingest(ArticleData("s", "1", seed_text), (), (), datetime(2022, 1, 1))
    assert store.count_articles() == 0, "a failed ingest must leave nothing behind"
    store.close()


def test_unreachable_database_is_a_storage_error(tmp_path):
    with pytest.raises(StorageError, match="cannot open database"):
        Store(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")


def test_old_database_gains_new_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        schema.schema_version.create(conn)
        schema.articles.create(conn)
        conn.execute(schema.schema_version.insert().values(version=1, applied=NOW))
    engine.dispose()
    store = Store(url)
    with store.engine.connect() as conn:
        assert sa.inspect(conn).has_table("alerts")
        assert sa.inspect(conn).has_table("alert_events")
    store.close()


def test_a_copy_of_a_story_adds_a_source_not_an_alert(db_url, analyzer, seed_text):
    store = Store(db_url)
    result = analyzer.analyze(seed_text)
    first, created = store.ingest(ArticleData("a", "1", seed_text), result.mentions,
                                  result.intents, NOW)
    copy = ArticleData("b", "2", seed_text + "\n(Reuters)")
    _second, again = store.ingest(copy, result.mentions, result.intents, NOW, story_id=first.id)
    assert again == []
    sources = store.alert_sources(created[0].id)
    assert [a.data.source for a in sources] == ["a", "b"]
    store.close()
