"""`file`: alerts appended to a JSON Lines file (one alert record per line)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sanctionwatch.channels.base import alert_record
from sanctionwatch.errors import ChannelError
from sanctionwatch.types import Alert


class FileChannel:
    def __init__(self, name: str, path: Path):
        self.name = name
        self.path = path

    def send(self, alerts: Sequence[Alert]) -> None:
        if not alerts:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                for alert in alerts:
                    fh.write(json.dumps(alert_record(alert), ensure_ascii=False) + "\n")
        except OSError as exc:
            raise ChannelError(f"channel {self.name!r}: cannot write {self.path}: "
                               f"{exc.strerror}") from exc
