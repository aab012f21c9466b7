"""config.yaml -> typed settings. Pydantic lives at this edge only.

Lookup: `--config PATH`, else `$SANCTIONWATCH_CONFIG`, else `./config.yaml`, else the embedded
defaults. Relative paths in the file are relative to the file's folder. `${NAME}` and
`${NAME:-default}` are replaced from the environment (for secrets).
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sanctionwatch.errors import ConfigError

ENV_VAR = "SANCTIONWATCH_CONFIG"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_text(value: Any) -> Any:
    """YAML reads `0` and `90` as numbers: a number of seconds is an interval too."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _interval_text(value: str) -> str:
    try:
        interval_seconds(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return value


def _schedule_text(value: str) -> str:
    """An interval ("15m") or a crontab line ("0 6 * * *")."""
    try:
        interval_seconds(value)
    except ConfigError:
        _cron_text(value, "neither an interval (90s, 15m, 2h, 1d) nor a cron line")
    return value


def _cron_text(value: str, what: str = "not a cron line") -> str:
    from apscheduler.triggers.cron import CronTrigger  # only to check the line

    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"{value!r} is {what} ({exc}; e.g. '*/20 6-22 * * *')") from None
    return value


# "90s", "15m", "2h", "1d" or a number of seconds, checked when the file is read
Interval = Annotated[str, BeforeValidator(_as_text), AfterValidator(_interval_text)]
# an interval or a crontab line (UTC)
Schedule = Annotated[str, BeforeValidator(_as_text), AfterValidator(_schedule_text)]
Cron = Annotated[str, AfterValidator(_cron_text)]


class DatabaseSettings(_Model):
    url: str = "sqlite:///sanctionwatch.db"


class WatchlistSettings(_Model):
    path: Path = Path("watchlist")
    # The daemon checks the folder for edits this often; a valid edit is swapped in, a
    # broken one is reported (log + `system` alert) while the last good version keeps running.
    poll_interval: Interval = "10s"
    # When a version adds entities or aliases, stored articles fetched within this many days
    # are screened again for the new names (0: never).
    rescreen_days: int = Field(30, ge=0)


class ListSettings(_Model):
    """One official list (watchlist/importers): imported on its schedule, diffed against its
    previous version (`list_change` alerts) and, with `match`, used for matching."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: Literal["ofac_sdn", "ofac_consolidated", "un", "csl", "ftm"]
    path: Path | None = None   # a file or folder (OFAC sets: the folder holding sdn.csv ...)
    url: str | None = None     # or a URL (for OFAC sets, the folder URL; files are appended)
    schedule: Schedule = "1d"
    match: bool = True
    enabled: bool = True

    @model_validator(mode="after")
    def _one_location(self) -> ListSettings:
        if (self.path is None) == (self.url is None):
            raise ValueError(f"list {self.name!r}: give exactly one of 'path' or 'url'")
        return self


class RulesSettings(_Model):
    paths: tuple[Path, ...] = (Path("rules"),)


class MatchingSettings(_Model):
    threshold: float = Field(0.85, ge=0.0, le=1.0)
    fuzzy: bool = True
    fuzzy_floor: float = Field(0.8, ge=0.0, le=1.0)


# -- the options of each kind of source and channel (app.py builds the adapters from them) ---

class FolderOptions(_Model):
    """kind folder: a drop folder of .txt .md .html .eml .json .jsonl files."""

    path: Path


class FeedOptions(_Model):
    """kind feed: RSS or Atom over HTTP(S) (sources/feed.py, sources/http.py)."""

    url: str = Field(min_length=1)
    timeout: float = Field(20.0, gt=0)        # seconds per connect / read / write
    deadline: float = Field(60.0, gt=0)       # seconds for the whole exchange
    max_bytes: int = Field(10 * 1024 * 1024, ge=1)
    user_agent: str | None = None
    fulltext: bool = False
    fulltext_min_chars: int = Field(600, ge=0)


class JsonlOptions(_Model):
    """kind jsonl: bulk exports read in chunks (sources/records.py)."""

    path: Path
    chunk: int = Field(500, ge=1)
    fields: dict[str, str | list[str]] | None = None


class CsvOptions(JsonlOptions):
    """kind csv: like jsonl, with the file's delimiter and encoding."""

    delimiter: str = Field(",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"


class ConsoleOptions(_Model):
    """kind console: no options."""


class FileOptions(_Model):
    """kind file: alerts appended as JSON Lines or CSV (channels/file.py)."""

    path: Path
    format: Literal["jsonl", "csv"] | None = None


class EmailOptions(_Model):
    """kind email (channels/email.py)."""

    host: str = Field(min_length=1)
    port: int | None = Field(None, ge=1, le=65535)
    sender: str = Field(alias="from", min_length=1)
    to: str | tuple[str, ...]
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    username_env: str = "SANCTIONWATCH_SMTP_USER"
    password_env: str = "SANCTIONWATCH_SMTP_PASSWORD"
    timeout: float = Field(30.0, gt=0)
    ca_file: Path | None = None
    link: str | None = None


class WebhookOptions(_Model):
    """kind webhook (channels/webhook.py)."""

    url: str = Field(min_length=1)
    format: Literal["json", "slack"] = "json"
    timeout: float = Field(10.0, gt=0)
    headers: dict[str, str] | None = None
    link: str | None = None


SOURCE_OPTIONS: dict[str, type[_Model]] = {
    "folder": FolderOptions, "feed": FeedOptions, "jsonl": JsonlOptions, "csv": CsvOptions}
CHANNEL_OPTIONS: dict[str, type[_Model]] = {
    "console": ConsoleOptions, "file": FileOptions, "email": EmailOptions,
    "webhook": WebhookOptions}


def _options(what: str, name: str, kind: str, extra: dict[str, Any],
             registry: dict[str, type[_Model]], common: set[str]) -> _Model:
    """The options of one source or channel checked against its kind: an unknown kind, an
    unknown key (a typo such as `fulltext_min_char`) or a wrong value is an error naming the
    entry and the key."""
    model = registry.get(kind)
    if model is None:
        raise ValueError(f"{what} {name!r}: unknown kind {kind!r} "
                         f"(known: {', '.join(sorted(registry))})")
    known = sorted({f.alias or k for k, f in model.model_fields.items()} | common)
    try:
        return model.model_validate(extra)
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            key = ".".join(str(p) for p in e["loc"])
            if e["type"] == "extra_forbidden":
                lines.append(f"{what} {name!r} ({kind}): unknown option {key!r} "
                             f"(known: {', '.join(known)})")
            else:
                lines.append(f"{what} {name!r} ({kind}): {key}: {e['msg']}")
        raise ValueError("; ".join(lines)) from None


class SourceSettings(_Model):
    """One source: the keys every source takes, and its kind's options (checked against
    `SOURCE_OPTIONS` when the file is read; `options` gives them typed)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: str
    kind: str
    interval: Interval = "15m"
    cron: Cron | None = None   # a crontab line (UTC) instead of the interval
    enabled: bool = True

    @model_validator(mode="after")
    def _kind_options(self) -> SourceSettings:
        self.options  # noqa: B018  (raises on a bad option)
        return self

    @property
    def options(self) -> _Model:
        return _options("source", self.name, self.kind, dict(self.model_extra or {}),
                        SOURCE_OPTIONS, set(SourceSettings.model_fields))


class ChannelSettings(_Model):
    """One channel: the keys every channel takes, and its kind's options (`CHANNEL_OPTIONS`)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: str
    kind: str
    min_severity: Literal["low", "medium", "high", "critical"] = "low"
    types: tuple[str, ...] = ()
    enabled: bool = True
    # Which alert changes reach the channel, and whether as one summary per UTC hour or day.
    events: tuple[Literal["new", "update", "escalated"], ...] = ("new", "update")
    digest: Literal["hourly", "daily"] | None = None

    @model_validator(mode="after")
    def _kind_options(self) -> ChannelSettings:
        self.options  # noqa: B018  (raises on a bad option)
        return self

    @property
    def options(self) -> _Model:
        return _options("channel", self.name, self.kind, dict(self.model_extra or {}),
                        CHANNEL_OPTIONS, set(ChannelSettings.model_fields))


class OutboxSettings(_Model):
    """The delivery worker (storage/outbox.py): how often it runs and how it retries."""

    interval: Interval = "30s"
    retry_base: Interval = "30s"
    retry_max: Interval = "1h"
    batch_size: int = Field(500, ge=1)


class AlertsSettings(_Model):
    """Grouping of alerts (storage/alerts.py) and their delivery."""

    group_window: Interval = "24h"  # 0 groups only within a story
    link: str | None = None  # e.g. https://triage.example.org/alerts/{id}
    outbox: OutboxSettings = OutboxSettings()


class SchedulerSettings(_Model):
    default_interval: Interval = "15m"
    jitter_seconds: int = Field(30, ge=0)
    misfire_grace_seconds: int = Field(300, ge=0)
    # Per-source backoff after failures: base * 2**(failures-1) seconds, at most max.
    backoff_base_seconds: int = Field(60, ge=0)
    backoff_max_seconds: int = Field(6 * 3600, ge=0)
    # Reload the watchlist and rules when their files change ("0": never).
    refresh_interval: Interval = "5m"
    # Delete stored articles that carry no alert after this many days (0: keep everything).
    retention_days: int = Field(0, ge=0)
    retention_interval: Interval = "1d"
    # Several daemons on one PostgreSQL database (storage/leases.py): a daemon renews its
    # leases every third of this; the work of one that stopped beating is taken over after it.
    lease_seconds: int = Field(60, ge=2)


class DedupeConfig(_Model):
    """Near-duplicate stories (dedupe.py): copies of one wire story form one story."""

    near_duplicates: bool = True
    # Estimated Jaccard similarity of the word shingles from which two articles are one story.
    threshold: float = Field(0.5, gt=0.0, le=1.0)
    shingle_words: int = Field(3, ge=1, le=8)
    # Which articles get a near-duplicate signature: "mentions" (those that mention a
    # watchlist entity, the only ones that can carry an alert) or "all".
    scope: Literal["mentions", "all"] = "mentions"


class WebSettings(_Model):
    """The web triage page (`sanctionwatch web`, sanctionwatch/web/)."""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    # Keys the session-token hashes and sign-in form tokens; from the environment, e.g.
    # ${SANCTIONWATCH_WEB_SECRET}. Empty: a random one per start (everyone signs in again).
    secret: str = ""
    # Mark cookies Secure (sent over HTTPS only): turn on behind TLS.
    secure_cookies: bool = False
    session_hours: int = Field(12, ge=1)
    # Failed sign-ins per name (and 4x that per client address) within the window lock
    # further attempts out until the window has passed.
    login_attempts: int = Field(5, ge=1)
    login_window: Interval = "15m"
    # Behind a TLS proxy every request comes from the proxy's address: list the proxies whose
    # `client_header` (the client's address) is believed; anyone else's header is ignored.
    trusted_proxies: tuple[str, ...] = ()
    client_header: str = "X-Forwarded-For"
    # The JSON API (/api/v1): requests per minute per token (a burst of that many, refilled
    # evenly), the largest request body, the most names or articles in one batch.
    api_rate_per_minute: int = Field(600, ge=1)
    api_max_body_bytes: int = Field(5_000_000, ge=1024)
    api_max_batch: int = Field(5_000, ge=1)


class Settings(_Model):
    base_dir: Path = Path(".")
    config_file: Path | None = None  # the file read, None for the built-in defaults
    database: DatabaseSettings = DatabaseSettings()
    watchlist: WatchlistSettings = WatchlistSettings()
    rules: RulesSettings = RulesSettings()
    matching: MatchingSettings = MatchingSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    sources: tuple[SourceSettings, ...] = ()
    channels: tuple[ChannelSettings, ...] = ()
    alerts: AlertsSettings = AlertsSettings()
    dedupe: DedupeConfig = DedupeConfig()
    lists: tuple[ListSettings, ...] = ()
    web: WebSettings = WebSettings()

    @field_validator("sources", "channels", "lists")
    @classmethod
    def _unique_names(cls, items: tuple[Any, ...]) -> tuple[Any, ...]:
        names = [i.name for i in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate names: {', '.join(dupes)}")
        return items

    def resolve(self, path: Path | str) -> Path:
        """A path from the config, made absolute against the config file's folder."""
        p = Path(os.path.expanduser(str(path)))
        return p if p.is_absolute() else (self.base_dir / p).resolve()

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute."""
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.resolve(url[len(prefix):]))
        return url


def interval_seconds(text: str) -> int:
    """'90s', '15m', '2h', '1d' or a number of seconds -> seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", str(text))
    if not m:
        raise ConfigError(f"bad interval {text!r}: use e.g. 90s, 15m, 2h or 1d")
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _expand_env(value: Any, where: str) -> Any:
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            name, default = m.group(1), m.group(2)
            if name in os.environ:
                return os.environ[name]
            if default is not None:
                return default
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return _ENV_REF.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand_env(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, where) for v in value]
    return value


def builtin_dir(name: str) -> Path | None:
    """The repository's `rules/` or `watchlist/` shipped with the package (in a wheel), or
    found beside the source tree (in a checkout)."""
    found = builtin_path(name)
    return found if found is not None and found.is_dir() else None


def builtin_path(name: str) -> Path | None:
    """A file or folder of the repository shipped with the package (`config.yaml`, `rules`,
    `watchlist`, `seeds`), or beside the source tree in a checkout."""
    packaged = resources.files("sanctionwatch") / "_builtin" / name
    if packaged.is_dir() or packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / name
    return checkout if checkout.exists() else None


def _where(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """A validation error's location with list entries named: `sources[reuters].interval`."""
    parts = [str(p) for p in loc]
    if len(loc) >= 2 and loc[0] in ("sources", "channels", "lists") and isinstance(loc[1], int):
        entries = raw.get(loc[0])
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        if isinstance(entry, dict) and entry.get("name"):
            parts[:2] = [f"{loc[0]}[{entry['name']}]"]
    return ".".join(parts)


def default_settings() -> Settings:
    """The embedded defaults: the shipped watchlist and rules, seeds/ as a drop folder if it
    is beside the source tree, console output, SQLite in the current folder."""
    base = Path.cwd()
    watchlist = builtin_dir("watchlist") or Path("watchlist")
    rules = builtin_dir("rules") or Path("rules")
    seeds = builtin_dir("seeds")
    sources = (SourceSettings(name="seeds", kind="folder", path=str(seeds)),) if seeds else ()
    return Settings(base_dir=base, watchlist=WatchlistSettings(path=watchlist),
                    rules=RulesSettings(paths=(rules,)), sources=sources,
                    channels=(ChannelSettings(name="console", kind="console"),))


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `path`, `$SANCTIONWATCH_CONFIG`, `./config.yaml`, or the defaults."""
    if path is None and os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    if path is None and Path("config.yaml").is_file():
        path = Path("config.yaml")
    if path is None:
        return default_settings()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                          f"at offset {exc.start}); save the file as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") \
            from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    raw = _expand_env(raw, str(path))
    raw["base_dir"] = str(path.resolve().parent)
    raw["config_file"] = str(path.resolve())
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {_where(raw, e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                 for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from exc
