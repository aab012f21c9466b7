"""A configuration naming an unknown source or channel kind is refused with the known ones."""

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
