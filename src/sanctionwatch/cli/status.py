"""`status`: how the daemon is doing — per source its last success, last error, backoff,
next run and items seen; per channel the deliveries waiting in the outbox; the watchlist
version in use. Reads the database only (works while the daemon runs)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import ConfigOpt, DbOpt, app, fail, make_settings, out
from sanctionwatch.errors import SanctionwatchError


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def collect(settings) -> dict:
    """The status as plain data (what `--format json` prints)."""
    from sanctionwatch.scheduler import JOBS_TABLE, WATCHLIST_FACT
    from sanctionwatch.storage import leases, source_state
    from sanctionwatch.storage.outbox import queue_state
    from sanctionwatch.storage.store import Store

    store = Store(settings.database_url)
    try:
        states = source_state.all_states(store)
        runs = source_state.scheduled_runs(store, JOBS_TABLE)
        queues = {q.channel: q for q in queue_state(store)}
        fact = source_state.get_fact(store, WATCHLIST_FACT)
        held = leases.leases(store, datetime.now(UTC),
                             timedelta(seconds=settings.scheduler.lease_seconds))
    finally:
        store.close()
    sources = []
    names = [c.name for c in settings.sources] + sorted(set(states) - {c.name for c in
                                                                       settings.sources})
    kinds = {c.name: c.kind for c in settings.sources}
    enabled = {c.name: c.enabled for c in settings.sources}
    for name in names:
        st = states.get(name) or source_state.SourceState(name)
        sources.append({
            "name": name, "kind": kinds.get(name, "(not configured)"),
            "enabled": enabled.get(name, False), "last_run": _iso(st.last_run),
            "last_success": _iso(st.last_success), "last_error": st.last_error or None,
            "last_error_at": _iso(st.last_error_at), "failures": st.failures,
            "backoff_until": _iso(st.backoff_until),
            "next_run": _iso(runs.get(f"source:{name}")), "items_seen": st.items_seen,
            "articles_new": st.articles_new})
    channels = []
    for c in settings.channels:
        q = queues.get(c.name)
        channels.append({"name": c.name, "kind": c.kind, "pending": q.pending if q else 0,
                         "failing": q.failing if q else 0, "sent": q.sent if q else 0,
                         "last_error": (q.last_error or None) if q else None})
    return {"sources": sources, "channels": channels,
            "leases": [{"name": x.name, "holder": x.holder, "heartbeat": _iso(x.heartbeat),
                        "alive": x.alive} for x in held],
            "watchlist": {"version": fact[0], "loaded": _iso(fact[1])} if fact else None}


@app.command()
def status(
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Sources (last success, last error, next run, items seen), channels (pending
    deliveries) and the watchlist version in use."""
    if fmt not in ("table", "json"):
        out.print("--format must be table or json")
        raise typer.Exit(2)
    try:
        data = collect(make_settings(config, db=db))
    except SanctionwatchError as exc:
        fail(exc)
        return
    if fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="sources")
    for col in ("source", "kind", "last success", "last error", "failures", "next run",
                "items seen", "articles"):
        table.add_column(col, overflow="fold")
    for s in data["sources"]:
        error = "-"
        if s["last_error"]:
            error = f"{s['last_error_at'][:19]}Z {s['last_error'][:160]}"
        failures = str(s["failures"])
        if s["backoff_until"]:
            failures += f" (backoff until {s['backoff_until'][:19]}Z)"
        next_run = s["next_run"][:19] + "Z" if s["next_run"] else "-"
        if not s["enabled"]:
            next_run = "disabled"
        table.add_row(s["name"], s["kind"],
                      s["last_success"][:19] + "Z" if s["last_success"] else "never",
                      error, failures, next_run, str(s["items_seen"]), str(s["articles_new"]))
    out.print(table)
    channels = Table(title="channels")
    for col in ("channel", "kind", "pending", "failing", "sent", "last error"):
        channels.add_column(col, overflow="fold")
    for c in data["channels"]:
        channels.add_row(c["name"], c["kind"], str(c["pending"]), str(c["failing"]),
                         str(c["sent"]), c["last_error"] or "-")
    out.print(channels)
    if data["leases"]:  # which daemon holds what (storage/leases.py)
        held = Table(title="daemons and leases")
        for col in ("lease", "holder", "heartbeat", "state"):
            held.add_column(col, overflow="fold")
        for x in data["leases"]:
            held.add_row(x["name"], x["holder"], x["heartbeat"][:19] + "Z",
                         "held" if x["alive"] else "expired (taken over at the next run)")
        out.print(held)
    wl = data["watchlist"]
    out.print(f"watchlist: {wl['version']} (loaded {wl['loaded'][:19]}Z)" if wl else
              "watchlist: no version recorded yet (the daemon has not run)", markup=False)
