"""`sanctionwatch deliver --flush-digests`, through the real console script: a daily digest
waiting for the end of the UTC day goes out now, once, and the day's end sends nothing again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_28478a00887480cc.txt"
SCRIPT = str(Path(sys.executable).with_name("sanctionwatch"))


def _config(folder: Path) -> Path:
    (folder / "drop").mkdir()
    shutil.copy(SEED, folder / "drop" / SEED.name)
    cfg = folder / "config.yaml"
    cfg.write_text(
        f"database:\n  url: sqlite:///{folder / 'sw.db'}\n"
        f"watchlist:\n  path: {REPO / 'watchlist'}\n"
        f"rules:\n  paths: [{REPO / 'rules'}]\n"
        "sources:\n  - name: drop\n    kind: folder\n    path: drop\n"
        "channels:\n"
        "  - name: daily\n    kind: file\n    path: digest.jsonl\n    digest: daily\n"
        "  - name: now\n    kind: file\n    path: each.jsonl\n", encoding="utf-8")
    return cfg


def sw(cfg: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args, "--config", str(cfg)], capture_output=True,
                          text=True, timeout=300)


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_flush_sends_the_daily_digest_now_and_once(tmp_path):
    from sanctionwatch.app import make_app
    from sanctionwatch.config import load_settings

    cfg = _config(tmp_path)
    ran = sw(cfg, "run", "--once")
    assert ran.returncode == 0, ran.stderr
    each = _lines(tmp_path / "each.jsonl")
    assert each, "the seed article raises alerts"
    # The daily channel waits for the end of the UTC day.
    assert _lines(tmp_path / "digest.jsonl") == []
    plain = sw(cfg, "deliver")
    assert plain.returncode == 0 and "nothing due" in plain.stderr
    assert _lines(tmp_path / "digest.jsonl") == []

    flushed = sw(cfg, "deliver", "--flush-digests")
    assert flushed.returncode == 0, flushed.stderr
    assert f"{len(each)} digest delivery(ies) made due now" in flushed.stderr
    digest = _lines(tmp_path / "digest.jsonl")
    assert sorted(r["id"] for r in digest) == sorted(r["id"] for r in each)
    # Sent as the digest of today (UTC), the period it was waiting for.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert {r["digest_period"] for r in digest} == \
        {f"{today.isoformat()}/{(today + timedelta(days=1)).isoformat()}"}
    assert _lines(tmp_path / "each.jsonl") == each  # the other channel is untouched

    # Flushing again finds nothing; the day's end (the daemon's outbox job) sends nothing.
    again = sw(cfg, "deliver", "--flush-digests")
    assert again.returncode == 0 and "0 digest delivery(ies)" in again.stderr
    tomorrow = today + timedelta(days=1, minutes=5)
    app = make_app(load_settings(cfg), clock=lambda: tomorrow)
    try:
        report = app.deliver()
    finally:
        app.close()
    assert report.total_sent == 0 and not report.errors
    assert _lines(tmp_path / "digest.jsonl") == digest


def test_flush_of_one_channel_leaves_the_others_waiting(tmp_path):
    cfg = _config(tmp_path)
    text = cfg.read_text(encoding="utf-8").replace(
        "    path: each.jsonl\n", "    path: each.jsonl\n    digest: hourly\n")
    cfg.write_text(text, encoding="utf-8")
    assert sw(cfg, "run", "--once").returncode == 0
    flushed = sw(cfg, "deliver", "--flush-digests", "--channel", "now")
    assert flushed.returncode == 0, flushed.stderr
    hourly = _lines(tmp_path / "each.jsonl")
    assert hourly and all(r["digest_period"] for r in hourly)
    assert _lines(tmp_path / "digest.jsonl") == []
    status = sw(cfg, "deliver", "--status")
    row = next(line for line in status.stdout.splitlines() if "daily" in line)
    assert f" {len(hourly)} " in row  # still pending
