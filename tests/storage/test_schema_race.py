"""Two daemons starting together on an empty database create the schema once: neither dies
on the other's half-made tables (issue: hardening, item 9)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from sanctionwatch.storage import schema


def test_two_processes_migrating_an_empty_database_at_once_both_succeed(db_url):
    errors: list[BaseException] = []
    versions: list[int] = []
    for _round in range(3):
        engines = [sa.create_engine(db_url) for _ in range(2)]
        with engines[0].begin() as conn:  # empty again for each round
            schema.metadata.drop_all(conn)
        start = threading.Barrier(len(engines))

        def run(engine: sa.Engine, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                versions.append(schema.migrate(engine))
            except BaseException as exc:  # recorded and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(e,)) for e in engines]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        for e in engines:
            e.dispose()
    assert not errors, errors
    assert versions == [schema.LATEST] * 6
