"""Benchmark of the watchlist lifecycle on the real lists in ../shared/data (not a test).

    python bench/bench_lists.py [--data DIR]

Measures, each the best of a few runs, and prints the time beside its target and the ratio:
  1. importing the full OFAC SDN set (sdn/alt/add/comments: 13,821 entities, 17,091 alias
     rows) into the entity model (target <= 10 s), plus packing it as a stored version;
  2. diffing the two full SDN snapshots of 2023-01-24 and 2023-01-26 into list-change events
     ranked against the curated watchlist (target <= 5 s);
  3. reloading an edited 10,000-row curated watchlist: validate + parse + hash + build the
     analyser (matcher index) that is swapped in (target <= 2 s);
and, for information, the matcher index build and scan speed with the SDN merged in.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sanctionwatch.analysis import Analyzer  # noqa: E402
from sanctionwatch.rules.loader import load_rules  # noqa: E402
from sanctionwatch.watchlist.csvfile import load_watchlist, parse_watchlist, read_folder  # noqa: E402
from sanctionwatch.watchlist.diff import diff_watchlists  # noqa: E402
from sanctionwatch.watchlist.importers import import_list  # noqa: E402
from sanctionwatch.watchlist.listchange import list_changes  # noqa: E402
from sanctionwatch.watchlist.merge import ListSnapshot, merge  # noqa: E402
from sanctionwatch.watchlist.versions import content_hash, pack  # noqa: E402


def best(fn, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def report(label: str, seconds: float, target: float | None, detail: str = "") -> None:
    if target:
        print(f"{label:<48} {seconds:7.2f} s   target {target:5.1f} s   "
              f"ratio {seconds / target:5.2f}  {detail}")
    else:
        print(f"{label:<48} {seconds:7.2f} s   {detail}")


def curated_10k(tmp: Path, sdn) -> Path:
    """A 10,000-row curated watchlist in the contract's format: the shipped rows, then SDN
    entries written as analysts would (names, aliases, programmes, countries)."""
    folder = tmp / "watchlist"
    folder.mkdir()
    src = (REPO / "watchlist" / "entities.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(src)))
    header, body = rows[0], rows[1:]
    for e in sdn.entities:
        if len(body) >= 10_000:
            break
        body.append([f"sdn-{e.id.split(':')[1]}", e.type, e.name, "|".join(e.aliases),
                     "|".join(e.programs), "|".join(e.countries), "", "", "", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    (folder / "entities.csv").write_text(out.getvalue(), encoding="utf-8")
    (folder / "relations.csv").write_bytes((REPO / "watchlist" / "relations.csv").read_bytes())
    return folder


def live_reload(tmp: Path, folder: Path, data: Path) -> None:
    """The daemon's path: an analyst edits one row of the 10,000-row folder; the watcher
    validates, stores a version, diffs, builds the analyser and swaps it in, while another
    thread keeps scanning articles with `app.analyzer` (the longest pause is printed)."""
    import threading

    from sanctionwatch.app import make_app
    from sanctionwatch.config import Settings

    settings = Settings.model_validate({
        "base_dir": str(tmp), "database": {"url": f"sqlite:///{tmp / 'bench.db'}"},
        "watchlist": {"path": str(folder)}, "rules": {"paths": [str(REPO / "rules")]}})
    app = make_app(settings)
    corpus = data / "news-corpus" / "bbc" / "bbc_news_2225.jsonl"
    docs = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")][:300] \
        if corpus.exists() else ["The Wagner Group was designated on Thursday."]
    entities = folder / "entities.csv"
    text = entities.read_text(encoding="utf-8")
    entities.write_text(text.replace("|WAGNER GROUP|", "|WAGNER GROUP|Vagner Group|", 1),
                        encoding="utf-8")
    stop, gaps = threading.Event(), []

    def scan() -> None:
        last, i = time.perf_counter(), 0
        while not stop.is_set():
            app.analyzer.analyze(docs[i % len(docs)])
            now = time.perf_counter()
            gaps.append((now, now - last))
            last, i = now, i + 1

    scanner = threading.Thread(target=scan)
    scanner.start()
    time.sleep(3)  # scanning alone first: the baseline
    t0 = time.perf_counter()
    outcome = app.reload_watchlist(force=True)
    t1 = time.perf_counter()
    time.sleep(0.3)
    stop.set()
    scanner.join()
    before = [g for at, g in gaps if at < t0]
    during = [g for at, g in gaps if t0 <= at <= t1]
    report("   live reload in the app (version+diff+swap)", t1 - t0, 2.0,
           f"{outcome.value} while another thread scans")
    print(f"     scans before: {len(before) / 3:.0f}/s, longest {max(before) * 1000:.0f} ms; "
          f"during the reload: {len(during) / (t1 - t0):.0f}/s, longest "
          f"{max(during) * 1000:.0f} ms (scans continue on the old analyser)")
    app.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args()
    data = args.data
    curated = load_watchlist(REPO / "watchlist")
    rules = load_rules([REPO / "rules"])

    t, sdn = best(lambda: import_list("ofac_sdn", data / "ofac"))
    alias_rows = sum(1 for _ in (data / "ofac" / "alt.csv").open(encoding="latin-1")) - 1
    report("1. import full SDN set", t, 10.0,
           f"{len(sdn.entities)} entities, {sdn.alias_count} aliases "
           f"({alias_rows} alt rows), {len(sdn.relations)} relations")
    t_pack, (blob, _h) = best(lambda: pack(sdn.watchlist))
    report("   pack it as a stored version (zlib JSON)", t_pack, None,
           f"{len(blob) / 1e6:.1f} MB")

    old = import_list("ofac_sdn", data / "ofac-history" / "2023-01-24" / "sdn.csv")
    new = import_list("ofac_sdn", data / "ofac-history" / "2023-01-26" / "sdn.csv")

    def diff_both():
        d = diff_watchlists(old.watchlist, new.watchlist)
        return d, list_changes(d, "ofac_sdn", "ofac_sdn", new.date, old.watchlist,
                               new.watchlist, curated)

    t, (d, changes) = best(diff_both)
    tco = [c.line for c in changes if c.entry_id == "22543"]
    report("2. diff two full SDN snapshots + events", t, 5.0,
           f"{d.summary()}; {len(changes)} events")
    for line in tco:
        print(f"     {line}")
    t_imp, _ = best(lambda: (import_list("ofac_sdn", data / "ofac-history" / "2023-01-24"),
                             import_list("ofac_sdn", data / "ofac-history" / "2023-01-26")), 1)
    report("   (with importing both files)", t + t_imp, 5.0)

    with tempfile.TemporaryDirectory() as tmpdir:
        folder = curated_10k(Path(tmpdir), sdn)

        def reload():
            files = read_folder(folder)
            wl = parse_watchlist(folder, files)
            content_hash(wl)
            return Analyzer(wl, rules)

        t_parse, wl = best(lambda: parse_watchlist(folder, read_folder(folder)))
        t_cold, analyzer = best(reload, 1)
        report("3. load a 10,000-row curated CSV the first time", t_cold, None,
               "every entity's name forms computed")
        t, analyzer = best(reload)
        report("   reload it (unchanged entities reuse their forms)", t, 2.0,
               f"{len(wl.entities)} entities, {sum(len(e.aliases) for e in wl.entities)} "
               f"aliases, {len(analyzer.matcher.index)} name forms")
        report("   of which validate + parse", t_parse, None)
        live_reload(Path(tmpdir), folder, data)

    merged = merge(curated, [ListSnapshot("ofac_sdn", "ofac_sdn", sdn.watchlist)])
    t, analyzer = best(lambda: Analyzer(merged, rules), 1)
    report("   (info) build analyser curated + full SDN", t, None,
           f"{len(merged.entities)} entities, {len(analyzer.matcher.index)} name forms")
    corpus = data / "news-corpus" / "bbc" / "bbc_news_2225.jsonl"
    if corpus.exists():
        docs = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
        random.Random(7).shuffle(docs)
        docs = docs[:200]
        base = Analyzer(curated, rules)
        t_base, _ = best(lambda: [base.matcher.find(x) for x in docs], 1)
        t_sdn, _ = best(lambda: [analyzer.matcher.find(x) for x in docs], 1)
        report("   (info) matcher.find, 200 BBC articles, curated", t_base, None)
        report("   (info) matcher.find, 200 BBC articles, + SDN", t_sdn, None,
               f"{t_sdn / t_base:.1f}x the curated-only time (matching/ owns this)")


if __name__ == "__main__":
    main()
