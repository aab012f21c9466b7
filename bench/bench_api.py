"""Benchmark of the JSON API (issue 19) on the full OFAC SDN list of 2023-12-28 plus the
curated watchlist. Prints what it measured beside the targets.

    python bench/bench_api.py [--names 5000] [--batch 1000] [--single 300] [--keep DIR]

Set-up: a SQLite database in a temporary folder; the SDN list (../shared/data/ofac, read at
run time, never copied) imported as the list `ofac_sdn` with `match: true`, as a deployment
would; one viewer token. Query names: real SDN names and aliases as written, the same lower-
cased with the tokens reversed, and invented names that are on no list (a third each).

A. Batch screening, names/s:
   - CLI: `sanctionwatch screen --input FILE --format jsonl` in a subprocess, wall clock; its
     steady rate is the wall clock minus the same command on one name (start-up, opening the
     lists and building the screener), as the CLI's names/s is meant here;
   - API: `sanctionwatch web` in a subprocess (uvicorn on 127.0.0.1), warmed with one request,
     then the names POSTed to /api/v1/screen in batches of `--batch`, one after another,
     wall clock of the whole (JSON encoding, HTTP and decoding on the client included).
   Target: the API within 20 % of the CLI (ratio API/CLI >= 0.8). Best of 3.
B. Added latency of one name: median over `--single` names of a POST /api/v1/screen round
   trip (keep-alive client) minus the median of the same screen in-process (the CLI's code:
   app.screen_record on the same watchlist). Target <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PY = sys.executable
CLI = [PY, "-c", "from sanctionwatch.cli import main; main()"]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + e.get("PYTHONPATH", "")
    return e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(folder: Path, port: int) -> tuple[Path, str, list[str]]:
    from sanctionwatch.app import make_app
    from sanctionwatch.config import load_settings

    cfg = folder / "config.yaml"
    cfg.write_text(
        f"database:\n  url: sqlite:///{folder / 'api.db'}\n"
        f"watchlist:\n  path: {ROOT / 'watchlist'}\n"
        f"rules:\n  paths: [{ROOT / 'rules'}]\n"
        f"lists: [{{name: ofac_sdn, kind: ofac_sdn, path: '{SHARED / 'ofac'}'}}]\n"
        f"web:\n  secret: bench-secret\n  port: {port}\n  api_rate_per_minute: 1000000\n"
        f"  api_max_batch: 5000\n  api_max_body_bytes: 50000000\n", encoding="utf-8")
    settings = load_settings(cfg)
    app = make_app(settings)
    try:
        t0 = time.perf_counter()
        app.import_list("ofac_sdn", SHARED / "ofac", name="ofac_sdn")
        print(f"set-up: SDN list imported in {time.perf_counter() - t0:.1f} s")
        _, token = app.tokens.add("bench", "viewer")
        names = [n for e in app.screener().watchlist.entities for n in e.names]
    finally:
        app.close()
    return cfg, token, names


def queries(listed: list[str], n: int) -> list[str]:
    rnd = random.Random(19)
    real = rnd.sample(listed, n // 3)
    twisted = [" ".join(reversed(x.lower().replace(",", " ").split()))
               for x in rnd.sample(listed, n // 3)]
    firsts = ["Marta", "Jonas", "Keiko", "Rafael", "Ingrid", "Tomasz", "Leila", "Bruno"]
    lasts = ["Hallberg", "Okonkwo", "Vasquez", "Lindqvist", "Moreau", "Tanaka", "Novak"]
    made = [f"{rnd.choice(firsts)} {rnd.choice(lasts)} {rnd.randint(1, 999)}"
            for _ in range(n - len(real) - len(twisted))]
    out = real + twisted + made
    rnd.shuffle(out)
    return out


def cli_rate(cfg: Path, names: list[str], folder: Path) -> tuple[float, float, float]:
    """(steady names/s, wall clock of all, wall clock of one name) of the CLI."""
    path = folder / "names.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    one = folder / "one.txt"
    one.write_text(names[0] + "\n", encoding="utf-8")

    def run(p: Path) -> float:
        t0 = time.perf_counter()
        r = subprocess.run([*CLI, "screen", "--input", str(p), "--format", "jsonl",
                            "--config", str(cfg)], env=env(), capture_output=True)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            raise SystemExit(r.stderr.decode())
        return dt

    full = min(run(path) for _ in range(3))
    start = min(run(one) for _ in range(3))
    return len(names) / max(full - start, 1e-9), full, start


class Server:
    def __init__(self, cfg: Path, port: int):
        self.cfg, self.port = cfg, port

    def __enter__(self) -> str:
        self.proc = subprocess.Popen([*CLI, "web", "--config", str(self.cfg)], env=env(),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("the web server did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--single", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="folder to keep the database in")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-api-"))
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cfg, token, listed = setup(folder, port)
    names = queries(listed, args.names)
    print(f"{len(listed)} names and aliases on the watchlist in force; {len(names)} queries")

    rate_cli, full, start = cli_rate(cfg, names, folder)
    print(f"A. CLI screen --input: {full:.2f} s for {len(names)} names, {start:.2f} s for one "
          f"(start-up + screener build) -> {rate_cli:,.0f} names/s steady")

    headers = {"Authorization": f"Bearer {token}"}
    with Server(cfg, port) as base, httpx.Client(base_url=base, headers=headers,
                                                 timeout=600) as client:
        t0 = time.perf_counter()
        client.post("/api/v1/screen", json={"name": "warm up"}).raise_for_status()
        print(f"   API warm-up (analyser and screener built in the server): "
              f"{time.perf_counter() - t0:.1f} s")
        batches = [names[i:i + args.batch] for i in range(0, len(names), args.batch)]
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            got = 0
            for b in batches:
                r = client.post("/api/v1/screen", json={"queries": [{"name": n} for n in b]})
                r.raise_for_status()
                got += len(r.json()["results"])
            times.append(time.perf_counter() - t0)
            assert got == len(names)
        rate_api = len(names) / min(times)
        ratio = rate_api / rate_cli
        print(f"   API POST /api/v1/screen, batches of {args.batch}: {min(times):.2f} s -> "
              f"{rate_api:,.0f} names/s")
        print(f"   ratio API/CLI = {ratio:.2f} (target >= 0.80: "
              f"{'met' if ratio >= 0.8 else 'NOT met'})")

        # B: interleaved, name by name, so both sides see the same load on the machine
        from sanctionwatch.app import make_app, screen_record
        from sanctionwatch.config import load_settings

        app = make_app(load_settings(cfg))
        try:
            screener = app.screener()
            sample = names[: args.single]
            for n in sample[:20]:  # warm the word caches of both sides alike
                screen_record(screener, n, 10)
            api_ms, direct_ms, http_ms = [], [], []
            for n in sample:
                t0 = time.perf_counter()
                json.dumps(screen_record(screener, n, 10), ensure_ascii=False)
                direct_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                r = client.post("/api/v1/screen", json={"name": n})
                api_ms.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                t0 = time.perf_counter()
                client.get("/healthz").raise_for_status()
                http_ms.append((time.perf_counter() - t0) * 1000)
        finally:
            app.close()
    med_api, med_direct = statistics.median(api_ms), statistics.median(direct_ms)
    added = med_api - med_direct
    pairs = sorted(a - d for a, d in zip(api_ms, direct_ms, strict=True))
    print(f"B. one name ({len(sample)} names, interleaved): in-process {med_direct:.2f} ms "
          f"median, API round trip {med_api:.2f} ms median -> added {added:.2f} ms "
          f"(median of the per-name differences {statistics.median(pairs):.2f} ms; "
          f"target <= 5 ms: {'met' if added <= 5 else 'NOT met'})")
    print(f"   for scale, a bare GET /healthz round trip on this machine now: "
          f"{statistics.median(http_ms):.2f} ms median, {min(http_ms):.2f} ms best; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
