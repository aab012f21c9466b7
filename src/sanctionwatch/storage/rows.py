"""Rows to domain objects and back, shared by the storage modules (no module here imports
`store.py` at run time, so that `store.py` can use them all)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.types import STORED, Alert, AlertIntent, Article, ArticleData, Feature, Mention


def _insert_ignore(conn: Connection, table: sa.Table, values: dict, keys: list[str]) -> bool:
    """Insert a row unless one with the same `keys` exists; True when inserted."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    stmt = stmt.returning(*(table.c[k] for k in keys))
    return conn.execute(stmt).first() is not None


def _mention_json(m: Mention) -> dict:
    return {"entity_id": m.entity_id, "start": m.start, "end": m.end, "matched": m.matched,
            "score": m.score, "kind": m.kind, "alias": m.alias, "explanation": m.explanation}


def _article(row) -> Article:
    return Article(row.id, ArticleData(row.source, row.external_id, row.text, row.title,
                                       row.url, row.published), row.fetched)


def _alert(row) -> Alert:
    spans = row.spans if isinstance(row.spans, list) else json.loads(row.spans)
    mentions = tuple(Mention(s["entity_id"], s["start"], s["end"], s["matched"], s["score"],
                             s["alias"], s["kind"], (Feature(STORED, s["score"],
                                                             s["explanation"]),))
                     for s in spans)
    intent = AlertIntent(
        type=row.type, severity=row.severity, entity_ids=tuple(row.entity_ids),
        roles=tuple((r[0], r[1]) for r in row.roles), evidence=row.evidence,
        evidence_start=row.evidence_start, evidence_end=row.evidence_end,
        rule_id=row.rule_id, rule_version=row.rule_version, why=row.why, phase=row.phase,
        message=row.message, mentions=mentions,
    )
    mapping = row._mapping
    document = ""
    if "source" in mapping:
        document = f"{mapping['source']}:{mapping['external_id']}"
    extra = {"assignee": mapping["assignee"]} if "assignee" in mapping else {}
    return Alert(row.id, intent, row.article_id, row.status, row.created, row.updated, document,
                 extra)
