"""Load rule files (YAML) and validate them, reporting every problem as `file:line:column`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from sanctionwatch.errors import Problem, RuleError
from sanctionwatch.rules.model import (
    PHASES,
    RAW_SCRIPT,
    RULE_TYPES,
    SCOPES,
    EntityCondition,
    Rule,
    RuleSet,
    Trigger,
)
from sanctionwatch.rules.prefilter import required_groups
from sanctionwatch.text.lemmas import LANGUAGES as LEMMA_LANGUAGES
from sanctionwatch.text.lemmas import expand_gaps
from sanctionwatch.text.normalize import fold_pattern
from sanctionwatch.types import ENTITY_TYPES, SEVERITIES

_RULE_KEYS = {"id", "version", "type", "phase", "priority", "severity", "scope", "window",
              "triggers", "passive_triggers", "network_triggers", "negations",
              "lemma_triggers", "lemma_passive_triggers", "lemma_negations", "target",
              "supporter", "supporter_names", "message", "enabled", "description"}
_COND_KEYS = {"types", "programs", "curated", "related_to_target"}


class _Marked(dict):
    """A mapping that remembers where it started in its file."""

    line = 0
    column = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Marked:
    seen: dict[object, yaml.Node] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"duplicate key {key!r} (first on line {seen[key].start_mark.line + 1}); "
                "the second would silently replace the first", key_node.start_mark)
        seen[key] = key_node
    mapping = _Marked(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.column = node.start_mark.column + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def compile_pattern(source: str) -> re.Pattern[str]:
    """Fold a trigger pattern like the text it runs on, and make it match whole words: it
    may not start or end inside a word (a pattern may end on a space or punctuation). A
    pattern that begins with punctuation (", sanctioned in 2019") begins no word: it may
    follow a name's last letter."""
    lead = "" if source[:1] in ",;:،，" else r"(?<![a-z0-9])"
    return re.compile(rf"{lead}(?:{fold_pattern(source)})(?:(?<![a-z0-9])|(?![a-z0-9]))")


def rule_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml"))
        elif p.is_file():
            files.append(p)
        else:
            raise RuleError([Problem(str(p), 0, 0, "no such rule file or folder")])
    return files


def load_rules(paths: list[Path]) -> RuleSet:
    """Load every rule file in `paths` (files or folders), or raise `RuleError`."""
    problems: list[Problem] = []
    rules: list[Rule] = []
    files = rule_files(paths)
    for f in files:
        rules += _load_file(f, problems)
    seen: dict[str, Rule] = {}
    for r in rules:
        if r.id in seen:
            first = seen[r.id]
            problems.append(Problem(
                r.file, r.line, 1,
                f"duplicate rule id {r.id!r} (first in {first.file}:{first.line})"))
        seen.setdefault(r.id, r)
    if problems:
        raise RuleError(problems)
    return RuleSet(tuple(rules), tuple(str(f) for f in files))


def _load_file(path: Path, problems: list[Problem]) -> list[Rule]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problems.append(Problem(str(path), (mark.line + 1) if mark else 0,
                                (mark.column + 1) if mark else 0, f"YAML: {exc.problem}"))
        return []
    except (UnicodeDecodeError, OSError) as exc:
        problems.append(Problem(str(path), 0, 0, f"cannot read: {exc}"))
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        problems.append(Problem(str(path), 1, 1, "expected a mapping with a 'rules' list"))
        return []
    defaults = {k: v for k, v in doc.items() if k in ("version", "type", "severity", "scope")}
    out = []
    for raw in doc["rules"]:
        if not isinstance(raw, _Marked):
            problems.append(Problem(str(path), 1, 1, "each rule must be a mapping"))
            continue
        rule = _rule(path, {**defaults, **raw}, raw, problems)
        if rule is not None:
            out.append(rule)
    return out


def _rule(path: Path, data: dict[str, Any], node: _Marked, problems: list[Problem]) -> Rule | None:
    n = len(problems)
    where = (str(path), node.line, node.column)

    def bad(message: str) -> None:
        problems.append(Problem(*where, message))

    for key in data:
        if key not in _RULE_KEYS:
            bad(f"unknown key {key!r} (known: {', '.join(sorted(_RULE_KEYS))})")
    rid = data.get("id")
    if not isinstance(rid, str) or not re.match(r"^[a-z0-9_.\-]+$", rid or ""):
        bad("'id' must be a lower-case word like 'designation.announced'")
        rid = "?"
    rtype = data.get("type")
    if rtype not in RULE_TYPES:
        bad(f"'type' must be one of {', '.join(RULE_TYPES)}, not {rtype!r}")
    phase = data.get("phase")
    if rtype == "designation" and phase not in PHASES:
        bad(f"a designation rule needs 'phase': one of {', '.join(PHASES)}")
    severity = data.get("severity", "medium")
    if severity not in SEVERITIES:
        bad(f"'severity' must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    scope = data.get("scope", "sentence")
    if scope not in SCOPES:
        bad(f"'scope' must be one of {', '.join(SCOPES)}, not {scope!r}")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        bad("'version' must be a positive whole number")
    triggers = _patterns(data.get("triggers"), "triggers", False, bad)
    triggers += _patterns(data.get("passive_triggers"), "passive_triggers", True, bad)
    network = _patterns(data.get("network_triggers"), "network_triggers", False, bad)
    if network and rtype != "support_network":
        bad("'network_triggers' are for support_network rules")
    triggers += [replace(t, network=True) for t in network]
    triggers += _patterns(data.get("lemma_triggers"), "lemma_triggers", False, bad, lemma=True)
    triggers += _patterns(data.get("lemma_passive_triggers"), "lemma_passive_triggers", True,
                          bad, lemma=True)
    negations = _patterns(data.get("negations"), "negations", False, bad)
    negations += _patterns(data.get("lemma_negations"), "lemma_negations", False, bad,
                           lemma=True)
    if rtype in ("designation", "support_network") and not triggers:
        bad("this rule type needs 'triggers'")
    target = _condition(data.get("target"), "target", bad)
    supporter = _condition(data.get("supporter"), "supporter", bad) \
        if rtype == "support_network" else None
    if len(problems) > n:
        return None
    return Rule(
        id=rid, version=version, type=rtype, severity=severity, file=str(path),
        line=node.line, phase=phase, priority=int(data.get("priority", 0)), scope=scope,
        window=int(data.get("window", 12)), triggers=tuple(triggers),
        negations=tuple(negations), target=target, supporter=supporter,
        supporter_names=bool(data.get("supporter_names", True)),
        message=str(data.get("message", "")), enabled=bool(data.get("enabled", True)),
        description=str(data.get("description", "")),
    )


def _patterns(value: Any, key: str, passive: bool, bad, lemma: bool = False) -> list[Trigger]:
    """Triggers of one key; `lemma`: patterns over dictionary forms, in a language the
    lemmatizer knows, with `<N>` for up to N words; no prefilter strings (the lemma text is
    made only for sentences that name a watchlist entity)."""
    if value is None:
        return []
    if not isinstance(value, dict):
        bad(f"'{key}' must map a language code to a list of patterns")
        return []
    out = []
    for lang, items in value.items():
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            bad(f"'{key}.{lang}' must be a list of patterns (strings)")
            continue
        if lemma and lang not in LEMMA_LANGUAGES:
            bad(f"'{key}.{lang}': no lemmatizer for {lang!r} (known: "
                f"{', '.join(sorted(LEMMA_LANGUAGES))}); write 'triggers' for it")
            continue
        for item in items:
            try:
                if lemma:
                    out.append(Trigger(str(lang), item, compile_pattern(expand_gaps(item)),
                                       passive, (), lemma=True))
                elif RAW_SCRIPT.search(item):
                    out.append(Trigger(str(lang), item, re.compile(item, re.IGNORECASE),
                                       passive, (), raw=True))
                else:
                    out.append(Trigger(str(lang), item, compile_pattern(item), passive,
                                       required_groups(fold_pattern(item))))
            except re.error as exc:
                bad(f"'{key}.{lang}': bad pattern {item!r}: {exc}")
    return out


def _condition(value: Any, key: str, bad) -> EntityCondition:
    if value is None:
        return EntityCondition()
    if not isinstance(value, dict):
        bad(f"'{key}' must be a mapping")
        return EntityCondition()
    for k in value:
        if k not in _COND_KEYS:
            bad(f"unknown key '{key}.{k}' (known: {', '.join(sorted(_COND_KEYS))})")
    types = tuple(value.get("types") or ())
    for t in types:
        if t not in ENTITY_TYPES:
            bad(f"'{key}.types': unknown type {t!r}")
    return EntityCondition(types=types, programs=tuple(value.get("programs") or ()),
                           curated=value.get("curated"),
                           related_to_target=bool(value.get("related_to_target", False)))
