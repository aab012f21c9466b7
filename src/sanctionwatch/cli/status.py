"""`status`: how the daemon is doing — per source its last success, last error, backoff,
next run and items seen; per channel the deliveries waiting in the outbox; the watchlist
version in use. Reads the database only (works while the daemon runs)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

from rich.table import Table

from sanctionwatch.cli._common import ConfigOpt, DbOpt, app, format_option, out, with_app


@app.command()
def status(
    fmt: Annotated[str, format_option("table", "json")] = "table",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Sources (last success, last error, next run, items seen), channels (pending
    deliveries) and the watchlist version in use."""
    data = with_app(config, db, lambda a: a.status())
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
    wl = data["watchlist"]
    out.print(f"watchlist: {wl['version']} (loaded {wl['loaded'][:19]}Z)" if wl else
              "watchlist: no version recorded yet (the daemon has not run)", markup=False)
    pending = [j for j in data["rescreens"] if j["status"] == "pending"]
    if pending:
        out.print(f"re-screening: {len(pending)} job(s) pending, completed by the next `run`, "
                  "`lists import` or `rescreen`: " + "; ".join(j["what"] for j in pending),
                  markup=False)
    elif data["rescreens"]:
        j = data["rescreens"][0]
        out.print(f"re-screening: last {j['what']}: {j['articles']} article(s), "
                  f"{j['alerts']} alert(s), done {(j['finished'] or '')[:19]}Z", markup=False)
