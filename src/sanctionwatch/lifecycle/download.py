"""Fetching an official list: its configured `path`, or its `url` downloaded into the config
folder's cache, under the same size cap and total deadline as every HTTP exchange."""

from __future__ import annotations

import threading
from pathlib import Path

from sanctionwatch.config import ListSettings, Settings
from sanctionwatch.errors import HttpStatusError, SourceError
from sanctionwatch.sources.http import HttpSettings, fetch
from sanctionwatch.watchlist.importers.ofac import CONS_FILES, SDN_FILES

# Official lists are large (the CSL is about 100 MB): the caps every feed obeys, scaled up.
LIST_HTTP = HttpSettings(timeout=60.0, deadline=900.0, max_bytes=512 * 1024 * 1024)


def fetch_list(cfg: ListSettings, settings: Settings, http: HttpSettings = LIST_HTTP,
               cancel: threading.Event | None = None) -> Path:
    """The local path of a configured list: its `path`, or its `url` downloaded into
    `<config folder>/.cache/lists/<name>/` (OFAC sets: every file of the set), under the
    same size cap and total deadline as every other HTTP exchange (sources/http.py)."""
    if cfg.path is not None:
        return settings.resolve(cfg.path)
    assert cfg.url is not None
    target = settings.resolve(Path(".cache") / "lists" / cfg.name)
    target.mkdir(parents=True, exist_ok=True)
    files = {"ofac_sdn": SDN_FILES, "ofac_consolidated": CONS_FILES}.get(cfg.kind)
    if files is None:
        name = cfg.url.rstrip("/").rsplit("/", 1)[-1] or f"{cfg.name}.data"
        _download(cfg, cfg.url, target / name, http, cancel, required=True)
        return target / name
    base = cfg.url if cfg.url.endswith("/") else cfg.url.rsplit("/", 1)[0] + "/"
    for i, f in enumerate(files):
        _download(cfg, base + f, target / f, http, cancel, required=i == 0)
    return target


def _download(cfg: ListSettings, url: str, dest: Path, http: HttpSettings,
              cancel: threading.Event | None, required: bool) -> None:
    try:
        resp = fetch(url, http, cancel=cancel)
    except HttpStatusError as exc:
        if exc.status == 404 and not required:
            dest.unlink(missing_ok=True)
            return
        raise SourceError(f"list {cfg.name!r}: cannot fetch {exc}") from exc
    except SourceError as exc:
        raise SourceError(f"list {cfg.name!r}: cannot fetch {exc}") from exc
    tmp = dest.with_suffix(dest.suffix + ".part")
    tmp.write_bytes(resp.body)
    tmp.replace(dest)
