"""The project's exception tree. Adapters wrap foreign exceptions in these (`raise ... from`).

    SanctionwatchError
    ├── ConfigError            config.yaml missing, unreadable or invalid
    ├── DataFileError          a data file (CSV, YAML) is invalid; carries every Problem found
    │   ├── WatchlistError     watchlist/*.csv
    │   └── RuleError          rules/*.yaml
    ├── SourceError            a source could not be fetched or parsed
    │   └── Interrupted        a fetch was cut short because the monitor is stopping
    ├── ChannelError           a channel could not deliver
    └── StorageError           the database refused or could not be reached
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a data file, located as `file:line:column`."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class SanctionwatchError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(SanctionwatchError):
    """The configuration is missing, unreadable or invalid."""


class DataFileError(SanctionwatchError):
    """A data file is invalid; `problems` lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid data file")


class WatchlistError(DataFileError):
    """A watchlist file is invalid."""


class RuleError(DataFileError):
    """A rule file is invalid."""


class SourceError(SanctionwatchError):
    """A source could not be fetched or parsed."""


class HttpStatusError(SourceError):
    """The server answered with a status outside 2xx (and not 304)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class Interrupted(SourceError):
    """A fetch was cut short by the stop event (SIGTERM): not a fault of the source, so it
    starts no backoff; the source is read again at the next run."""


class ChannelError(SanctionwatchError):
    """A channel could not deliver."""


class PartialDelivery(ChannelError):
    """A channel failed after delivering the first `sent` alerts of a batch."""

    def __init__(self, message: str, sent: int):
        super().__init__(message)
        self.sent = sent


class StorageError(SanctionwatchError):
    """The store refused an operation or could not be reached."""


class TriageError(SanctionwatchError):
    """A triage action names an unknown alert or is not allowed in the alert's status."""


class SuppressionError(SanctionwatchError):
    """A suppression is invalid, unknown or already removed."""


class UserError(SanctionwatchError):
    """A user cannot be created or changed as asked (bad name, role or password, duplicate)."""
