"""Watchlist content as a version: a canonical serialisation, its hash and a summary.

The hash is over the canonical form (entities sorted by id, relations sorted), so saving the
same content again — another column order, other line endings, a re-sorted file — is not a
new version, while any change to an entity, alias, programme, extra column or relation is.
Snapshots are stored zlib-compressed JSON; the full SDN list packs into about 1 MB.
"""

from __future__ import annotations

import hashlib
import json
import zlib

from sanctionwatch.types import Entity, Relation, Watchlist

FORMAT = 1


def _entity_row(e: Entity) -> list:
    return [e.id, e.type, e.name, list(e.aliases), list(e.programs), list(e.countries),
            list(e.context), list(e.exclude), e.notes, [list(kv) for kv in e.extra], e.origin]


def _entity(row: list) -> Entity:
    return Entity(id=row[0], type=row[1], name=row[2], aliases=tuple(row[3]),
                  programs=tuple(row[4]), countries=tuple(row[5]), context=tuple(row[6]),
                  exclude=tuple(row[7]), notes=row[8],
                  extra=tuple((k, v) for k, v in row[9]), origin=row[10])


def canonical(watchlist: Watchlist) -> bytes:
    """The watchlist as canonical JSON bytes (sorted entities and relations)."""
    # One small json.dumps per row rather than one big call: the same bytes, but a thread
    # that scans articles meanwhile is never held up for the whole encoding (the GIL).
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = ",".join(dumps(_entity_row(e))
                    for e in sorted(watchlist.entities, key=lambda e: e.id))
    rels = ",".join(dumps([r.source, r.relation, r.target, r.notes]) for r in
                    sorted(watchlist.relations, key=lambda r: (r.source, r.relation, r.target,
                                                               r.notes)))
    return f'{{"format":{FORMAT},"entities":[{rows}],"relations":[{rels}]}}'.encode()


def content_hash(watchlist: Watchlist) -> str:
    """SHA-256 of the canonical form: equal for equal content, whatever the file layout."""
    return hashlib.sha256(canonical(watchlist)).hexdigest()


def pack(watchlist: Watchlist) -> tuple[bytes, str]:
    """(compressed snapshot, content hash) in one pass over the canonical form."""
    data = canonical(watchlist)
    return zlib.compress(data, 6), hashlib.sha256(data).hexdigest()


def unpack(blob: bytes) -> Watchlist:
    """The watchlist a `pack` snapshot holds."""
    doc = json.loads(zlib.decompress(blob).decode("utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"unknown watchlist snapshot format {doc.get('format')!r}")
    return Watchlist(tuple(_entity(r) for r in doc["entities"]),
                     tuple(Relation(*r) for r in doc["relations"]))


def summary(watchlist: Watchlist) -> str:
    """'62 entities, 410 aliases, 70 relations'."""
    aliases = sum(len(e.aliases) for e in watchlist.entities)
    return (f"{len(watchlist.entities)} entities, {aliases} aliases, "
            f"{len(watchlist.relations)} relations")
