"""`rules ...`: validate and test alert rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctionwatch.cli._common import (
    ConfigOpt,
    RulesOpt,
    WatchlistOpt,
    app,
    err,
    fail,
    make_settings,
    opened,
    out,
)
from sanctionwatch.errors import SanctionwatchError

rules_app = typer.Typer(no_args_is_help=True, help="Alert rules.")
app.add_typer(rules_app, name="rules")


@rules_app.command("validate")
def rules_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="rule files or folders")] = None,
    config: ConfigOpt = None,
) -> None:
    """Check rule files; list every problem."""
    from sanctionwatch.app import App

    try:
        settings = make_settings(config)
        rs = App.check_rules(paths or [settings.resolve(p) for p in settings.rules.paths])
    except SanctionwatchError as exc:
        fail(exc)
        return
    out.print(f"ok: {len(rs.rules)} rules in {len(rs.files)} file(s)")


@rules_app.command("test")
def rules_test(
    paths: Annotated[list[Path], typer.Argument(help="files to test the rules on")],
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    all_rules: Annotated[bool, typer.Option("--all", help="also show rules with no target")]
    = False,
    fmt: Annotated[str, typer.Option("--format", help="text for people, or jsonl: what "
                                     "`scan --format jsonl` writes, and one trace line per "
                                     "rule and sentence")] = "text",
) -> None:
    """Show, sentence by sentence, the alerts `scan` raises and why, and why the other rules
    did not fire (no trigger, a negation, no target on the object side, a higher-priority
    phase on the same target)."""
    if fmt not in ("jsonl", "text"):
        err.print("--format must be jsonl or text")
        raise typer.Exit(2)
    with opened(config, watchlist, rules) as application:
        analyzer = application.scan_analyzer()  # the watchlist `scan` matches with
        for _path, docs in application.documents(paths):
            if isinstance(docs, SanctionwatchError):
                raise docs
            for name, data in docs:
                if isinstance(data, SanctionwatchError):
                    raise data
                trace: list = []
                result = analyzer.analyze(data.text, trace)
                lines = explain(result, trace, all_rules)
                if fmt == "jsonl":
                    _test_jsonl(name, result, lines)
                else:
                    _test_text(name, result, lines)


def explain(result, trace: list, all_rules: bool = False) -> dict[int, list[tuple[str, ...]]]:
    """Sentence index -> what to say of it, in order: ("alert", intent index) for each alert
    the analysis raised (what `scan` writes), then (status, rule id, reason) for the rule
    decisions that raised no alert of their own: "same" (the alert was raised already, from
    an earlier sentence), "no" (did not fire, or gave way to a higher-priority phase)."""
    from bisect import bisect_right

    starts = [s.start for s in result.sentences]
    raised: dict[str, int] = {}
    by_why: dict[tuple[str, str], int] = {}
    out: dict[int, list[tuple[str, ...]]] = {}
    for n, i in enumerate(result.intents):
        raised.setdefault(i.key, n)
        by_why.setdefault((i.rule_id, i.why), n)
        k = max(0, bisect_right(starts, i.evidence_start) - 1)
        out.setdefault(k, []).append(("alert", str(n)))
    superseded = {t.key for t in trace if not t.fired and t.key}
    seen: set[tuple[int, str, str, str]] = set()
    for t in trace:
        if not all_rules and not t.fired and t.reason.startswith("no mention meets"):
            continue
        if (t.sentence, t.rule_id, t.reason, t.key) in seen:
            continue
        seen.add((t.sentence, t.rule_id, t.reason, t.key))
        if t.fired:
            n = raised.get(t.key) if t.key else by_why.get((t.rule_id, t.reason))
            if t.key in superseded and n is None:
                continue  # said by the line that tells which phase won
            if n is None:
                line = ("no", t.rule_id, f"{t.reason}; raised no alert")
            else:
                k = max(0, bisect_right(starts, result.intents[n].evidence_start) - 1)
                if k == t.sentence:
                    continue  # this firing is the alert shown above
                line = ("same", t.rule_id, f"{t.reason}; the same alert was raised from "
                                           f"sentence [{k}] (one alert per story)")
        else:
            line = ("no", t.rule_id, t.reason)
        out.setdefault(t.sentence, []).append(line)
    return out


def _test_text(name: str, result, lines: dict[int, list[tuple[str, ...]]]) -> None:
    out.print(f"[bold]{name}[/bold]: {len(result.mentions)} mention(s), "
              f"{len(result.intents)} alert(s) (what `scan` raises)")
    for s in result.sentences:
        said = lines.get(s.index)
        if not said:
            continue
        out.print(f"  [{s.index}] {s.text}", markup=False)
        for line in said:
            if line[0] == "alert":
                i = result.intents[int(line[1])]
                roles = ", ".join(f"{r}={v}" for r, v in i.roles)
                phase = f" ({i.phase})" if i.phase else ""
                out.print(f"      FIRED {i.rule_id}: ALERT {i.type}{phase} [{i.severity}] "
                          f"{roles}", markup=False, style="green")
                out.print(f"            why: {i.why}", markup=False, style="green")
            else:
                mark = "same  " if line[0] == "same" else "no    "
                out.print(f"      {mark}{line[1]}: {line[2]}", markup=False, style="dim")


def _test_jsonl(name: str, result, lines: dict[int, list[tuple[str, ...]]]) -> None:
    import json
    import sys

    from sanctionwatch.cli.core import _scan_jsonl

    _scan_jsonl(name, result)
    for k in sorted(lines):
        for line in lines[k]:
            if line[0] == "alert":
                continue
            sys.stdout.write(json.dumps({"kind": "trace", "document": name, "sentence": k,
                                         "rule_id": line[1], "status": line[0],
                                         "reason": line[2]}, ensure_ascii=False) + "\n")
