"""`file`: alerts appended to a JSON Lines file (one alert record per line) or a CSV file.

`format: jsonl` (default) writes the record of `alerts list --format jsonl`; `format: csv` writes
one row per alert with the columns in `CSV_COLUMNS` (a header when the file is new or empty).
In digest mode the same lines are written once per period, each with the period it belongs to.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sanctionwatch.channels.base import alert_record
from sanctionwatch.errors import ChannelError
from sanctionwatch.text.cells import safe_row
from sanctionwatch.types import Alert

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("id", "created", "updated", "status", "severity", "type", "phase", "entity_ids",
               "target", "supporter", "matched", "evidence", "message", "why", "rule_id",
               "rule_version", "document", "sources", "reason", "delivery_id", "digest_period")


class FileChannel:
    def __init__(self, name: str, path: Path, format: str | None = None):
        format = format or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
        if format not in FORMATS:
            raise ChannelError(f"channel {name!r}: format must be one of {', '.join(FORMATS)}, "
                               f"not {format!r}")
        self.name = name
        self.path = path
        self.format = format

    def send(self, alerts: Sequence[Alert]) -> None:
        self._write(alerts, None)

    def send_digest(self, alerts: Sequence[Alert], start: datetime, end: datetime) -> None:
        self._write(alerts, f"{start.isoformat()}/{end.isoformat()}")

    def _write(self, alerts: Sequence[Alert], period: str | None) -> None:
        if not alerts:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8", newline="") as fh:
                if self.format == "csv":
                    self._csv(fh, alerts, period)
                    return
                for alert in alerts:
                    rec = alert_record(alert)
                    if period:
                        rec["digest_period"] = period
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise ChannelError(f"channel {self.name!r}: cannot write {self.path}: "
                               f"{exc.strerror}") from exc

    def _csv(self, fh, alerts: Sequence[Alert], period: str | None) -> None:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        if fh.tell() == 0:
            writer.writeheader()
        for alert in alerts:
            rec = alert_record(alert)
            rec["entity_ids"] = "|".join(rec["entity_ids"])
            rec["matched"] = "|".join(m["matched"] for m in rec["mentions"])
            rec["sources"] = "|".join(s.get("url") or f"{s['source']}:{s['external_id']}"
                                      for s in rec.get("sources", []))
            rec["digest_period"] = period or ""
            writer.writerow(safe_row(rec))  # evidence is text strangers write: no formulas
