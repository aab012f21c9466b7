"""`deliver`: run the outbox worker once, show the delivery queues, retry now, or send the
digests before the end of their period (`--flush-digests`).

The daemon (`sanctionwatch run`) runs the same worker every `alerts.outbox.interval`; this
command is for cron setups, for catching up after a channel outage, and for looking at what is
waiting (`--status`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import ConfigOpt, DbOpt, app, err, opened, out


@app.command()
def deliver(
    status: Annotated[bool, typer.Option("--status", help="show the queues, send nothing")]
    = False,
    retry_now: Annotated[bool, typer.Option("--retry-now", help="make waiting retries due now "
                                            "before sending")] = False,
    flush_digests: Annotated[bool, typer.Option("--flush-digests", help="send the hourly and "
                                                "daily digests now, not at the end of their "
                                                "period")] = False,
    channel: Annotated[str | None, typer.Option(help="only this channel (with --retry-now or "
                                                "--flush-digests)")] = None,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Send every due alert delivery through its channel (the outbox worker, once)."""
    with opened(config, db=db) as application:
        if status:
            _status(application.delivery_queue())
            return
        if retry_now:
            n = application.retry_deliveries(channel)
            err.print(f"{n} waiting delivery(ies) made due now", markup=False)
        if flush_digests:
            n = application.flush_digests(channel)
            err.print(f"{n} digest delivery(ies) made due now", markup=False)
        report = application.deliver()
    sent = ", ".join(f"{k}: {v}" for k, v in sorted(report.sent.items())) or "nothing due"
    err.print(f"sent {report.total_sent} ({sent})", markup=False)
    for e in report.errors:
        err.print(f"problem: {e}", markup=False)
    if report.errors:
        raise typer.Exit(1)


def _status(states) -> None:
    table = Table(title="deliveries by channel")
    for col in ("channel", "pending", "failing", "sent", "next attempt (UTC)", "last error"):
        table.add_column(col, overflow="fold")
    for s in states:
        table.add_row(s.channel, str(s.pending), str(s.failing), str(s.sent),
                      f"{s.next_attempt:%Y-%m-%d %H:%M:%S}" if s.next_attempt else "",
                      s.last_error)
    out.print(table)
