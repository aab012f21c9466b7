"""The daemon shows new alerts as soon as a source cycle raises them, not at the outbox's
next tick (the quickstart's first impression)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]


def test_alerts_reach_the_console_right_after_the_first_cycle(tmp_path: Path, repo: Path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'sw.db'}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        f"sources: [{{name: seeds, kind: folder, path: '{repo / 'seeds'}'}}]\n"
        "channels: [{name: console, kind: console, min_severity: medium}]\n"
        "scheduler: {jitter_seconds: 0}\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    with out.open("w") as fh:
        proc = subprocess.Popen([*RUN, "run", "--config", str(cfg)], cwd=tmp_path,
                                stdout=fh, stderr=subprocess.DEVNULL)
    try:
        # from the process's start, so within the outbox's own interval (30 s from the
        # scheduler's start) on a loaded machine too
        deadline = time.monotonic() + 28
        while time.monotonic() < deadline and "designation" not in out.read_text():
            time.sleep(0.2)
        text = out.read_text()
        assert "designation (announced)" in text and "support_network" in text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
