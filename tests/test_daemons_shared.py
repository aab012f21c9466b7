"""Several daemons on one database (storage/leases.py, scheduler.py).

SQLite: a second daemon on the same file is refused and says why. PostgreSQL (when
SANCTIONWATCH_TEST_POSTGRES_URL is set): two `sanctionwatch run` processes over the same
sources, one killed with SIGKILL half-way: every article is stored once, every alert raised
once, every delivery written once, the same as one `run --once`; `status` names the holders.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "tests" / "data" / "articles"
RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]
PG = os.environ.get("SANCTIONWATCH_TEST_POSTGRES_URL")


def _corpus(folder: Path, variants: int) -> int:
    """The test articles in several retellings (another dateline and credit line each)."""
    folder.mkdir(parents=True)
    n = 0
    with (folder / "export.jsonl").open("w", encoding="utf-8") as fh:
        for v in range(variants):
            for doc in sorted(DOCS.glob("*.txt")):
                text = doc.read_text(encoding="utf-8")
                fh.write(json.dumps({"id": f"{doc.stem}~{v}", "title": "",
                                     "text": f"TOWN{v} (Wire {v}) — {text}\n\nFiled by "
                                             f"Wire {v}."}) + "\n")
                n += 1
    drop = folder / "drop"
    drop.mkdir()
    for doc in sorted(DOCS.glob("*.txt"))[:5]:
        (drop / doc.name).write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
        n += 1
    return n


def _config(tmp: Path, corpus: Path, name: str, url: str) -> Path:
    cfg = tmp / f"{name}.yaml"
    cfg.write_text(
        f"database: {{url: '{url}'}}\n"
        f"watchlist: {{path: '{REPO / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{REPO / 'rules'}']}}\n"
        "scheduler: {jitter_seconds: 0, misfire_grace_seconds: 60, lease_seconds: 3}\n"
        "alerts: {outbox: {interval: 1s}}\n"
        "sources:\n"
        f"  - {{name: export, kind: jsonl, path: '{corpus / 'export.jsonl'}', chunk: 10,"
        " interval: 2s}\n"
        f"  - {{name: drop, kind: folder, path: '{corpus / 'drop'}', interval: 2s}}\n"
        "channels:\n"
        f"  - {{name: out, kind: file, path: '{tmp / (name + '-alerts.jsonl')}',"
        " format: jsonl}\n", encoding="utf-8")
    return cfg


def _count(url: str, table: str = "articles") -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return 0
            return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    except sa.exc.OperationalError:
        return 0
    finally:
        engine.dispose()


def _snapshot(url: str) -> dict:
    """Articles by content, alerts by (document of their story, intent), deliveries."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        arts = conn.execute(sa.text("SELECT id, external_id, content_hash, story_id "
                                    "FROM articles")).all()
        doc_of = {a.id: a.external_id.split("#")[-1].split("~")[0].rsplit("/", 1)[-1]
                  .removesuffix(".txt") for a in arts}
        story_doc = {a.story_id: doc_of[a.story_id] for a in arts}
        alerts = conn.execute(sa.text("SELECT id, dedupe_key FROM alerts")).all()
        sent = conn.execute(sa.text("SELECT alert_id, status FROM deliveries")).all()
    engine.dispose()
    key_of = {r.id: (story_doc[int(r.dedupe_key.split("|", 1)[0].split(":")[1])],
                     r.dedupe_key.split("|", 1)[1]) for r in alerts}
    return {"articles": sorted(a.content_hash for a in arts),
            "alerts": sorted(Counter(key_of.values()).items()),
            "deliveries": sorted(Counter((key_of[d.alert_id], d.status) for d in sent).items()),
            "keys": key_of}


def _holders(url: str) -> dict[str, str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {k[len("lease:"):]: v for k, v in conn.execute(sa.text(
                "SELECT key, value FROM daemon_state WHERE key LIKE 'lease:%' AND value <> ''"))}
    finally:
        engine.dispose()


def _start(cfg: Path, cwd: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as fh:
        return subprocess.Popen([*RUN, "-v", "run", "--config", str(cfg)], cwd=cwd,
                                stdout=subprocess.DEVNULL, stderr=fh)


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


def test_sqlite_refuses_a_second_daemon(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 1)
    url = f"sqlite:///{tmp_path / 'one.db'}"
    cfg = _config(tmp_path, corpus, "one", url)
    first = _start(cfg, tmp_path, tmp_path / "first.log")
    try:
        deadline = time.monotonic() + 60
        while "scheduler.joined" not in (tmp_path / "first.log").read_text() \
                and time.monotonic() < deadline:
            assert first.poll() is None, (tmp_path / "first.log").read_text()
            time.sleep(0.1)
        second = subprocess.run([*RUN, "run", "--config", str(cfg)], capture_output=True,
                                text=True, timeout=120, cwd=tmp_path)
        assert second.returncode == 1
        assert "single-daemon mode" in second.stderr
        assert f":{first.pid})" in second.stderr  # names the daemon that runs
    finally:
        _stop(first)
    # once the first one has stopped, a daemon starts again (its lease was released)
    again = _start(cfg, tmp_path, tmp_path / "again.log")
    try:
        deadline = time.monotonic() + 60
        while "scheduler.joined" not in (tmp_path / "again.log").read_text():
            assert again.poll() is None, (tmp_path / "again.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        _stop(again)


@pytest.fixture
def pg_url():
    if not PG:
        pytest.skip("SANCTIONWATCH_TEST_POSTGRES_URL is not set")
    schema = f"d_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG else "?"
    yield f"{PG}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_two_daemons_on_postgresql_one_killed(tmp_path, pg_url):
    corpus = tmp_path / "corpus"
    n = _corpus(corpus, 12)
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    ref_cfg = _config(tmp_path, corpus, "reference", reference_url)
    done = subprocess.run([*RUN, "run", "--once", "--config", str(ref_cfg)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reference = _snapshot(reference_url)
    assert len(reference["articles"]) > 0 and reference["alerts"]

    cfg = _config(tmp_path, corpus, "shared", pg_url)
    a = _start(cfg, tmp_path, tmp_path / "a.log")
    b = _start(cfg, tmp_path, tmp_path / "b.log")
    try:
        deadline = time.monotonic() + 120
        while _count(pg_url) < len(reference["articles"]) // 3 \
                or "source:export" not in _holders(pg_url):
            assert a.poll() is None and b.poll() is None, (tmp_path / "a.log").read_text()
            assert time.monotonic() < deadline, "nothing stored in time"
            time.sleep(0.05)
        held = _holders(pg_url)
        assert {f"daemon:{socket.gethostname()}:{p.pid}" for p in (a, b)} <= set(held), held
        # the daemon reading the export, killed half-way through it, with no cleanup
        victim = next(p for p in (a, b) if held["source:export"].endswith(f":{p.pid}"))
        stored = _count(pg_url)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        assert stored < len(reference["articles"]) - 10, "the export was over before the kill"
        # `status` shows who holds what: the killed daemon's leases run out
        status = subprocess.run([*RUN, "status", "--config", str(cfg), "--format", "json"],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path)
        shown = {x["name"]: x for x in json.loads(status.stdout)["leases"]}
        assert f"daemon:{socket.gethostname()}:{victim.pid}" in shown
        survivor = b if victim is a else a
        deadline = time.monotonic() + 180
        while True:
            snap = _snapshot(pg_url)
            pending = _count(pg_url, "deliveries") - sum(
                c for (_, st), c in snap["deliveries"] if st == "sent")
            if len(snap["articles"]) >= len(reference["articles"]) and not pending:
                break
            assert survivor.poll() is None, "the surviving daemon exited"
            assert time.monotonic() < deadline, (len(snap["articles"]), pending)
            time.sleep(0.5)
        time.sleep(3)  # a further cycle of each source: nothing more
    finally:
        _stop(a, b)
    snap = _snapshot(pg_url)
    assert snap["articles"] == reference["articles"]
    assert len(snap["articles"]) == len(set(snap["articles"]))
    assert snap["alerts"] == reference["alerts"]
    assert all(c == 1 for _, c in snap["alerts"])
    assert snap["deliveries"] == reference["deliveries"]
    # the file channel: each alert written once, by one daemon or the other
    lines = [json.loads(x) for x in (tmp_path / "shared-alerts.jsonl").read_text()
             .splitlines() if x.strip()]
    written = Counter(r["id"] for r in lines)
    assert set(written) == set(snap["keys"]) and all(c == 1 for c in written.values())
    assert n >= len(reference["articles"])


def test_a_list_imported_by_another_daemon_is_swapped_in(tmp_path):
    """Daemon A imports a list (its lease); daemon B, which skipped the import, matches
    against the new version after its next watchlist poll."""
    import shutil

    from sanctionwatch import scheduler
    from sanctionwatch.app import make_app
    from sanctionwatch.config import Settings
    from sanctionwatch.storage import leases

    sdn = tmp_path / "sdn"
    sdn.mkdir()
    shutil.copy(REPO / "tests" / "data" / "ofac-history" / "2023-01-24" / "sdn.csv", sdn)
    settings = Settings.model_validate({
        "base_dir": str(tmp_path), "database": {"url": f"sqlite:///{tmp_path / 'l.db'}"},
        "watchlist": {"path": str(REPO / "watchlist")},
        "rules": {"paths": [str(REPO / "rules")]}, "sources": [],
        "lists": [{"name": "ofac_sdn", "kind": "ofac_sdn", "path": str(sdn),
                   "schedule": "1d"}]})
    a, b = make_app(settings), make_app(settings)
    try:
        rt = scheduler.install(b)
        rt.beat = leases.Heartbeat(b.store, "other-host:1", b.clock)  # not started
        rt.lists = scheduler.list_versions(b)
        assert "ofac_sdn:15892" not in b.analyzer.watchlist.by_id
        a.refresh_list("ofac_sdn")
        scheduler.watchlist_job()
        assert "ofac_sdn:15892" in b.analyzer.watchlist.by_id  # PROKOPENKO, from the list
        before = b.analyzer
        scheduler.watchlist_job()  # nothing new: no rebuild
        assert b.analyzer is before
    finally:
        scheduler._RUNTIME = None
        a.close()
        b.close()
