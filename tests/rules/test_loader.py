"""Rule files: the repo's rules load; broken ones are reported with file and line."""

from __future__ import annotations

import pytest

from sanctionwatch.errors import RuleError
from sanctionwatch.rules.loader import load_rules


def test_repo_rules_load(rules):
    ids = {r.id for r in rules.rules}
    assert {"designation.announced", "designation.effective", "designation.lifted",
            "support.supply", "network.link", "mention.plain"} <= ids
    langs = {t.lang for r in rules.rules if r.type == "designation" for t in r.triggers}
    assert {"en", "fr", "de", "ru", "uk", "es"} <= langs


def test_problems_carry_file_and_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(
        "rules:\n"
        "  - id: ok.rule\n"
        "    type: designation\n"
        "    phase: announced\n"
        "    triggers: {en: ['will designate']}\n"
        "  - id: bad.rule\n"
        "    type: designation\n"
        "    phase: someday\n"
        "    severity: urgent\n"
        "    triggers: {en: ['(unclosed']}\n"
        "    colour: red\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules([f])
    msgs = [str(p) for p in info.value.problems]
    assert all(m.startswith(f"{f}:6:") for m in msgs), msgs
    text = "\n".join(msgs)
    assert "unknown key 'colour'" in text
    assert "needs 'phase'" in text
    assert "'severity' must be one of" in text
    assert "bad pattern '(unclosed'" in text


def test_yaml_syntax_error_has_a_position(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("rules:\n  - id: x\n    type: [designation\n", encoding="utf-8")
    with pytest.raises(RuleError, match=rf"{f.name}:\d+:\d+: YAML"):
        load_rules([f])


def test_duplicate_ids_across_files(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("rules:\n  - {id: same, type: mention}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate rule id 'same'"):
        load_rules([tmp_path])


def test_missing_rule_folder(tmp_path):
    with pytest.raises(RuleError, match="no such rule file or folder"):
        load_rules([tmp_path / "nope"])


def test_duplicate_keys_are_reported_not_overwritten(tmp_path):
    f = tmp_path / "dup.yaml"
    f.write_text("rules:\n  - id: x\n    type: designation\n    phase: effective\n"
                 "    triggers:\n      de: ['a']\n      de: ['b']\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"dup.yaml:7:\d+: YAML: duplicate key 'de'"):
        load_rules([f])

