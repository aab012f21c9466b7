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
) -> None:
    """Show, sentence by sentence, which rules fired and which nearly fired, and why."""
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
                out.print(f"[bold]{name}[/bold]")
                for s in result.sentences:
                    lines = [t for t in trace if t.sentence == s.index and
                             (all_rules or not t.reason.startswith("no mention meets"))]
                    if not lines:
                        continue
                    out.print(f"  [{s.index}] {s.text}", markup=False)
                    for t in lines:
                        mark = "FIRED " if t.fired else "no    "
                        out.print(f"      {mark}{t.rule_id}: {t.reason}", markup=False,
                                  style="green" if t.fired else "dim")
