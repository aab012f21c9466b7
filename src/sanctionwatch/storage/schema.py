"""Tables and migrations. Portable SQL only: the same code runs on SQLite and PostgreSQL.

The schema is versioned in `schema_version`; `migrate` creates a new database and upgrades an
old one step by step, each step in its own transaction. To change the schema, add a step to
`MIGRATIONS` (never edit a released step).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied", UTCDateTime, nullable=False),
)

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("external_id", sa.String(2000), nullable=False),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("published", UTCDateTime, nullable=True),
    sa.Column("fetched", UTCDateTime, nullable=False),
    # The story (cluster of copies of one report) the article belongs to: the id of the
    # story's first article. Alerts are raised once per story.
    sa.Column("story_id", sa.Integer, nullable=True, index=True),
)

mentions = sa.Table(
    "mentions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("entity_id", sa.String(200), nullable=False, index=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("matched", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
)

alerts = sa.Table(
    "alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dedupe_key", sa.String(600), nullable=False, unique=True),
    sa.Column("type", sa.String(40), nullable=False, index=True),
    sa.Column("phase", sa.String(20), nullable=True),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default="new", index=True),
    sa.Column("entity_ids", sa.JSON, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("spans", sa.JSON, nullable=False),
    sa.Column("rule_id", sa.String(200), nullable=False),
    sa.Column("rule_version", sa.Integer, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("created", UTCDateTime, nullable=False, index=True),
    sa.Column("updated", UTCDateTime, nullable=False),
    # Triage and grouping (issue 7, schema step 2): who handles the alert, and the intent key
    # without the story (type|phase|roles|entities) that groups alerts within a time window.
    sa.Column("assignee", sa.String(200), nullable=True),
    sa.Column("group_key", sa.String(600), nullable=True, index=True),
)

# Every article of a story that carried an alert (the alert's sources).
alert_articles = sa.Table(
    "alert_articles", metadata,
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("added", UTCDateTime, nullable=False),
)

alert_events = sa.Table(
    "alert_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("from_status", sa.String(20), nullable=True),
    sa.Column("to_status", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
)

source_items = sa.Table(
    "source_items", metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("item_key", sa.String(2000), primary_key=True),
    sa.Column("fingerprint", sa.String(200), nullable=False),
    sa.Column("seen", UTCDateTime, nullable=False),
)

# The outbox: one row per (alert change, channel), written in the same transaction as the
# alert change; a worker sends it and marks it sent (storage/outbox.py).
deliveries = sa.Table(
    "deliveries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False, index=True),
    sa.Column("channel", sa.String(200), nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),  # new, update, escalated
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False),  # pending, sent
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt", UTCDateTime, nullable=False),
    sa.Column("lease_until", UTCDateTime, nullable=True),
    sa.Column("digest_start", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=False, default=""),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("sent", UTCDateTime, nullable=True),
    sa.Index("ix_deliveries_due", "status", "next_attempt"),
)

# A designation reported in the news and the official-list change that confirms it
# (storage/corroboration.py): one row per pair, written when the later of the two is raised.
alert_links = sa.Table(
    "alert_links", metadata,
    sa.Column("news_id", sa.Integer, sa.ForeignKey("alerts.id"), primary_key=True),
    sa.Column("list_id", sa.Integer, sa.ForeignKey("alerts.id"), primary_key=True,
              index=True),
    sa.Column("list_name", sa.String(200), nullable=False),
    sa.Column("list_date", sa.String(40), nullable=False, default=""),
    sa.Column("change", sa.String(40), nullable=False),
    sa.Column("detail", sa.String(200), nullable=False, default=""),
    sa.Column("at", UTCDateTime, nullable=False),
)

# Suppressions made when analysts dismiss noise: an entity plus an evidence pattern or a source,
# until an expiry. Removing one keeps the row (removed, removed_by) for the audit.
suppressions = sa.Table(
    "suppressions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(200), nullable=False, index=True),
    sa.Column("pattern", sa.Text, nullable=True),
    sa.Column("source", sa.String(500), nullable=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=True),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("expires", UTCDateTime, nullable=True),
    sa.Column("removed", UTCDateTime, nullable=True),
    sa.Column("removed_by", sa.String(200), nullable=True),
)

# -- the daemon (issue 6): source health, near-duplicate signatures, exact copies ----------

# One row per source: when it last ran, succeeded or failed, and until when it backs off.
source_state = sa.Table(
    "source_state", metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("last_run", UTCDateTime, nullable=True),
    sa.Column("last_success", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=False, default=""),
    sa.Column("last_error_at", UTCDateTime, nullable=True),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("backoff_until", UTCDateTime, nullable=True),
    sa.Column("items_seen", sa.Integer, nullable=False, default=0),
    sa.Column("articles_new", sa.Integer, nullable=False, default=0),
)

# An article's MinHash signature (dedupe.py) and its number of distinct shingles.
article_signatures = sa.Table(
    "article_signatures", metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Column("shingles", sa.Integer, nullable=False),
)

# LSH bucket keys (one per signature band, one for the canonical URL): articles sharing a key
# are near-duplicate candidates.
dedupe_keys = sa.Table(
    "dedupe_keys", metadata,
    sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)

# Another source carrying an article already stored with exactly the same title and text.
article_copies = sa.Table(
    "article_copies", metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("external_id", sa.String(2000), primary_key=True),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("seen", UTCDateTime, nullable=False),
)

# Small facts about the running daemon (e.g. the watchlist version it loaded).
daemon_state = sa.Table(
    "daemon_state", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
)

# -- the watchlist lifecycle (issue 4): versions of the curated watchlist and list snapshots --

# One row per distinct content loaded: `list_name` is "curated" or an official list's name.
# `snapshot` is the zlib-compressed canonical JSON (watchlist/versions.py).
watchlist_versions = sa.Table(
    "watchlist_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_name", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("list_date", sa.String(40), nullable=False, default=""),
    sa.Column("source", sa.Text, nullable=False, default=""),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("changes", sa.Text, nullable=False, default=""),
    sa.Column("entities", sa.Integer, nullable=False),
    sa.Column("aliases", sa.Integer, nullable=False),
    sa.Column("relations", sa.Integer, nullable=False),
    sa.Column("snapshot", sa.LargeBinary, nullable=False),
)

# Alerts raised by re-screening stored articles after a watchlist version added names.
rescreen_alerts = sa.Table(
    "rescreen_alerts", metadata,
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("watchlist_versions.id"),
              nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
)


# Re-screening as a durable job (issue 16): one row per watchlist, list or rule version that
# stored articles must be checked against again, and per `sanctionwatch rescreen`. `pending`
# until done: whoever opens the app next completes it. `version_id` is the version that
# added names (kind watchlist or list; `previous_id` the one before it, none for a first
# import); `rules` names the rule files' fingerprint (kind rules).
rescreen_jobs = sa.Table(
    "rescreen_jobs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("watchlist_versions.id"), nullable=True),
    sa.Column("previous_id", sa.Integer, sa.ForeignKey("watchlist_versions.id"), nullable=True),
    sa.Column("rules", sa.String(64), nullable=False, default=""),
    sa.Column("since", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("finished", UTCDateTime, nullable=True),
    sa.Column("articles", sa.Integer, nullable=False, default=0),
    sa.Column("alerts", sa.Integer, nullable=False, default=0),
    sa.Column("note", sa.Text, nullable=False, default=""),
)

# -- the web triage page (issue 8): users, sign-in attempts, sessions -------------------------

# People who sign in to the web page. `role` is "viewer" (reads) or "analyst" (also triages);
# `password_hash` is an Argon2id hash (storage/users.py), never the password.
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

# Every sign-in attempt (for rate limiting and the record): failures per name and per client
# address within a window lock further attempts out.
login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("ok", sa.Boolean, nullable=False),
)

# Signed-in sessions: the cookie holds a random token, the table its keyed hash (a copy of
# the database gives no usable session), the CSRF token of the session and its expiry.
web_sessions = sa.Table(
    "web_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_name", sa.String(200), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("expires", UTCDateTime, nullable=False, index=True),
)

# -- the JSON API (issue 19): bearer tokens of client systems ---------------------------------

# One row per client: the token is shown once when made; the table keeps its SHA-256 (a copy of
# the database gives no usable token), its first characters to tell it apart, its role, when it
# was last used (to the minute) and when it was revoked.
api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("created", UTCDateTime, nullable=False),
    sa.Column("last_used", UTCDateTime, nullable=True),
    sa.Column("revoked", UTCDateTime, nullable=True),
)

# Indexes for the triage queue (counts by status and type; the source filter), schema step 3.
sa.Index("ix_alerts_status_type", alerts.c.status, alerts.c.type)
sa.Index("ix_articles_source", articles.c.source)
# The triage order (critical first, newest first within a severity), schema step 4.
sa.Index("ix_alerts_severity_id", alerts.c.severity, alerts.c.id)


def _v1(conn: Connection) -> None:
    """Version 1 is the first schema; its tables come from `metadata.create_all`."""


def _v2(conn: Connection) -> None:
    """alerts gains `assignee` and `group_key` (the intent key without the story). A database
    without an alerts table gets the whole table from `create_all` afterwards."""
    inspector = sa.inspect(conn)
    if not inspector.has_table("alerts"):
        return
    have = {c["name"] for c in inspector.get_columns("alerts")}
    if "assignee" not in have:
        conn.execute(sa.text("ALTER TABLE alerts ADD COLUMN assignee VARCHAR(200)"))
    if "group_key" in have:
        return
    conn.execute(sa.text("ALTER TABLE alerts ADD COLUMN group_key VARCHAR(600)"))
    conn.execute(sa.text("CREATE INDEX ix_alerts_group_key ON alerts (group_key)"))
    rows = conn.execute(sa.text("SELECT id, dedupe_key FROM alerts")).all()
    for row in rows:
        conn.execute(sa.text("UPDATE alerts SET group_key = :k WHERE id = :i"),
                     {"k": row.dedupe_key.split("|", 1)[-1], "i": row.id})


def _v3(conn: Connection) -> None:
    """Indexes for the web triage queue: alerts (status, type) and articles (source)."""
    inspector = sa.inspect(conn)
    if inspector.has_table("alerts"):
        conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_alerts_status_type "
                             "ON alerts (status, type)"))
    if inspector.has_table("articles"):
        conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_articles_source "
                             "ON articles (source)"))


def _v4(conn: Connection) -> None:
    """An index for the queue's triage order: alerts (severity, id)."""
    if sa.inspect(conn).has_table("alerts"):
        conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_alerts_severity_id "
                             "ON alerts (severity, id)"))


# Steps that change tables which already exist (add a column, an index ...): (version, step).
# New tables need no step: `migrate` creates every table of `metadata` that is missing.
MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _v1), (2, _v2), (3, _v3), (4, _v4))
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


MIGRATION_LOCK = 0x53574D494752  # PostgreSQL advisory lock key ("SWMIGR") of schema changes


def _serialised(conn: Connection) -> None:
    """Hold the schema lock until the transaction ends: two daemons started together on an
    empty database create the schema once, the second waits and finds it made. PostgreSQL:
    an advisory lock; SQLite: the write lock, taken at once (`BEGIN IMMEDIATE`), since the
    driver would otherwise run the DDL outside any transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    elif conn.dialect.name == "sqlite":
        dbapi = conn.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: sa.Engine) -> int:
    """Bring the database to the latest schema; returns the version it is at.

    A new database gets every table at once and is stamped with the latest version; an older
    one runs the steps it lacks, each in its own transaction, then gains any new tables. Every
    step holds the schema lock (`_serialised`).
    """
    with engine.begin() as conn:
        _serialised(conn)
        if current_version(conn) == 0 and not sa.inspect(conn).has_table("articles"):
            metadata.create_all(conn)
            conn.execute(schema_version.insert().values(version=LATEST,
                                                        applied=datetime.now(UTC)))
            return LATEST
    for version, step in MIGRATIONS:
        with engine.begin() as conn:
            _serialised(conn)
            if current_version(conn) >= version:
                continue
            step(conn)
            conn.execute(schema_version.insert().values(version=version,
                                                        applied=datetime.now(UTC)))
    with engine.begin() as conn:
        _serialised(conn)
        metadata.create_all(conn, checkfirst=True)
        return current_version(conn)
