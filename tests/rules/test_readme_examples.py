"""The examples in rules/README.md work as written: an analyst can copy them."""

from __future__ import annotations

import re
from pathlib import Path

from sanctionwatch.analysis import Analyzer
from sanctionwatch.rules.loader import load_rules

README = Path(__file__).resolve().parents[2] / "rules" / "README.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_new_rule_example_loads_and_fires(tmp_path, watchlist, repo):
    (block,) = [b for b in _yaml_blocks() if b.startswith("# rules/lobbying.yaml")]
    (tmp_path / "lobbying.yaml").write_text(block, encoding="utf-8")
    rules = load_rules([repo / "rules", tmp_path])
    result = Analyzer(watchlist, rules).analyze(
        "Rostec lobbies in Brussels for the Wagner Group, the ministry said.")
    fired = [i for i in result.intents if i.rule_id == "support.lobbying"]
    assert [(i.role("supporter"), i.role("target")) for i in fired] == [("Rostec",
                                                                          "wagner-group")]


def test_new_language_example_is_valid_and_fires(tmp_path, watchlist, repo):
    (block,) = [b for b in _yaml_blocks() if "pl:" in b]
    rule = ("rules:\n  - id: designation.polish\n    type: designation\n"
            "    phase: effective\n" + block)
    (tmp_path / "pl.yaml").write_text(rule, encoding="utf-8")
    rules = load_rules([tmp_path])
    result = Analyzer(watchlist, rules).analyze(
        "Unia Europejska nałożyła sankcje wobec Grupy Wagnera i jej najemników.")
    assert [i.role("target") for i in result.intents] == ["wagner-group"]


def test_network_trigger_example_loads_and_fires(tmp_path, watchlist):
    (block,) = [b for b in _yaml_blocks() if b.startswith("# rules/procurement.yaml")]
    (tmp_path / "procurement.yaml").write_text(block, encoding="utf-8")
    rules = load_rules([tmp_path])
    result = Analyzer(watchlist, rules).analyze(
        "The Treasury named firms in the procurement network of the Wagner Group, among them "
        "«Terra Tech», a satellite imagery company.")
    fired = [i for i in result.intents if i.rule_id == "support.procurement"]
    assert [(i.role("target"), i.role("supporter")) for i in fired] == [("wagner-group",
                                                                          "Terra Tech")]
