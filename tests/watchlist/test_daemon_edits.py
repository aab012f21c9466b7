"""The daemon as a process, fed a broken watchlist edit: it keeps running on the last good
version, says so in its log and with a `system` alert, and takes the next valid edit."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(encoding="utf-8"):
        if proc.poll() is not None:
            pytest.fail(f"the daemon exited with {proc.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {text!r} in the log in time:\n{log.read_text()}")
        time.sleep(0.1)


def _rows(url: str, sql: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).all()
    finally:
        engine.dispose()


def test_daemon_keeps_the_last_good_watchlist_through_a_broken_edit(tmp_path, repo):
    shutil.copytree(repo / "watchlist", tmp_path / "watchlist")
    url = f"sqlite:///{tmp_path / 'd.db'}"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database: {{url: '{url}'}}\n"
                   "watchlist: {path: watchlist, poll_interval: 1s}\n"
                   f"rules: {{paths: ['{repo / 'rules'}']}}\n"
                   "sources: []\nchannels: []\n", encoding="utf-8")
    log = tmp_path / "daemon.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([*RUN, "-v", "run", "--config", str(cfg)], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=fh)
    entities = tmp_path / "watchlist" / "entities.csv"
    good = entities.read_text(encoding="utf-8")
    try:
        _wait_for(log, "scheduler.started", proc)
        entities.write_text(good + "wagner-group,band,Wagner tribute band,,,,,,,\n",
                            encoding="utf-8")
        _wait_for(log, "watchlist.invalid", proc)
        assert proc.poll() is None, "a broken edit never stops the daemon"
        # the log line comes first; the system alert is committed right after it
        deadline = time.monotonic() + 20
        system = []
        while not system and time.monotonic() < deadline:
            system = _rows(url, "SELECT type, evidence FROM alerts WHERE type = 'system'")
            time.sleep(0.2)
        assert len(system) == 1 and "duplicate id 'wagner-group'" in system[0].evidence
        entities.write_text(good + "zarya-logistics,organization,ZARYA FREIGHT LOGISTICS,,,RU,"
                            ",,,\n", encoding="utf-8")
        _wait_for(log, "watchlist.version id=2 created=True", proc)
        _wait_for(log, "reason='curated version 2'", proc)   # swapped in
        versions = _rows(url, "SELECT id, entities FROM watchlist_versions "
                              "WHERE list_name = 'curated' ORDER BY id")
        assert [v.entities for v in versions][1] == versions[0].entities + 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    text = log.read_text(encoding="utf-8")
    assert "in_force=version 1" in text and "unknown type 'band'" in text
