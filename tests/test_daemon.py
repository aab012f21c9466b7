"""The daemon as a process: SIGKILL in the middle of a run, then `run --once`, leaves the same
database as one uninterrupted run (nothing lost, nothing duplicated); SIGTERM stops it cleanly
and the schedule survives the restart; `status` reports every source, the failing one too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "tests" / "data" / "articles"
VARIANTS = 30
RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]


def _corpus(folder: Path) -> int:
    """A JSONL export of every test article (tests/data/articles) in several copies (a
    dateline and a credit line differ, as between outlets carrying one wire story), plus a
    drop folder."""
    folder.mkdir()
    n = 0
    with (folder / "export.jsonl").open("w", encoding="utf-8") as fh:
        for v in range(VARIANTS):
            for doc in sorted(DOCS.glob("*.txt")):
                text = doc.read_text(encoding="utf-8")
                fh.write(json.dumps({"id": f"{doc.stem}~{v}", "title": "",
                                     "text": f"CITY{v} (Agency {v}) — {text}\n\nReporting by "
                                             f"Agency {v}; editing by desk {v}."}) + "\n")
                n += 1
    drop = folder / "drop"
    drop.mkdir()
    for doc in sorted(DOCS.glob("*.txt"))[:6]:
        (drop / doc.name).write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
        n += 1
    return n


def _config(tmp: Path, corpus: Path, name: str) -> Path:
    cfg = tmp / f"{name}.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp / (name + '.db')}'}}\n"
        f"watchlist: {{path: '{REPO / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{REPO / 'rules'}']}}\n"
        "scheduler: {jitter_seconds: 0, misfire_grace_seconds: 60}\n"
        "sources:\n"
        f"  - {{name: export, kind: jsonl, path: '{corpus / 'export.jsonl'}', chunk: 40,"
        " interval: 1h}\n"
        f"  - {{name: drop, kind: folder, path: '{corpus / 'drop'}', interval: 1h}}\n"
        "  - {name: dead-feed, kind: feed, url: 'http://127.0.0.1:9/rss', timeout: 1,"
        " interval: 1h}\n"
        "channels: []\n", encoding="utf-8")
    return cfg


def _db(cfg: Path) -> str:
    return f"sqlite:///{cfg.with_suffix('.db')}"


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
    """What must be equal after any crash and restart: articles, stories, alerts per story,
    alert sources, seen items."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        arts = conn.execute(sa.text("SELECT id, external_id, content_hash, story_id "
                                    "FROM articles")).all()
        # the document an article copies (sources may run in any order in the daemon, so a
        # story is named by its document, not by which copy came first)
        doc_of = {a.id: a.external_id.split("#")[-1].split("~")[0].rsplit("/", 1)[-1]
                  .removesuffix(".txt") for a in arts}
        story_doc = {a.story_id: doc_of[a.story_id] for a in arts}
        alerts = conn.execute(sa.text("SELECT id, dedupe_key, article_id FROM alerts")).all()
        sources = conn.execute(sa.text("SELECT alert_id, article_id FROM alert_articles")).all()
        seen = conn.execute(sa.text("SELECT source, item_key FROM source_items")).all()
        sigs = conn.execute(sa.text("SELECT COUNT(*) FROM article_signatures")).scalar_one()
    engine.dispose()
    key_of = {r.id: (story_doc[int(r.dedupe_key.split("|", 1)[0].split(":")[1])],
                     r.dedupe_key.split("|", 1)[1]) for r in alerts}
    return {
        "articles": sorted(a.content_hash for a in arts),
        "stories": sorted(Counter(doc_of[a.story_id] for a in arts).items()),
        "alerts": sorted(Counter(key_of.values()).items()),
        "alert_sources": sorted(Counter(key_of[s.alert_id] for s in sources).items()),
        "seen": sorted((s.source, s.item_key) for s in seen),
        "signatures": sigs,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("daemon")
    n = _corpus(root / "corpus")
    return root, n


@pytest.fixture(scope="module")
def reference(corpus):
    """One uninterrupted `run --once`."""
    root, n = corpus
    cfg = _config(root, root / "corpus", "reference")
    proc = subprocess.run([*RUN, "run", "--once", "--config", str(cfg)], capture_output=True,
                          text=True, timeout=300, cwd=root)
    assert proc.returncode == 1, proc.stderr  # the dead feed is a problem, reported
    assert "dead-feed" in proc.stderr
    snap = _snapshot(_db(cfg))
    assert len(snap["articles"]) == n
    return snap


def _start(cfg: Path, cwd: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as fh:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([*RUN, "-v", "run", "--config", str(cfg)], cwd=cwd,
                                stdout=subprocess.DEVNULL, stderr=fh)


def _wait_for_articles(proc, url: str, low: int, high: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = _count(url)
        if low <= n:
            return n
        if proc.poll() is not None:
            pytest.fail(f"the daemon exited early with {proc.returncode}")
        time.sleep(0.02)
    pytest.fail("the daemon stored nothing in time")
    return 0


def test_sigkill_mid_run_then_restart_loses_and_duplicates_nothing(corpus, reference, tmp_path):
    root, n = corpus
    cfg = _config(tmp_path, root / "corpus", "killed")
    url = _db(cfg)
    proc = _start(cfg, tmp_path, tmp_path / "killed.log")
    try:
        stored = _wait_for_articles(proc, url, 25, n)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert stored < n, "the daemon finished before it could be killed"
    assert _count(url) < n
    again = subprocess.run([*RUN, "run", "--once", "--config", str(cfg)], capture_output=True,
                           text=True, timeout=300, cwd=tmp_path)
    assert "dead-feed" in again.stderr
    assert _snapshot(url) == reference
    # and once more: nothing new
    third = subprocess.run([*RUN, "run", "--once", "--config", str(cfg)], capture_output=True,
                           text=True, timeout=300, cwd=tmp_path)
    assert "0 new article(s), 0 new alert(s)" in third.stderr
    assert _snapshot(url) == reference


def test_sigterm_stops_cleanly_and_the_schedule_survives(corpus, reference, tmp_path):
    root, n = corpus
    cfg = _config(tmp_path, root / "corpus", "termed")
    url = _db(cfg)
    log = tmp_path / "termed.log"
    proc = _start(cfg, tmp_path, log)
    try:
        _wait_for_articles(proc, url, 10, n)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    text = log.read_text(encoding="utf-8")
    assert code == 0, text
    assert "scheduler.stopping signal=15" in text and "scheduler.stopped" in text
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        jobs = dict(conn.execute(sa.text("SELECT id, next_run_time FROM apscheduler_jobs")).all())
    engine.dispose()
    assert {"source:export", "source:drop", "source:dead-feed"} <= set(jobs)
    # restarted as a daemon, the sources keep their next run (an hour away) ...
    proc = _start(cfg, tmp_path, tmp_path / "restart.log")
    try:
        deadline = time.monotonic() + 60
        while "scheduler.started" not in (tmp_path / "restart.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    restart = (tmp_path / "restart.log").read_text(encoding="utf-8")
    assert "scheduler.job id=source:export kept" in restart
    # ... and `run --once` finishes the interrupted work
    subprocess.run([*RUN, "run", "--once", "--config", str(cfg)], capture_output=True,
                   text=True, timeout=300, cwd=tmp_path)
    assert _snapshot(url) == reference

    status = subprocess.run([*RUN, "status", "--format", "json", "--config", str(cfg)],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    by = {s["name"]: s for s in data["sources"]}
    assert by["export"]["last_success"] and by["export"]["failures"] == 0
    assert by["export"]["articles_new"] == n - len(list((root / "corpus" / "drop").iterdir()))
    assert by["export"]["next_run"]
    assert by["dead-feed"]["failures"] >= 1 and by["dead-feed"]["backoff_until"]
    assert "127.0.0.1:9" in by["dead-feed"]["last_error"]
    assert data["watchlist"]["version"]
