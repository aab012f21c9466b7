"""A configuration is checked when it is read: an unknown source or channel kind (with the known
ones), an unknown or mistyped option, a bad interval or cron line, a file that is not UTF-8 —
each is refused with the file, the entry and the key named."""

from __future__ import annotations

import pytest

from sanctionwatch.app import make_app
from sanctionwatch.config import load_settings
from sanctionwatch.errors import ConfigError


@pytest.mark.parametrize("section, what", [
    ("sources: [{name: tg, kind: telegram}]\nchannels: []\n", "source 'tg'"),
    ("sources: []\nchannels: [{name: pager, kind: pagerduty}]\n", "channel 'pager'"),
])
def test_unknown_kind_names_the_known_ones(tmp_path, repo, section, what):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'x.db'}'}}\n"
                   f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
                   f"rules: {{paths: ['{repo / 'rules'}']}}\n" + section, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{what}: unknown kind .* \(known: .*folder|"
                                          rf"{what}: unknown kind .* \(known: .*console"):
        make_app(load_settings(cfg))


def _config(tmp_path, repo, section: str):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'x.db'}'}}\n"
                   f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
                   f"rules: {{paths: ['{repo / 'rules'}']}}\n" + section, encoding="utf-8")
    return cfg


@pytest.mark.parametrize("section, message", [
    # a typo in an option is not silently ignored
    ("sources: [{name: wire, kind: feed, url: 'http://127.0.0.1/rss', fulltext_min_char: 300}]",
     r"sources\[wire\]: source 'wire' \(feed\): unknown option 'fulltext_min_char' "
     r"\(known: .*fulltext_min_chars"),
    ("sources: [{name: wire, kind: feed, url: 'http://127.0.0.1/rss', deadline: soon}]",
     r"sources\[wire\]: source 'wire' \(feed\): deadline: Input should be a valid number"),
    ("sources: [{name: drop, kind: folder}]", r"source 'drop' \(folder\): path: Field required"),
    ("sources: [{name: drop, kind: folder, path: x, interval: 15 minutes}]",
     r"sources\[drop\]\.interval: bad interval '15 minutes'"),
    ("sources: [{name: drop, kind: folder, path: x, cron: '61 * * * *'}]",
     r"sources\[drop\]\.cron: '61 \* \* \* \*' is not a cron line"),
    ("watchlist: {poll_interval: often}", r"watchlist\.poll_interval: bad interval 'often'"),
    ("lists: [{name: un, kind: un, path: x, schedule: 'every day'}]",
     r"lists\[un\]\.schedule: 'every day' is neither an interval .* nor a cron line"),
    ("channels: [{name: desk, kind: email, host: h, from: a@b.org, to: c@d.org, tls: tls}]",
     r"channels\[desk\]: channel 'desk' \(email\): tls: Input should be 'starttls'"),
    ("channels: [{name: out, kind: file, path: a.txt, fromat: csv}]",
     r"channel 'out' \(file\): unknown option 'fromat'"),
])
def test_every_value_is_checked_when_the_file_is_read(tmp_path, repo, section, message):
    """Each of these passed `load_settings` (and `run --once`, `status`) before and failed
    later, in the daemon, with a traceback — or was ignored."""
    cfg = _config(tmp_path, repo, section + "\n")
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(cfg)
    assert str(cfg) in str(info.value)


def test_a_number_is_an_interval_and_zero_turns_grouping_off(tmp_path, repo):
    settings = load_settings(_config(tmp_path, repo, "alerts: {group_window: 0}\n"
                                                     "scheduler: {refresh_interval: 300}\n"))
    assert settings.alerts.group_window == "0" and settings.scheduler.refresh_interval == "300"
    app = make_app(settings)
    try:
        assert app.store.group_window is None
    finally:
        app.close()


def test_a_config_that_is_not_utf8_names_the_file_and_line(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_bytes(b"sources: []\n# r\xe9sum\xe9 of the desk's feeds\n")
    with pytest.raises(ConfigError, match=r"config\.yaml:2: not UTF-8 text \(byte 0xe9"):
        load_settings(cfg)


def test_the_options_of_every_kind_are_the_ones_the_app_builds():
    from sanctionwatch.config import CHANNEL_OPTIONS, SOURCE_OPTIONS
    from sanctionwatch.wiring import CHANNEL_KINDS, SOURCE_KINDS

    assert set(SOURCE_KINDS) == set(SOURCE_OPTIONS)
    assert set(CHANNEL_KINDS) == set(CHANNEL_OPTIONS)
