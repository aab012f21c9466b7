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
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
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


class DatabaseSettings(_Model):
    url: str = "sqlite:///sanctionwatch.db"


class WatchlistSettings(_Model):
    path: Path = Path("watchlist")
    # The daemon checks the folder for edits this often; a valid edit is swapped in, a
    # broken one is reported (log + `system` alert) while the last good version keeps running.
    poll_interval: str = "10s"
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
    schedule: str = "1d"
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


class SourceSettings(_Model):
    model_config = ConfigDict(extra="allow", frozen=True)
    name: str
    kind: str
    interval: str = "15m"
    enabled: bool = True


class ChannelSettings(_Model):
    model_config = ConfigDict(extra="allow", frozen=True)
    name: str
    kind: str
    min_severity: Literal["low", "medium", "high", "critical"] = "low"
    types: tuple[str, ...] = ()
    enabled: bool = True
    # Which alert changes reach the channel, and whether as one summary per UTC hour or day.
    events: tuple[Literal["new", "update", "escalated"], ...] = ("new", "update")
    digest: Literal["hourly", "daily"] | None = None


class OutboxSettings(_Model):
    """The delivery worker (storage/outbox.py): how often it runs and how it retries."""

    interval: str = "30s"
    retry_base: str = "30s"
    retry_max: str = "1h"
    batch_size: int = Field(500, ge=1)

    @field_validator("interval", "retry_base", "retry_max")
    @classmethod
    def _interval(cls, v: str) -> str:
        return _check_interval(v)


class AlertsSettings(_Model):
    """Grouping of alerts (storage/alerts.py) and their delivery."""

    group_window: str = "24h"  # "0" groups only within a story
    link: str | None = None  # e.g. https://triage.example.org/alerts/{id}
    outbox: OutboxSettings = OutboxSettings()

    @field_validator("group_window")
    @classmethod
    def _window(cls, v: str) -> str:
        return _check_interval(v)


class SchedulerSettings(_Model):
    default_interval: str = "15m"
    jitter_seconds: int = Field(30, ge=0)
    misfire_grace_seconds: int = Field(300, ge=0)
    # Per-source backoff after failures: base * 2**(failures-1) seconds, at most max.
    backoff_base_seconds: int = Field(60, ge=0)
    backoff_max_seconds: int = Field(6 * 3600, ge=0)
    # Reload the watchlist and rules when their files change ("0": never).
    refresh_interval: str = "5m"
    # Delete stored articles that carry no alert after this many days (0: keep everything).
    retention_days: int = Field(0, ge=0)
    retention_interval: str = "1d"

    @field_validator("default_interval", "refresh_interval", "retention_interval")
    @classmethod
    def _interval(cls, v: str) -> str:
        return _check_interval(v)


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
    login_window: str = "15m"
    # Behind a TLS proxy every request comes from the proxy's address: list the proxies whose
    # `client_header` (the client's address) is believed; anyone else's header is ignored.
    trusted_proxies: tuple[str, ...] = ()
    client_header: str = "X-Forwarded-For"

    @field_validator("login_window")
    @classmethod
    def _interval(cls, v: str) -> str:
        return _check_interval(v)


class Settings(_Model):
    base_dir: Path = Path(".")
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


def _check_interval(value: str) -> str:
    try:
        interval_seconds(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return value


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
    packaged = resources.files("sanctionwatch") / "_builtin" / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / name
    return checkout if checkout.is_dir() else None


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
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    raw = _expand_env(raw, str(path))
    raw["base_dir"] = str(path.resolve().parent)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from exc
