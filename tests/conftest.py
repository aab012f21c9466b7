"""Shared fixtures. Storage tests run on a real SQLite file, and also on PostgreSQL when
SANCTIONWATCH_TEST_POSTGRES_URL is set (`.ci/run` sets it to the local server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_28478a00887480cc.txt"
DATA = Path(__file__).resolve().parent / "data"
PG_ENV = "SANCTIONWATCH_TEST_POSTGRES_URL"

_BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_text() -> str:
    with SEED.open(encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.fixture(scope="session")
def watchlist():
    from sanctionwatch.watchlist.csvfile import load_watchlist

    return load_watchlist(REPO / "watchlist")


@pytest.fixture(scope="session")
def rules():
    from sanctionwatch.rules.loader import load_rules

    return load_rules([REPO / "rules"])


@pytest.fixture(scope="session")
def analyzer(watchlist, rules):
    from sanctionwatch.analysis import Analyzer

    return Analyzer(watchlist, rules)


@pytest.fixture(params=_BACKENDS)
def db_url(request, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
