"""Backfill throughput and exactness: the BBC corpus ×N with the full OFAC SDN list, on a
LocalCluster of 1 and of 2 worker processes, against the single-process path.

    python bench/bench_backfill.py [--copies 100] [--workers 1,2] [--kills] [--skip-single]

The archive is generated at run time from ../shared/data (never copied into the repo): copy k
of each BBC article gets the id `k-ID` and, for k > 0, one sentence more (so every copy is a
new article by content hash, and copies of an article with mentions are near-duplicates that
join its story). The SDN list of 2023-12-28 is imported (`lists`: ofac_sdn, match: true) into
a template database once; every run starts from a copy of it.

Prints, per path: articles, wall time, articles/s, alerts; per backfill: each worker's pure
analysis rate (articles per second of task time), the share of the driver's time spent
waiting for the cluster, and the rate ratio of 2 workers to 1; and whether every backfill
stored exactly the articles, mentions and alerts of the single-process path (`run --once`
with a jsonl source over the same file). With --kills, one more 2-worker backfill has a
worker killed (SIGKILL) at a third of the way, and one more has its driver killed (SIGKILL)
at a third of the way and then run again; both must equal the single-process path too.
The word caches of the matcher warm up over the first copy, so later copies are analysed
faster than fresh news would be; the ratios are what this measures, and they hold for both
paths alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sanctionwatch.app import make_app
from sanctionwatch.backfill import outcome
from sanctionwatch.config import load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def generate(corpus: Path, copies: int, dest: Path) -> int:
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    n = 0
    with dest.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for r in records:
                text = r["text"] if k == 0 else f"{r['text']}\n\nArchive copy number {k}."
                fh.write(json.dumps({"id": f"{k}-{r['id']}", "title": r.get("title", ""),
                                     "text": text}) + "\n")
                n += 1
    return n


def config(folder: Path, db: Path, sdn: Path, sources: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.yaml"
    cfg.write_text(json.dumps({
        "database": {"url": f"sqlite:///{db}"},
        "watchlist": {"path": str(REPO / "watchlist")},
        "rules": {"paths": [str(REPO / "rules")]},
        "lists": [{"name": "ofac_sdn", "kind": "ofac_sdn", "path": str(sdn), "match": True}],
        "sources": sources, "channels": [],
    }), encoding="utf-8")
    return cfg


def template(tmp: Path, sdn: Path) -> Path:
    db = tmp / "template.db"
    app = make_app(load_settings(config(tmp / "template", db, sdn, [])))
    try:
        app.refresh_list("ofac_sdn")
        print(f"watchlist in force: {len(app.analyzer.watchlist.entities):,} entities")
    finally:
        app.close()
    return db


def fresh(tmp: Path, name: str, base: Path, sdn: Path, sources: list[dict]) -> Path:
    db = tmp / f"{name}.db"
    shutil.copy(base, db)
    return config(tmp / name, db, sdn, sources)


def single(tmp: Path, base: Path, sdn: Path, archive: Path) -> tuple[dict, dict]:
    cfg = fresh(tmp, "single", base, sdn, [{"name": "archive", "kind": "jsonl",
                                            "path": str(archive)}])
    app = make_app(load_settings(cfg))
    try:
        t = time.perf_counter()
        reports = app.run_once()
        seconds = time.perf_counter() - t
        r = reports[0]
        assert r.ok, r.problems
        return outcome(app.store), {"path": "run --once (1 process)",
                                    "articles": r.articles_new + r.articles_known,
                                    "seconds": seconds, "alerts": len(r.alerts)}
    finally:
        app.close()


def cluster(workers: int):
    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None, silence_logs=40)
    return lc, Client(lc)


def backfill(tmp: Path, name: str, base: Path, sdn: Path, archive: Path, workers: int,
             kill_at: float | None = None) -> tuple[dict, dict]:
    cfg = fresh(tmp, name, base, sdn, [])
    app = make_app(load_settings(cfg))
    t = time.perf_counter()
    lc, client = cluster(workers)
    startup = time.perf_counter() - t
    killed: list[int] = []

    def on_progress(p) -> None:
        if kill_at is not None and not killed and p.total and p.done >= kill_at * p.total:
            pid = next(iter(client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)  # a worker of the cluster this script started
            killed.append(pid)
            print(f"   killed worker pid {pid} at {p.done:,} articles", flush=True)

    try:
        report = app.backfill(client, [archive], on_progress=on_progress, interval=2.0)
        got = outcome(app.store)
    finally:
        client.close()
        lc.close()
        app.close()
    c, p = report.cycle, report.progress
    assert c.ok, c.problems
    per_worker = [w.articles / w.seconds for w in report.workers.values() if w.seconds]
    cpu = sum(w.cpu for w in report.workers.values())
    return got, {"path": f"backfill, {workers} worker(s)" + (" + worker killed" if killed
                                                             else ""),
                 "articles": c.articles_new + c.articles_known, "seconds": report.seconds,
                 "startup": startup, "alerts": len(c.alerts),
                 "analysis_per_worker": sum(per_worker) / len(per_worker) if per_worker
                 else 0.0, "waited": p.waited / report.seconds if report.seconds else 0.0,
                 "index_loads": report.index_loads, "processes": len(report.workers),
                 "worker_cpu_rate": (c.articles_new + c.articles_known) / cpu if cpu else 0.0,
                 "driver_cpu_rate": (c.articles_new + c.articles_known) / report.driver_cpu
                 if report.driver_cpu else 0.0}


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def killed_driver(tmp: Path, base: Path, sdn: Path, archive: Path, total: int) -> dict:
    """A 2-worker backfill whose driver is SIGKILLed a third of the way, then run again."""
    cfg = fresh(tmp, "driver", base, sdn, [])
    db = tmp / "driver.db"
    before = _stored(db)
    lc, client = cluster(2)
    cmd = [sys.executable, "-c", "from sanctionwatch.cli import main; main()", "backfill",
           str(archive), "--config", str(cfg), "--scheduler", lc.scheduler_address,
           "--format", "json"]
    try:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while _stored(db) - before < total // 3 and proc.poll() is None:
            time.sleep(0.2)
        proc.kill()
        proc.wait()
        first = _stored(db) - before
        print(f"   driver killed at {first:,} stored articles", flush=True)
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - t
    finally:
        client.close()
        lc.close()
    summary = json.loads(done.stdout.splitlines()[-1])
    app = make_app(load_settings(cfg))
    try:
        got = outcome(app.store)
    finally:
        app.close()
    return {"outcome": got, "first": first, "second": summary["articles_new"],
            "seconds": seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--kills", action="store_true", help="also kill a worker and a driver")
    ap.add_argument("--skip-single", action="store_true",
                    help="no single-process run (and no equality check)")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    corpus = args.shared / "news-corpus" / "bbc" / "bbc_news_2225.jsonl"
    sdn = args.shared / "ofac"
    if not corpus.is_file() or not (sdn / "sdn.csv").is_file():
        print(f"the BBC corpus or the SDN list is missing under {args.shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sw-backfill-") as name:
        tmp = Path(name)
        archive = tmp / "archive.jsonl"
        total = generate(corpus, args.copies, archive)
        print(f"archive: BBC x{args.copies} = {total:,} articles "
              f"({archive.stat().st_size / 1e6:,.0f} MB); cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        base = template(tmp, sdn)
        runs, outcomes = [], {}
        if not args.skip_single:
            expected, row = single(tmp, base, sdn, archive)
            runs.append(row)
            print(f"   {row['path']}: {row['seconds']:.0f} s", flush=True)
        for w in (int(x) for x in args.workers.split(",")):
            got, row = backfill(tmp, f"w{w}", base, sdn, archive, w)
            runs.append(row)
            outcomes[row["path"]] = got
            print(f"   {row['path']}: {row['seconds']:.0f} s", flush=True)
        driver = None
        if args.kills:
            got, row = backfill(tmp, "kill", base, sdn, archive, 2, kill_at=1 / 3)
            runs.append(row)
            outcomes[row["path"]] = got
            driver = killed_driver(tmp, base, sdn, archive, total)
            outcomes["backfill, 2 workers, driver killed and run again"] = driver["outcome"]
        print(f"\n{'path':<40} {'articles':>9} {'time s':>8} {'art/s':>7} {'alerts':>7} "
              f"{'analysis/s/worker':>18} {'driver waits':>12}")
        for r in runs:
            rate = r["articles"] / r["seconds"]
            extra = (f"{r['analysis_per_worker']:>18,.0f} {r['waited']:>11.0%}"
                     if "waited" in r else "")
            print(f"{r['path']:<40} {r['articles']:>9,} {r['seconds']:>8.1f} {rate:>7,.0f} "
                  f"{r['alerts']:>7,} {extra}")
        by = {r["path"]: r["articles"] / r["seconds"] for r in runs}
        one, two = by.get("backfill, 1 worker(s)"), by.get("backfill, 2 worker(s)")
        if one and two:
            print(f"\n2 workers / 1 worker: {two / one:.2f}x (target >= 1.6 on 2 cores)")
        if "run --once (1 process)" in by and two:
            print(f"2 workers / single process: {two / by['run --once (1 process)']:.2f}x")
        for r in runs:
            if "index_loads" in r:
                print(f"{r['path']}: {r['index_loads']} analyser load(s) in "
                      f"{r['processes']} worker process(es); cluster start {r['startup']:.1f} s;"
                      f" analysis {r['worker_cpu_rate']:,.0f} articles per worker CPU-second, "
                      f"driver {r['driver_cpu_rate']:,.0f} articles per driver CPU-second")
        if driver:
            print(f"driver killed after {driver['first']:,} articles; the re-run stored "
                  f"{driver['second']:,} more (sum {driver['first'] + driver['second']:,} of "
                  f"{total:,}); {driver['seconds']:.0f} s in all")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.skip_single:
            return 0
        ok = True
        for path, got in outcomes.items():
            same = got == expected
            ok &= same
            print(f"{path}: {'the same' if same else 'DIFFERENT'} articles "
                  f"({len(got['articles']):,}), mentions ({len(got['mentions']):,}) and alerts "
                  f"({len(got['alerts']):,}) as the single-process path")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
