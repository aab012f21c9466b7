"""Backfills on a real LocalCluster (2 worker processes on 127.0.0.1): the same mentions and
alerts as the single-process path (`run --once` over the same articles), resumable after a
killed driver, a killed worker's partitions retried, gzip / CSV / folders, --since.

Every article here is written for this test.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")

from sanctionwatch.app import make_app  # noqa: E402
from sanctionwatch.backfill import outcome  # noqa: E402
from sanctionwatch.cli import app as cli  # noqa: E402
from sanctionwatch.config import load_settings  # noqa: E402
from sanctionwatch.types import ArticleData  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

EVENTS = [
    "Washington said on {day} that the Treasury had designated the Wagner Group as a "
    "transnational criminal organization, freezing any assets it holds in American banks.",
    "North Korea has supplied rockets and shells to Wagner fighters in Ukraine, according to "
    "a White House spokesman speaking on {day}.",
    "The European Union lifted its sanctions on Yevgeny Prigozhin's catering company Concord "
    "on {day} after a court ruling.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
TOWNS = ["Aberley", "Brenton", "Calder", "Dunmore", "Elsworth", "Farley", "Glenholm",
         "Harrow", "Ivybridge", "Kelso"]


def articles(n_filler: int = 60) -> list[dict]:
    """Designation and support reports, each with near-copies (the same report retold with
    a sentence more) and exact copies under another id, among ordinary local news."""
    out = []
    for i, template in enumerate(EVENTS):
        for j, day in enumerate(DAYS[:4]):
            text = template.format(day=day)
            if j % 2:
                text += " Officials gave no further details to reporters."
            out.append({"id": f"ev{i}-{j}", "title": f"Report {i}", "text": text,
                        "published": f"2023-0{1 + j}-1{i}T08:00:00Z"})
        out.append({"id": f"ev{i}-copy", "title": f"Report {i}",
                    "text": template.format(day=DAYS[0]), "published": "2023-06-01"})
    for n in range(n_filler):
        town = TOWNS[n % len(TOWNS)]
        out.append({"id": f"local-{n}", "title": f"{town} council {n}",
                    "text": f"The council of {town} met for the {n}th time this year to "
                            f"discuss road repairs, a new library wing and the budget for "
                            f"{1990 + n} school meals; the vote was postponed.",
                    "published": f"202{n % 3 + 1}-0{n % 9 + 1}-15"})
    # interleave so that copies fall into different partitions
    return out[::2] + out[1::2]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def config(folder: Path, db: str, sources: list[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.yaml"
    cfg.write_text(json.dumps({
        "database": {"url": f"sqlite:///{folder / db}"},
        "watchlist": {"path": str(REPO / "watchlist")},
        "rules": {"paths": [str(REPO / "rules")]},
        "sources": sources or [], "channels": [],
    }), encoding="utf-8")
    return cfg


def single_process(folder: Path, path: Path) -> dict:
    """The reference: `run --once` with a jsonl source over the same file."""
    app = make_app(load_settings(config(folder, "single.db",
                                        [{"name": "archive", "kind": "jsonl",
                                          "path": str(path), "chunk": 7}])))
    try:
        reports = app.run_once()
        assert all(r.ok for r in reports), [r.problems for r in reports]
        return outcome(app.store)
    finally:
        app.close()


def backfill(folder: Path, client, paths, **options):
    app = make_app(load_settings(config(folder, "backfill.db")))
    seen = []
    on_progress = options.pop("on_progress", seen.append)
    try:
        report = app.backfill(client, paths, **options, on_progress=on_progress,
                              interval=0.0)
        return report, outcome(app.store), seen
    finally:
        app.close()


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as lc, distributed.Client(lc) as client:
        yield lc, client


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    path = write_jsonl(folder / "news.jsonl", articles())
    return path, single_process(folder / "single", path)


def test_backfill_gives_the_single_process_mentions_and_alerts(cluster, archive, tmp_path):
    _, client = cluster
    path, expected = archive
    assert len(expected["alerts"]) >= 3 and len(expected["mentions"]) >= 10
    assert any(len(a[-1]) > 1 for a in expected["alerts"])  # a story carried by copies
    report, got, seen = backfill(tmp_path, client, [path], chunk=10)
    assert got == expected
    c = report.cycle
    assert c.ok and not c.failed and report.missed == 0
    assert c.articles_new == len(expected["articles"]) and c.articles_known == 3
    # every worker process loaded the analyser once, whatever number of tasks it ran
    assert report.index_loads == len(report.workers) <= 2
    assert sum(w.partitions for w in report.workers.values()) == report.progress.partitions
    assert report.progress.partitions >= 8
    # progress: articles, rate, alerts, time left
    assert seen[-1].finished and seen[-1].done == len(articles())
    assert seen[-1].alerts == len(c.alerts) == len(expected["alerts"])
    assert any(p.eta is not None and p.rate > 0 for p in seen)

    # a second run reads nothing again and raises nothing
    again, after, _ = backfill(tmp_path, client, [path], chunk=10)
    assert after == expected
    assert again.cycle.items == 0 and again.cycle.articles_new == 0 and not again.cycle.alerts
    assert again.progress.skipped == again.progress.total == len(articles())


def test_a_killed_worker_partition_is_retried(cluster, archive, tmp_path):
    _, client = cluster
    path, expected = archive
    killed = []

    def kill_one(progress) -> None:
        if not killed and progress.partitions >= 1:
            pid = next(iter(client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)  # a worker process this test's cluster started
            killed.append(pid)

    report, got, _ = backfill(tmp_path, client, [path], chunk=5, on_progress=kill_one)
    assert killed
    assert report.cycle.ok and not report.cycle.failed, (report.cycle.failed,
                                                         report.cycle.problems)
    assert report.missed == 0
    for part in ("articles", "mentions", "alerts"):
        assert got[part] == expected[part], part
    client.wait_for_workers(2, timeout=120)  # the nanny restarted it
    assert killed[0] not in client.run(os.getpid).values()


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_driver_resumes_and_duplicates_nothing(cluster, tmp_path):
    lc, _ = cluster
    records = articles(n_filler=400)
    path = write_jsonl(tmp_path / "big.jsonl", records)
    expected = single_process(tmp_path / "single", path)
    cfg = config(tmp_path / "bf", "backfill.db")
    db = tmp_path / "bf" / "backfill.db"
    cmd = [sys.executable, "-c", "from sanctionwatch.cli import main; main()", "backfill",
           str(path), "--config", str(cfg), "--scheduler", lc.scheduler_address,
           "--chunk", "5"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _stored(db) < 30 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read().decode()
        proc.kill()  # SIGKILL: no cleanup at all
    finally:
        proc.wait(10)
        proc.stderr.close()
    first = _stored(db)
    assert 0 < first < len(records) - 3
    result = CliRunner().invoke(cli, ["backfill", str(path), "--config", str(cfg),
                                      "--scheduler", lc.scheduler_address, "--chunk", "5",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["articles_new"] + first == len(expected["articles"])
    store = make_app(load_settings(cfg))
    try:
        assert outcome(store.store) == expected
    finally:
        store.close()


def test_gzip_csv_folders_and_since(cluster, tmp_path):
    _, client = cluster
    records = articles(n_filler=12)
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    with gzip.open(folder / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records[:10])
    lines = ["id,title,text,published"] + [
        f'{r["id"]},"{r["title"]}","{r["text"]}",{r["published"]}' for r in records[10:20]]
    with gzip.open(folder / "sub" / "b.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    for r in records[20:]:
        (folder / "sub" / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    (folder / "README.md").write_text("not an article", encoding="utf-8")

    report, got, _ = backfill(tmp_path, client, [folder], chunk=4)
    assert report.cycle.ok, report.cycle.problems
    ids = {a[0] for a in got["articles"]}
    distinct = {ArticleData("x", "", r["text"], title=r["title"] if n < 20 else "").content_hash
                for n, r in enumerate(records)}
    assert len(ids) == len(distinct) == report.cycle.articles_new
    assert report.cycle.articles_new + report.cycle.articles_known == len(records)
    assert any(i.startswith("a.jsonl.gz#") for i in ids)
    assert any(i.startswith("sub/b.csv.gz#") for i in ids)
    assert any(i.endswith(".txt") for i in ids)
    assert got["alerts"]

    # --since keeps what was published on or after the date (and the undated .txt files)
    from datetime import UTC, datetime

    since = datetime(2023, 1, 1, tzinfo=UTC)
    later, _, _ = backfill(tmp_path / "since", client, [folder], chunk=4, since=since)
    dated = records[:20]
    before = sum(1 for r in dated
                 if datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
                 .replace(tzinfo=UTC) < since)
    assert before and later.progress.before_since == before


def test_cli_prints_a_summary_table(cluster, archive, tmp_path):
    lc, _ = cluster
    path, expected = archive
    cfg = config(tmp_path, "cli.db")
    result = CliRunner().invoke(cli, ["backfill", str(path), "--config", str(cfg),
                                      "--scheduler", lc.scheduler_address, "--chunk", "20"])
    assert result.exit_code == 0, result.output
    for label in ("articles stored", "alerts raised", "index loads", "rate"):
        assert label in result.stdout
    assert f"{len(expected['articles'])}" in result.stdout
    bad = CliRunner().invoke(cli, ["backfill", str(path), "--config", str(cfg),
                                   "--since", "yesterday"])
    assert bad.exit_code == 2


def test_a_named_file_with_a_broken_record_is_reported_and_its_other_records_read(tmp_path):
    """Backfill's files named one by one read as the folder source does: a broken JSONL line
    is a problem with its line, never an object stored as an article."""
    import json as _json

    from sanctionwatch.backfill import DocumentFiles
    from sanctionwatch.sources.base import ItemProblem, SourceItem

    f = tmp_path / "a.jsonl"
    f.write_text(_json.dumps({"id": "1", "text": "The Wagner Group was seen in Mali."})
                 + "\n{broken\n", encoding="utf-8")
    got = list(DocumentFiles("files", [f]).fetch({}))
    problems = [g for g in got if isinstance(g, ItemProblem)]
    (item,) = [g for g in got if isinstance(g, SourceItem)]
    assert len(problems) == 1 and f"{f}:2" in problems[0].message
    assert [a.external_id for a in item.articles] == [f"{f}#1"]
